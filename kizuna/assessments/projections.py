"""The quiz projections, derived from statements: attempts and answers, item statistics, weak topics, review cards.

One set of rules (``_apply``) runs both live — on each new statement, inside the
transaction that stores it, with rows from the database — and in ``rebuild`` over
every statement in stored order with rows in memory. Which statements count:

- ``attempted`` an assessment (with our quiz-version extension) starts an Attempt;
- ``answered`` a cmi.interaction within an attempt (context.registration) saves
  the latest answer to that question, until the attempt is submitted;
- ``completed`` the assessment submits it: the final answers then count once in
  ItemStat (per question and partner), TopicWeek (per rep, topic and week) and
  each question's FSRS ReviewCard, reviewed at the statement's timestamp;
- ``answered`` with our review extension counts in TopicWeek and the ReviewCard.

Sums are kept as integers in units of 1/SCALE, so their totals do not depend on
the order concurrent submissions commit in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from kizuna.catalog.selectors import topic_tags
from kizuna.records import vocab as records_vocab
from kizuna.records.models import Statement
from kizuna.records.projections import rebuild_in_passes, statements_in_order

from . import spacing, vocab
from .models import Attempt, AttemptAnswer, ItemStat, Question, QuizVersion, ReviewCard, TopicWeek
from .published import key_from_iri
from .types import question_type, type_class

SCALE = 10_000
VERBS = (
    vocab.ATTEMPTED.iri,
    records_vocab.ANSWERED.iri,
    records_vocab.COMPLETED.iri,
    vocab.GRADED.iri,
    records_vocab.PASSED.iri,
    records_vocab.FAILED.iri,
)


def units(score: float) -> int:
    return round(score * SCALE)


def week_of(moment: datetime) -> date:
    """The Monday of the moment's week, in the deployment's time zone."""
    day = moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    return day - timedelta(days=day.weekday())


# --- Where rows come from: the database (live) or memory (rebuild) ----------------------------------------


class _LiveStore:
    def __init__(self) -> None:
        self._new: list[Any] = []
        self._dirty: list[Any] = []

    def attempt(self, key: str) -> Attempt | None:
        return Attempt.objects.select_for_update().filter(key=key).first()

    def add(self, obj: Any) -> None:
        self._new.append(obj)

    def save(self, obj: Any) -> None:
        if obj.pk is None:
            if obj not in self._new:
                self._new.append(obj)
        elif obj not in self._dirty:
            self._dirty.append(obj)

    def answers(self, attempt: Attempt) -> dict[str, AttemptAnswer]:
        return {str(a.question_key): a for a in AttemptAnswer.objects.filter(attempt=attempt)}

    def answer(self, attempt: Attempt, key: str) -> AttemptAnswer | None:
        return AttemptAnswer.objects.filter(attempt=attempt, question_key=key).first()

    def version(self, version_id: int) -> QuizVersion:
        return QuizVersion.objects.only("id", "questions").get(pk=version_id)

    def question_ids(self, keys: list[str]) -> dict[str, int]:
        return {str(k): pk for k, pk in Question.objects.filter(key__in=keys).values_list("key", "pk")}

    def tag_ids(self, slugs: list[str]) -> dict[str, int]:
        return dict(topic_tags().filter(slug__in=slugs).values_list("slug", "pk"))

    def item_stats(self, question_ids: list[int], partner_id: int) -> dict[int, ItemStat]:
        ItemStat.objects.bulk_create(
            [ItemStat(question_id=q, partner_id=partner_id) for q in question_ids], ignore_conflicts=True
        )
        # Locked in one order (by question), so two submissions never wait on each other in a circle.
        rows = ItemStat.objects.select_for_update().filter(question_id__in=question_ids, partner_id=partner_id)
        return {row.question_id: row for row in rows.order_by("question_id")}

    def topic_weeks(self, rep_id: int, partner_id: int | None, tag_ids: list[int], week: date) -> dict[int, TopicWeek]:
        TopicWeek.objects.bulk_create(
            [TopicWeek(rep_id=rep_id, partner_id=partner_id, topic_id=t, week=week) for t in tag_ids],
            ignore_conflicts=True,
        )
        rows = TopicWeek.objects.select_for_update().filter(rep_id=rep_id, topic_id__in=tag_ids, week=week)
        return {row.topic_id: row for row in rows.order_by("topic_id")}

    def cards(self, rep_id: int, question_ids: list[int]) -> dict[int, ReviewCard]:
        rows = ReviewCard.objects.select_for_update().filter(rep_id=rep_id, question_id__in=question_ids)
        return {row.question_id: row for row in rows.order_by("question_id")}

    def flush(self) -> None:
        for obj in self._new:
            obj.save(force_insert=True)
        for obj in self._dirty:
            obj.save()
        self._new, self._dirty = [], []


class _MemoryStore:
    def __init__(self) -> None:
        self.attempts: dict[str, Attempt] = {}
        self.answer_rows: dict[str, dict[str, AttemptAnswer]] = {}
        self.stats: dict[tuple[int, int], ItemStat] = {}
        self.weeks: dict[tuple[int, int, date], TopicWeek] = {}
        self.card_rows: dict[tuple[int, int], ReviewCard] = {}
        self._versions: dict[int, QuizVersion] = {}
        self._questions = {str(k): pk for k, pk in Question.objects.values_list("key", "pk")}
        self._tags = dict(topic_tags().values_list("slug", "pk"))
        # The statement being applied, and the last one that counted in each item statistic (a partner's
        # rebuild adds up its passes' statistics: the last answer is the one with the highest seq).
        self.seq = 0
        self.stat_seqs: dict[tuple[int, int], int] = {}

    def attempt(self, key: str) -> Attempt | None:
        return self.attempts.get(key)

    def add(self, obj: Any) -> None:
        if isinstance(obj, Attempt):
            self.attempts[str(obj.key)] = obj
            self.answer_rows[str(obj.key)] = {}

    def save(self, obj: Any) -> None:
        if isinstance(obj, AttemptAnswer):
            self.answer_rows[str(obj.attempt.key)][str(obj.question_key)] = obj
        elif isinstance(obj, ReviewCard):
            self.card_rows[(obj.rep_id, obj.question_id)] = obj
        elif isinstance(obj, ItemStat):
            self.stat_seqs[(obj.question_id, obj.partner_id)] = self.seq

    def answers(self, attempt: Attempt) -> dict[str, AttemptAnswer]:
        return self.answer_rows[str(attempt.key)]

    def answer(self, attempt: Attempt, key: str) -> AttemptAnswer | None:
        return self.answer_rows[str(attempt.key)].get(key)

    def version(self, version_id: int) -> QuizVersion:
        if version_id not in self._versions:
            self._versions[version_id] = QuizVersion.objects.only("id", "questions").get(pk=version_id)
        return self._versions[version_id]

    def question_ids(self, keys: list[str]) -> dict[str, int]:
        return {k: self._questions[k] for k in keys if k in self._questions}

    def tag_ids(self, slugs: list[str]) -> dict[str, int]:
        return {s: self._tags[s] for s in slugs if s in self._tags}

    def item_stats(self, question_ids: list[int], partner_id: int) -> dict[int, ItemStat]:
        for q in question_ids:
            self.stats.setdefault((q, partner_id), ItemStat(question_id=q, partner_id=partner_id, option_counts={}))
        return {q: self.stats[(q, partner_id)] for q in question_ids}

    def topic_weeks(self, rep_id: int, partner_id: int | None, tag_ids: list[int], week: date) -> dict[int, TopicWeek]:
        for t in tag_ids:
            self.weeks.setdefault(
                (rep_id, t, week),
                TopicWeek(
                    rep_id=rep_id, partner_id=partner_id, topic_id=t, week=week, answered=0, correct=0, score_sum=0
                ),
            )
        return {t: self.weeks[(rep_id, t, week)] for t in tag_ids}

    def cards(self, rep_id: int, question_ids: list[int]) -> dict[int, ReviewCard]:
        return {q: self.card_rows[(rep_id, q)] for q in question_ids if (rep_id, q) in self.card_rows}

    def flush(self) -> None:
        pass

    def write(self, *, stats: bool = True) -> int:
        """Insert the rows derived (the item statistics too unless `stats` is False); return how many."""
        attempts = list(self.attempts.values())
        Attempt.objects.bulk_create(attempts, batch_size=2000)
        answers = [a for rows in self.answer_rows.values() for a in rows.values()]
        for answer in answers:
            answer.attempt_id = answer.attempt.pk
        AttemptAnswer.objects.bulk_create(answers, batch_size=2000)
        if stats:
            ItemStat.objects.bulk_create(self.stats.values(), batch_size=2000)
        TopicWeek.objects.bulk_create(self.weeks.values(), batch_size=2000)
        ReviewCard.objects.bulk_create(self.card_rows.values(), batch_size=2000)
        made = len(attempts) + len(answers) + len(self.weeks) + len(self.card_rows)
        return made + (len(self.stats) if stats else 0)


# --- The rules ------------------------------------------------------------------------------------------


def _extensions(st: Statement) -> dict[str, Any]:
    return (st.context or {}).get("extensions", {}) or {}


def _apply(st: Statement, store: Any) -> None:
    if st.verb not in VERBS:
        return
    ext = _extensions(st)
    if st.object_type == vocab.TYPE_ASSESSMENT.iri and vocab.EXT_QUIZ_VERSION.iri in ext:
        if st.verb == vocab.ATTEMPTED.iri:
            _attempted(st, ext, store)
        elif st.verb == records_vocab.COMPLETED.iri:
            _completed(st, ext, store)
        elif (ext.get(vocab.EXT_GRADING.iri) or {}).get("final"):  # passed/failed once the essays are graded
            _finalised(st, store)
    elif st.object_type == vocab.TYPE_INTERACTION.iri and st.verb == vocab.GRADED.iri:
        _graded(st, store)
    elif st.object_type == vocab.TYPE_INTERACTION.iri and st.verb == records_vocab.ANSWERED.iri:
        if ext.get(vocab.EXT_REVIEW.iri):
            _reviewed(st, ext, store)
        elif vocab.EXT_QUIZ_VERSION.iri in ext:
            _answered(st, store)


def _attempted(st: Statement, ext: dict[str, Any], store: Any) -> None:
    spec = ext[vocab.EXT_ATTEMPT.iri]
    registration = (st.context or {}).get("registration")
    if not registration or store.attempt(registration) is not None:
        return
    deadline = parse_datetime(spec["deadline"]) if spec.get("deadline") else None
    attempt = Attempt(
        key=registration,
        rep_id=st.actor_id,
        partner_id=st.partner_id,
        quiz_id=spec["quiz"],
        quiz_version_id=ext[vocab.EXT_QUIZ_VERSION.iri],
        lesson_id=st.lesson_id,
        number=spec["number"],
        layout=spec["layout"],
        started_at=st.timestamp,
        deadline=deadline,
        start_statement=st.id,
    )
    store.add(attempt)
    store.flush()


def _answered(st: Statement, store: Any) -> None:
    registration = (st.context or {}).get("registration")
    attempt = store.attempt(registration) if registration else None
    if attempt is None or attempt.submitted_at is not None:
        return
    key = key_from_iri(st.object_iri)
    if key not in {item["key"] for item in attempt.layout}:
        return
    result = st.result or {}
    row = store.answer(attempt, key)
    if row is not None and row.statement_seq > st.seq:
        return  # an older answer arriving late never replaces a newer one
    if row is None:
        row = AttemptAnswer(attempt=attempt, question_key=key)
    row.answer = (result.get("extensions") or {}).get(vocab.EXT_ANSWER.iri, {})
    row.response = result.get("response", "")
    row.score = float((result.get("score") or {}).get("scaled", 0.0))
    row.correct = bool(result.get("success"))
    row.seconds = st.duration_seconds
    row.answered_at = st.timestamp
    row.statement_seq = st.seq
    store.save(row)
    store.flush()


def _completed(st: Statement, ext: dict[str, Any], store: Any) -> None:
    registration = (st.context or {}).get("registration")
    attempt = store.attempt(registration) if registration else None
    if attempt is None or attempt.submitted_at is not None:
        return
    result = st.result or {}
    attempt.submitted_at = st.timestamp
    attempt.submit_statement = st.id
    if (ext.get(vocab.EXT_GRADING.iri) or {}).get("pending"):
        # Essays to grade: no score yet; the answers count once the last grade finalises it (_finalised).
        attempt.score, attempt.passed, attempt.grading_pending = None, None, True
        store.save(attempt)
        store.flush()
        return
    attempt.score = float((result.get("score") or {}).get("scaled", 0.0))
    attempt.passed = bool(result.get("success"))
    store.save(attempt)
    _count_answers(st, store, attempt)


def _graded(st: Statement, store: Any) -> None:
    """An essay's grade: the answer takes its score, until the attempt is finalised."""
    registration = (st.context or {}).get("registration")
    attempt = store.attempt(registration) if registration else None
    if attempt is None or not attempt.grading_pending:
        return
    row = store.answer(attempt, key_from_iri(st.object_iri))
    if row is None:
        return
    result = st.result or {}
    extensions = result.get("extensions") or {}
    row.score = float((result.get("score") or {}).get("scaled", 0.0))
    row.correct = bool(result.get("success"))
    row.graded_by_id = st.actor_id
    row.graded_at = st.timestamp
    row.rubric_levels = extensions.get(vocab.EXT_RUBRIC_LEVELS.iri) or {}
    row.feedback = (extensions.get(vocab.EXT_GRADING.iri) or {}).get("feedback", "")
    store.save(row)
    store.flush()


