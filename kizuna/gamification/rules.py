"""The scoring rules: which statements earn what, shared by the live projection and the rebuild.

Anti-farming, as the rules page says:
- each thing is rewarded once: a lesson, a course, a quiz (its first pass only, whatever the version),
  a perfect score per quiz, a scenario, a reviewed submission, a live session, a day of the streak;
- a lesson counts only when records completes it (a video when its played segments cover the threshold,
  not when it is skipped to the end);
- every kind has a daily cap: past it, the day's further events earn nothing;
- a helpful-answer recognition that is withdrawn (voided) takes its points back.
"""

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings

from kizuna.records import vocab

from .models import Badge, BadgeAward, EventKind, Level, PointAward, PointRule, RepScore, assertion_uuid
from .services import defaults_ensure

ATTENDED = vocab.ADL_VERBS + "attended"
RECEIVED = "http://activitystrea.ms/schema/1.0/receive"
TYPE_ASSESSMENT = vocab.ADL_ACTIVITIES + "assessment"
TYPE_MEETING = vocab.ADL_ACTIVITIES + "meeting"
PERFECT = 0.9999
_VERSION_SUFFIX = re.compile(r"/v\d+$")


def own(path: str) -> str:
    return vocab.own_iri(path)


@dataclass(frozen=True)
class Event:
    kind: str
    ref: str


@dataclass
class Ruleset:
    rules: dict[str, PointRule]
    levels: list[Level]
    badges: list[Badge]

    def level_for(self, points: int) -> int:
        """Return the number of the highest level the points reach; everyone is at least at the first level."""
        number = self.levels[0].number if self.levels else 1
        for level in self.levels:
            if points >= level.threshold:
                number = level.number
        return number


class Ledger(Protocol):
    def has_ref(self, user_id: int, kind: str, ref: str) -> bool: ...
    def count_on(self, user_id: int, kind: str, day: date) -> int: ...
    def badges_of(self, user_id: int) -> set[int]: ...


@dataclass
class Outcome:
    awards: list[PointAward] = field(default_factory=list)
    badges: list[BadgeAward] = field(default_factory=list)


def local_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def _scaled(st: Any) -> float | None:
    score = (st.result or {}).get("score") or {}
    value = score.get("scaled")
    return float(value) if isinstance(value, int | float) else None


def events_for(st: Any, rules: Ruleset | None = None) -> list[Event]:
    """Return the rewardable events one statement stands for (before de-duplication, caps and rules)."""
    verb, otype = st.verb, st.object_type
    if verb == vocab.COMPLETED.iri:
        if otype == vocab.TYPE_LESSON.iri:
            return [Event(EventKind.LESSON_COMPLETED, st.object_iri)]
        if otype == vocab.TYPE_COURSE.iri:
            return [Event(EventKind.COURSE_FINISHED, f"course:{st.course_id or st.object_iri}")]
        if otype == own("activity-types/scenario"):
            alignment = ((st.result or {}).get("extensions") or {}).get(own("extensions/alignment"))
            rule = rules.rules.get(EventKind.SCENARIO_ALIGNED) if rules else None
            threshold = rule.threshold if rule else 0.8
            if isinstance(alignment, int | float) and alignment >= threshold:
                return [Event(EventKind.SCENARIO_ALIGNED, _VERSION_SUFFIX.sub("", st.object_iri))]
        return []
    if verb == vocab.PASSED.iri and otype == TYPE_ASSESSMENT:
        quiz = _VERSION_SUFFIX.sub("", st.object_iri)
        events = [Event(EventKind.QUIZ_PASSED, quiz)]
        scaled = _scaled(st)
        if scaled is not None and scaled >= PERFECT:
            events.append(Event(EventKind.PERFECT_SCORE, quiz))
        return events
    if verb == own("verbs/reviewed") and otype == own("activity-types/roleplay-submission"):
        return [Event(EventKind.REVIEW_GIVEN, st.object_iri)]
    if verb == RECEIVED and otype == own("activity-types/community-answer"):
        kind = ((st.result or {}).get("extensions") or {}).get(own("extensions/recognition"))
        if kind in ("accepted", "upvoted"):
            return [Event(EventKind.HELPFUL_ANSWER, str(st.id))]
        return []
    if verb == RECEIVED and otype == own("activity-types/success-story"):
        # A rep's success published as a lesson (kizuna.stories): once per story.
        return [Event(EventKind.SUCCESS_STORY, st.object_iri)]
    if verb == ATTENDED and otype == TYPE_MEETING:
        return [Event(EventKind.LIVE_ATTENDED, st.object_iri)]
    return []


def is_candidate(st: Any) -> bool:
    """Cheap check: may this statement change anyone's points?"""
    return st.partner_id is not None or st.verb == vocab.VOIDED.iri


def not_learning_verbs() -> set[str]:
    """Statements that are not the actor's own learning: they do not make a day of the streak."""
    return set(vocab.not_learning_verbs())


def is_learning(st: Any) -> bool:
    return st.partner_id is not None and st.verb not in not_learning_verbs()


