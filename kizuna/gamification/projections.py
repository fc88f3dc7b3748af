"""The gamification projections: the points ledger, per-person totals, per-period totals and badges.

`apply_statement` keeps them live (inside the transaction that stores each statement); `rebuild` throws
them away and derives them again from every statement in stored order, under the current rules. Both run
the same `rules.score_statement`, so a rebuild gives exactly the live rows (tests/test_rebuild.py).
"""

import heapq
import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, F, JSONField, Q, Value, When

from kizuna.ops.repcache import content_changed, rep_changed
from kizuna.records import vocab
from kizuna.records.projections import rebuild_in_passes

from . import rules
from .models import BadgeAward, PeriodScore, PointAward, RepScore


def _periods(award: PointAward) -> list[tuple[str, date]]:
    return [
        (PeriodScore.Period.WEEK, rules.week_start(award.day)),
        (PeriodScore.Period.MONTH, rules.month_start(award.day)),
    ]


# --- Live ------------------------------------------------------------------------------------------------------


class _DatabaseLedger:
    def has_ref(self, user_id: int, kind: str, ref: str) -> bool:
        return PointAward.objects.filter(user_id=user_id, kind=kind, ref=ref[:500]).exists()

    def count_on(self, user_id: int, kind: str, day: date) -> int:
        return PointAward.objects.filter(user_id=user_id, kind=kind, day=day).count()

    def badges_of(self, user_id: int) -> set[int]:
        return set(BadgeAward.objects.filter(user_id=user_id).values_list("badge_id", flat=True))


def _period_add(award: PointAward, sign: int) -> None:
    for period, start in _periods(award):
        delta = sign * award.points
        updated = PeriodScore.objects.filter(user_id=award.user_id, period=period, start=start).update(
            points=F("points") + delta
        )
        if not updated:
            PeriodScore.objects.create(
                user_id=award.user_id, partner_id=award.partner_id, period=period, start=start, points=delta
            )


def apply_statement(st: Any) -> None:
    """Score one newly stored statement (cheaply ignoring those that cannot score)."""
    if not rules.is_candidate(st):
        return
    target = rules.voided_target(st)
    if target is not None:
        _void_live(target)
        return
    award_verb = st.verb in rules._AWARD_VERBS()
    if not award_verb and not rules.is_learning(st):
        return
    score = RepScore.objects.select_for_update(no_key=True).filter(user_id=st.actor_id).first()
    if score is None:
        # A rep's first scored statement: insert the row, unless a concurrent request just did; then lock it.
        try:
            with transaction.atomic():
                rules.new_score(st.actor_id, st.partner_id, st.timestamp).save(force_insert=True)
        except IntegrityError:
            pass
        score = RepScore.objects.select_for_update(no_key=True).get(user_id=st.actor_id)
    elif not award_verb and score.last_day is not None and rules.local_day(st.timestamp) <= score.last_day:
        return  # the day is already counted: nothing can change
    before = (score.last_day, score.streak)
    outcome = rules.score_statement(st, score=score, rules=rules.RulesLoader(), ledger=_DatabaseLedger())
    if not (outcome.awards or outcome.badges or before != (score.last_day, score.streak) or award_verb):
        return
    score.partner_id = st.partner_id
    score.save()
    PointAward.objects.bulk_create(outcome.awards)
    for award in outcome.awards:
        _period_add(award, +1)
    BadgeAward.objects.bulk_create(outcome.badges)


def _void_live(target: uuid.UUID) -> None:
    awards = list(PointAward.objects.filter(statement_id=target))
    if not awards:
        return
    score = RepScore.objects.select_for_update(no_key=True).get(user_id=awards[0].user_id)
    rep_changed(score.user_id)  # the voided statement may be another person's
    rules.unscore(score, awards, rules.ruleset_load())
    score.save()
    for award in awards:
        _period_add(award, -1)
    PointAward.objects.filter(statement_id=target).delete()