def _finalised(st: Statement, store: Any) -> None:
    """The last essay graded: the attempt takes its score and its answers count, as at any other submission."""
    registration = (st.context or {}).get("registration")
    attempt = store.attempt(registration) if registration else None
    if attempt is None or not attempt.grading_pending:
        return
    result = st.result or {}
    attempt.score = float((result.get("score") or {}).get("scaled", 0.0))
    attempt.passed = bool(result.get("success"))
    attempt.grading_pending = False
    store.save(attempt)
    _count_answers(st, store, attempt)


def _count_answers(st: Statement, store: Any, attempt: Attempt) -> None:
    """Count a scored attempt's final answers in item statistics, weak topics and review cards."""
    answers = store.answers(attempt)
    version = store.version(attempt.quiz_version_id)
    kinds = {
        item["key"]: type_class(version.questions[item["key"]]["type"])
        for item in attempt.layout
        if item["key"] in version.questions
    }
    # Descriptions score nothing; essays count, but a person's grade is no review of the rep's memory.
    keys = [item["key"] for item in attempt.layout if item["key"] in kinds and kinds[item["key"]].scored]
    reviewed = [key for key in keys if not kinds[key].manual]
    question_ids = store.question_ids(keys)
    x = {key: units(answers[key].score) if key in answers else 0 for key in keys}
    total, n = sum(x.values()), len(keys)

    if attempt.partner_id is not None and question_ids:
        stats = store.item_stats(sorted(set(question_ids.values())), attempt.partner_id)
        for key in keys:
            if key not in question_ids:
                continue
            stat, answer = stats[question_ids[key]], answers.get(key)
            stat.answered += 1
            stat.blank += answer is None
            stat.correct += bool(answer and answer.correct)
            stat.score_sum += x[key]
            if n > 1:
                y = round((total - x[key]) / (n - 1))
                stat.pairs += 1
                stat.x_sum += x[key]
                stat.x2_sum += x[key] * x[key]
                stat.y_sum += y
                stat.y2_sum += y * y
                stat.xy_sum += x[key] * y
            if answer is not None:
                q = version.questions[key]
                counts = dict(stat.option_counts or {})
                for option in question_type(q["type"], q["data"]).answer_options(answer.answer):
                    counts[option] = counts.get(option, 0) + 1
                stat.option_counts = counts
            stat.last_answered_at = st.timestamp
            store.save(stat)

    by_topic: dict[str, list[str]] = {}
    for key in keys:
        for slug in version.questions[key].get("topics", []):
            by_topic.setdefault(slug, []).append(key)
    _count_topics(
        st, store, {slug: [(x[k], k in answers and answers[k].correct) for k in ks] for slug, ks in by_topic.items()}
    )

    cards = store.cards(attempt.rep_id, sorted({question_ids[k] for k in reviewed if k in question_ids}))
    for key in reviewed:
        if key not in question_ids:
            continue
        answer = answers.get(key)
        rating = (
            spacing.rating_for(score=answer.score, correct=answer.correct, seconds=answer.seconds)
            if answer is not None
            else spacing.Rating.Again
        )
        _review_card(st, store, cards.get(question_ids[key]), question_ids[key], rating)
    store.flush()