def voided_target(st: Any) -> uuid.UUID | None:
    """The statement id a VOIDED statement withdraws (its object is a StatementRef)."""
    if st.verb != vocab.VOIDED.iri:
        return None
    text = (st.object_iri or "").strip()
    try:
        return uuid.UUID(text[-36:])
    except ValueError:
        return None


def new_score(user_id: int, partner_id: int | None, moment: datetime) -> RepScore:
    return RepScore(user_id=user_id, partner_id=partner_id, counts={}, updated_at=moment)


def score_statement(st: Any, *, score: RepScore, rules: "RulesLoader", ledger: Ledger) -> Outcome:
    """Apply one statement to one person's score in place; return the new ledger rows and badges."""
    outcome = Outcome()
    day = local_day(st.timestamp)
    events: list[Event] = []
    if is_learning(st) and (score.last_day is None or day > score.last_day):
        ruleset = rules()
        if score.last_day is not None and day == score.last_day + timedelta(days=1):
            score.streak += 1
        else:
            score.streak = 1
        score.last_day = day
        score.best_streak = max(score.best_streak, score.streak)
        streak_rule = ruleset.rules.get(EventKind.STREAK_DAY)
        if streak_rule is not None and score.streak >= max(streak_rule.threshold, 1):
            events.append(Event(EventKind.STREAK_DAY, f"day:{day.isoformat()}"))
    raw = events_for(st, rules()) if st.verb in _AWARD_VERBS() else []
    events += raw
    if not events:
        return outcome
    ruleset = rules()
    for event in events:
        rule = ruleset.rules.get(event.kind)
        if rule is None or not rule.active:
            continue
        if ledger.has_ref(score.user_id, event.kind, event.ref):
            continue
        if rule.daily_cap and ledger.count_on(score.user_id, event.kind, day) >= rule.daily_cap:
            continue
        award = PointAward(
            statement_id=st.id,
            user_id=score.user_id,
            partner_id=st.partner_id,
            kind=event.kind,
            ref=event.ref[:500],
            points=rule.points,
            awarded_at=st.timestamp,
            day=day,
        )
        outcome.awards.append(award)
        score.points += rule.points
        score.counts[event.kind] = score.counts.get(event.kind, 0) + 1
    score.level = ruleset.level_for(score.points)
    score.updated_at = max(score.updated_at, st.timestamp)
    if outcome.awards or raw:
        held = ledger.badges_of(score.user_id)
        for badge in ruleset.badges:
            if badge.pk not in held and badge_earned(badge, score=score, st=st):
                outcome.badges.append(
                    BadgeAward(
                        user_id=score.user_id,
                        badge_id=badge.pk,
                        partner_id=st.partner_id,
                        statement_id=st.id,
                        awarded_at=st.timestamp,
                        assertion=assertion_uuid(score.user_id, badge.pk),
                    )
                )
        score.badges += len(outcome.badges)
    return outcome


def badge_earned(badge: Badge, *, score: RepScore, st: Any) -> bool:
    if badge.criterion == Badge.Criterion.EVENTS:
        return score.counts.get(badge.event_kind, 0) >= badge.amount
    if badge.criterion == Badge.Criterion.POINTS:
        return score.points >= badge.amount
    if badge.criterion == Badge.Criterion.STREAK:
        return score.streak >= badge.amount
    if badge.criterion == Badge.Criterion.COURSE:
        return (
            st.verb == vocab.COMPLETED.iri
            and st.object_type == vocab.TYPE_COURSE.iri
            and st.course_id == badge.course_id
        )
    if badge.criterion == Badge.Criterion.QUIZ_SCORE:
        scaled = _scaled(st)
        return st.verb == vocab.PASSED.iri and scaled is not None and scaled * 100 >= badge.amount - 1e-9
    return False


def unscore(score: RepScore, awards: Iterable[PointAward], ruleset: Ruleset) -> None:
    """Take voided awards' points back (badges already earned stay)."""
    for award in awards:
        score.points -= award.points
        score.counts[award.kind] = max(0, score.counts.get(award.kind, 0) - 1)
    score.level = ruleset.level_for(score.points)


class RulesLoader:
    """Load the rules, levels and badges once, when first needed."""

    def __init__(self) -> None:
        self._ruleset: Ruleset | None = None

    def __call__(self) -> Ruleset:
        if self._ruleset is None:
            self._ruleset = ruleset_load()
        return self._ruleset


def ruleset_load() -> Ruleset:
    """Return the stored rules, levels and active badges, storing the defaults the first time any are needed."""
    defaults_ensure()
    return Ruleset(
        rules={r.kind: r for r in PointRule.objects.all()},
        levels=list(Level.objects.order_by("threshold")),
        badges=list(Badge.objects.filter(active=True).order_by("pk")),
    )


def _AWARD_VERBS() -> set[str]:  # noqa: N802 (a constant computed at call time: own IRIs depend on settings)
    return {vocab.COMPLETED.iri, vocab.PASSED.iri, own("verbs/reviewed"), RECEIVED, ATTENDED}