# --- Rebuild ---------------------------------------------------------------------------------------------------


class _Row:
    """A statement's columns that scoring reads, without a model instance per row."""

    __slots__ = (
        "seq",
        "id",
        "actor_id",
        "partner_id",
        "verb",
        "object_type",
        "object_iri",
        "course_id",
        "result",
        "timestamp",
    )

    def __init__(self, values: tuple[Any, ...]) -> None:
        (
            self.seq,
            self.id,
            self.actor_id,
            self.partner_id,
            self.verb,
            self.object_type,
            self.object_iri,
            self.course_id,
            self.result,
            self.timestamp,
        ) = values


class _MemoryLedger:
    def __init__(self) -> None:
        self.refs: set[tuple[int, str, str]] = set()
        self.day_counts: dict[tuple[int, str, date], int] = defaultdict(int)
        self.badges: dict[int, set[int]] = defaultdict(set)
        self.awards: dict[tuple[uuid.UUID, str], PointAward] = {}
        self.by_statement: dict[uuid.UUID, list[PointAward]] = {}
        self.periods: dict[tuple[int, str, date], PeriodScore] = {}
        self.badge_rows: list[BadgeAward] = []

    def has_ref(self, user_id: int, kind: str, ref: str) -> bool:
        return (user_id, kind, ref[:500]) in self.refs

    def count_on(self, user_id: int, kind: str, day: date) -> int:
        return self.day_counts[(user_id, kind, day)]

    def badges_of(self, user_id: int) -> set[int]:
        return self.badges[user_id]

    def add(self, award: PointAward, sign: int) -> None:
        key = (award.user_id, award.kind, award.ref)
        if sign > 0:
            self.refs.add(key)
            self.awards[(award.statement_id, award.kind)] = award
            self.by_statement.setdefault(award.statement_id, []).append(award)
        else:
            self.refs.discard(key)
            self.awards.pop((award.statement_id, award.kind), None)
        self.day_counts[(award.user_id, award.kind, award.day)] += sign
        for period, start in _periods(award):
            row = self.periods.get((award.user_id, period, start))
            if row is None:
                row = self.periods[(award.user_id, period, start)] = PeriodScore(
                    user_id=award.user_id, partner_id=award.partner_id, period=period, start=start, points=0
                )
            row.points += sign * award.points


_COLUMNS = ("seq", "id", "actor_id", "partner_id", "verb", "object_type", "object_iri", "course_id", "res", "timestamp")