def _count_topics(st: Statement, store: Any, results: dict[str, list[tuple[int, bool]]]) -> None:
    tag_ids = store.tag_ids(sorted(results))
    if not tag_ids:
        return
    weeks = store.topic_weeks(st.actor_id, st.partner_id, sorted(tag_ids.values()), week_of(st.timestamp))
    for slug, tag_id in tag_ids.items():
        row = weeks[tag_id]
        for score, correct in results[slug]:
            row.answered += 1
            row.correct += correct
            row.score_sum += score
        store.save(row)


def _review_card(st: Statement, store: Any, row: ReviewCard | None, question_id: int, rating: Any) -> None:
    if row is None:
        row = ReviewCard(rep_id=st.actor_id, partner_id=st.partner_id, question_id=question_id, reviews=0, lapses=0)
    spacing.card_review(row, rating=rating, when=st.timestamp)
    store.save(row)


def _reviewed(st: Statement, ext: dict[str, Any], store: Any) -> None:
    key = key_from_iri(st.object_iri)
    question_id = store.question_ids([key]).get(key)
    result = st.result or {}
    score = float((result.get("score") or {}).get("scaled", 0.0))
    correct = bool(result.get("success"))
    _count_topics(st, store, {slug: [(units(score), correct)] for slug in ext.get(vocab.EXT_TOPICS.iri, [])})
    if question_id is not None:
        rating = spacing.rating_for(score=score, correct=correct, seconds=st.duration_seconds)
        _review_card(st, store, store.cards(st.actor_id, [question_id]).get(question_id), question_id, rating)
    store.flush()


# --- Entry points (registered in apps.py) ---------------------------------------------------------------


def apply_statement(st: Statement) -> None:
    """Apply one newly stored statement (inside its transaction)."""
    if st.verb not in VERBS:
        return
    _apply(st, _LiveStore())


def rebuild() -> int:
    """Throw the quiz projections away and derive them again from every statement, in stored order."""
    Attempt.objects.all().delete()
    ItemStat.objects.all().delete()
    TopicWeek.objects.all().delete()
    ReviewCard.objects.all().delete()
    return _replay(None).write()


def _replay(actors: list[int] | None) -> _MemoryStore:
    """Derive the rows of the statements (of these reps, or everybody's) in memory. A rep's essays are graded
    by someone else: every grade is read, and those of other reps' attempts find no attempt and count nothing."""
    store = _MemoryStore()
    if actors is None:
        statements = statements_in_order(verbs=VERBS)
    else:
        ours = Q(verb__in=VERBS, actor_id__in=actors) | Q(verb=vocab.GRADED.iri)
        statements = Statement.objects.filter(ours).order_by("seq").iterator(chunk_size=5000)
    for st in statements:
        store.seq = st.seq
        _apply(st, store)
    return store


_STAT_SUMS = ("answered", "blank", "correct", "score_sum", "pairs", "x_sum", "x2_sum", "y_sum", "y2_sum", "xy_sum")