def _rows(batch_size: int, actors: list[int] | None = None) -> Any:
    """The statements that can score, in stored order; `result` only where scoring reads it.

    That is every statement of an awarding verb, every void, and of the rest only the first statement of each
    person's learning day (by stored order): the live projection ignores the others, since a day it has seen
    cannot move the streak. Skipping them in the database keeps the rebuild fast at millions of statements.
    With `actors`, those people's statements only, and every void (anyone may void a person's statement).
    """
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db.models import Min
    from django.db.models.functions import TruncDate

    from kizuna.records.models import Statement

    award_verbs = sorted(rules._AWARD_VERBS())
    theirs = Statement.objects.all() if actors is None else Statement.objects.filter(actor_id__in=actors)
    awarding_q = Q(partner__isnull=False, verb__in=award_verbs)
    if actors is not None:
        awarding_q &= Q(actor_id__in=actors)
    day_firsts = (
        theirs.filter(partner__isnull=False)
        .exclude(verb__in=sorted(rules.not_learning_verbs()))
        .annotate(day=TruncDate("timestamp", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("actor_id", "day")
        .annotate(first=Min("seq"))
        .values("first")
    )
    result = Case(
        When(verb__in=award_verbs, then=F("result")),
        default=Value(None, output_field=JSONField()),
        output_field=JSONField(),
    )
    awarding = (
        Statement.objects.filter(awarding_q | Q(verb=vocab.VOIDED.iri))
        .order_by("seq")
        .annotate(res=result)
        .values_list(*_COLUMNS)
        .iterator(chunk_size=batch_size)
    )
    days = (
        Statement.objects.filter(seq__in=day_firsts)
        .order_by("seq")
        .annotate(res=result)
        .values_list(*_COLUMNS)
        .iterator(chunk_size=batch_size)
    )
    # Two streams in stored order, merged; a statement in both (an awarding one that opens a day) comes once.
    previous = None
    for values in heapq.merge(awarding, days, key=lambda v: v[0]):
        if values[0] != previous:
            previous = values[0]
            yield values


def _derive(actors: list[int] | None, batch_size: int) -> tuple[dict[int, RepScore], _MemoryLedger]:
    """Score the statements (of these people, or everybody's) again in memory, under the current rules."""
    loader = rules.RulesLoader()
    ruleset = loader()
    ledger = _MemoryLedger()
    scores: dict[int, RepScore] = {}
    award_verbs = rules._AWARD_VERBS()
    for values in _rows(batch_size, actors):
        st = _Row(values)
        target = rules.voided_target(st)
        if target is not None:
            voided = ledger.by_statement.pop(target, [])
            if voided:
                rules.unscore(scores[voided[0].user_id], voided, ruleset)
                for award in voided:
                    ledger.add(award, -1)
            continue
        if st.partner_id is None:
            continue
        award_verb = st.verb in award_verbs
        if not award_verb and not rules.is_learning(st):
            continue
        score = scores.get(st.actor_id)
        if score is None:
            score = scores[st.actor_id] = rules.new_score(st.actor_id, st.partner_id, st.timestamp)
        elif not award_verb and score.last_day is not None and rules.local_day(st.timestamp) <= score.last_day:
            continue
        outcome = rules.score_statement(st, score=score, rules=loader, ledger=ledger)
        score.partner_id = st.partner_id
        for award in outcome.awards:
            ledger.add(award, +1)
        for badge in outcome.badges:
            ledger.badges[badge.user_id].add(badge.badge_id)
            ledger.badge_rows.append(badge)
    return scores, ledger


def _write(scores: dict[int, RepScore], ledger: _MemoryLedger, batch_size: int) -> int:
    RepScore.objects.bulk_create(scores.values(), batch_size=batch_size)
    PointAward.objects.bulk_create(ledger.awards.values(), batch_size=batch_size)
    PeriodScore.objects.bulk_create(ledger.periods.values(), batch_size=batch_size)
    BadgeAward.objects.bulk_create(ledger.badge_rows, batch_size=batch_size)
    return len(scores) + len(ledger.awards) + len(ledger.periods) + len(ledger.badge_rows)


def rebuild(*, batch_size: int = 5000) -> int:
    """Throw the points, totals and badges away and score every statement again under the current rules."""
    scores, ledger = _derive(None, batch_size)
    with transaction.atomic():
        PointAward.objects.all().delete()
        PeriodScore.objects.all().delete()
        BadgeAward.objects.all().delete()
        RepScore.objects.all().delete()
        made = _write(scores, ledger, batch_size)
        content_changed()  # every strip and ranking
    return made


def rebuild_reps(rep_ids: list[int]) -> int:
    """Score these people's statements again and replace their points, totals and badges (a partner's rebuild).

    Everything here is one person's (rankings are read from the per-period totals), so their rows are the ones
    a full rebuild makes; nobody else's are touched.
    """

    def one_pass(group: list[int]) -> int:
        scores, ledger = _derive(group, 5000)
        for model in (PointAward, PeriodScore, BadgeAward, RepScore):
            model.objects.filter(user_id__in=group).delete()
        return _write(scores, ledger, 5000)

    made = rebuild_in_passes(rep_ids, one_pass)
    rep_changed(*rep_ids)
    return made