def rebuild_partner(partner_id: int, rep_ids: list[int]) -> int:
    """A partner's rebuild: its reps' attempts, answers, topic weeks and review cards from all their statements,
    and the agency's item statistics, summed over the passes; other agencies' statistics stay as they are.

    Every attempt counted in the agency's statistics was started by one of its reps, so the sums are a full
    rebuild's; the last answer of a statistic is the one with the highest seq across the passes.
    """
    stats: dict[tuple[int, int], ItemStat] = {}
    seqs: dict[tuple[int, int], int] = {}

    def one_pass(group: list[int]) -> int:
        for model in (Attempt, TopicWeek, ReviewCard):
            model.objects.filter(rep_id__in=group).delete()
        store = _replay(group)
        for key, stat in store.stats.items():
            if key[1] == partner_id:
                _stat_add(stats, seqs, key, stat, store.stat_seqs.get(key, 0))
        return store.write(stats=False)

    made = rebuild_in_passes(rep_ids, one_pass)
    ItemStat.objects.filter(partner_id=partner_id).delete()
    ItemStat.objects.bulk_create(stats.values(), batch_size=2000)
    return made + len(stats)


def _stat_add(
    stats: dict[tuple[int, int], ItemStat],
    seqs: dict[tuple[int, int], int],
    key: tuple[int, int],
    stat: ItemStat,
    seq: int,
) -> None:
    have = stats.get(key)
    if have is None:
        stats[key], seqs[key] = stat, seq
        return
    for name in _STAT_SUMS:
        setattr(have, name, getattr(have, name) + getattr(stat, name))
    counts = dict(have.option_counts or {})
    for option, n in (stat.option_counts or {}).items():
        counts[option] = counts.get(option, 0) + n
    have.option_counts = counts
    if seq > seqs[key]:
        have.last_answered_at, seqs[key] = stat.last_answered_at, seq
