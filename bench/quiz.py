"""Quizzes on the bench data: submissions under concurrent reps, analysis over 1,000,000 answers, the rep home.

    .venv/bin/python bench/quiz.py                       # make bench-quiz: everything, then clean up
    .venv/bin/python bench/quiz.py --only analysis --sizes 250000,1000000
    .venv/bin/python bench/quiz.py --only submit --concurrency 4,16 --duration 20
    .venv/bin/python bench/quiz.py --keep                # leave the generated answers (e.g. for bench/load.py)
    .venv/bin/python bench/quiz.py --cleanup             # remove what a --keep run left

What it does, against the full bench database (`make bench-data`):

1. applies the migrations of `records` and `assessments` if missing, and makes (once, through the real
   services) a 40-question bank over 8 topics with every question type, a quiz that draws 10 of them
   for every attempt, and a published course with that quiz lesson assigned to partner bench-p01;
2. **analysis** — for each size (default 250,000 and 1,000,000 answers): bulk-generates that many answers
   as projection rows, by the rules of `kizuna.assessments.projections` (10-question attempts of all
   10,000 reps over the last 12 weeks, each rep's FSRS review cards reviewed at each submission with the
   `fsrs` library, ItemStat and TopicWeek sums) and streams them into PostgreSQL with COPY; then times
   item analysis (every partner, one partner, the per-partner breakdown), weak topics (across partners,
   one partner, one rep), the managers' overview and retention, and their pages in-process, with their
   query counts; and, for comparison, the same per-question figures computed by scanning the raw answers;
3. **home** — the rep home's review card (`selectors.home_review`, one query) for 20 reps of bench-p01
   with their review queues, against the floor page, in-process as bench/updates.py does;
4. **submit** — gunicorn on 127.0.0.1 (4 workers); N concurrent reps of bench-p01 each open the lesson,
   start an attempt, load it, save each of the 10 answers as they go (JSON, a fresh statement id each),
   submit (10% tap twice) and open the result; latency per step and attempts per second; then checks
   that no double tap counted twice. Also GET /review/ against the floor page under the same load;
5. deletes what it generated and what the run recorded (unless --keep).

Statements are not generated for the bulk answers: item analysis and weak topics read only the
projections (ItemStat, TopicWeek, ReviewCard); the raw-answer scan stands in for "from the statements".
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from load import (  # noqa: E402
    TARGET_PARTNER_SLUG,
    Request,
    Server,
    combine,
    default_database_url,
    free_port,
    log,
    make_session,
    percentile,
    run_load,
    setup_django,
)

BANK_SLUG = "bench-quiz-bank"
COURSE_SLUG = "bench-quiz-course"
QUIZ_TITLE = "[bench] 確認テスト"
TOPICS = ["価格交渉", "製品知識", "ヒアリング", "導入支援", "契約", "競合比較", "法令", "サポート"]
QUESTIONS_PER_ATTEMPT = 10
BANK_SIZE = 40
WEEKS = 12
TARGET_SECONDS = 2.0
BLANK_SHARE = 0.02  # questions left blank in a submitted attempt


# --- Content (once, through the services) -------------------------------------------------------------


def ensure_schema() -> None:
    from django.core.management import call_command

    for app in ("records", "assessments"):
        call_command("migrate", app, interactive=False, verbosity=0)


def _question_specs(n: int) -> list[dict[str, Any]]:
    """n questions of every type, each on one or two topics."""
    specs = []
    for i in range(n):
        kind = ["single", "multiple", "truefalse", "short", "numerical", "matching", "single", "truefalse"][i % 8]
        topics = [f"bench {TOPICS[i % 8]}"] + ([f"bench {TOPICS[(i + 3) % 8]}"] if i % 5 == 0 else [])
        text = f"[bench] 問題 {i + 1}: {TOPICS[i % 8]}について正しいものは?"
        data: dict[str, Any]
        if kind == "single":
            data = {
                "options": [
                    {"text": "正しい説明", "weight": 100, "feedback": ""},
                    {"text": "よくある誤解", "weight": 0, "feedback": "よくある誤解です。"},
                    {"text": "別の誤り", "weight": 0, "feedback": ""},
                    {"text": "明らかな誤り", "weight": 0, "feedback": ""},
                ]
            }
        elif kind == "multiple":
            data = {
                "options": [
                    {"text": "正しい A", "weight": 50},
                    {"text": "正しい B", "weight": 50},
                    {"text": "誤り C", "weight": -100, "feedback": "C は違います。"},
                ]
            }
        elif kind == "truefalse":
            data = {"answer": i % 3 != 0, "feedback_true": "", "feedback_false": "説明を読み直しましょう。"}
        elif kind == "short":
            data = {"answers": [{"text": "オートクローズ", "weight": 100}, {"text": "自動締め", "weight": 50}]}
        elif kind == "numerical":
            data = {"answers": [{"kind": "tolerance", "value": 300, "tolerance": 0, "weight": 100}]}
        else:
            data = {
                "pairs": [
                    {"left": "ライト", "right": "10名まで"},
                    {"left": "スタンダード", "right": "100名まで"},
                    {"left": "", "right": "無制限"},
                ]
            }
        specs.append({"type": kind, "text": text, "data": data, "topics": topics, "explanation": "**解説**です。"})
    return specs


def ensure_content() -> dict[str, Any]:
    """The bench bank, quiz and quiz lesson (made once; reused by later runs)."""
    from django.db import transaction

    from kizuna.assessments import services
    from kizuna.assessments.models import QuestionBank, QuizVersion
    from kizuna.catalog import services as catalog
    from kizuna.catalog.models import Course
    from kizuna.orgs.models import Membership, Organization

    admin = Membership.objects.filter(role="admin").select_related("user").first().user
    author = Membership.objects.filter(role="author").select_related("user").first().user
    partner = Organization.objects.get(slug=TARGET_PARTNER_SLUG)
    course = Course.objects.filter(slug=COURSE_SLUG).first()
    if course is None:
        log("making the bench bank, quiz and quiz lesson through the services")
        with transaction.atomic():
            bank = QuestionBank.objects.filter(slug=BANK_SLUG).first() or services.bank_create(
                slug=BANK_SLUG, title="[bench] 問題バンク", author=author
            )
            for spec in _question_specs(BANK_SIZE):
                services.question_create(
                    bank=bank,
                    type=spec["type"],
                    text=spec["text"],
                    explanation=spec["explanation"],
                    data=spec["data"],
                    topics=catalog.topic_tags_ensure(names=spec["topics"]),
                )
            quiz = services.quiz_create(author=author, title=QUIZ_TITLE, pass_mark=70)
            services.quiz_draw_add(quiz=quiz, bank=bank, count=QUESTIONS_PER_ATTEMPT)
            course = catalog.course_create(author=author, title="[bench] 確認テスト", slug=COURSE_SLUG)
            module = catalog.module_create(course=course, title="確認テスト")
            catalog.lesson_create(module=module, kind="quiz", title="確認テスト", content_id=quiz.pk)
            catalog.course_publish(course=course, publisher=author)
            catalog.assignment_create(course=course, assigned_by=admin, required=False, due_at=None, partner=partner)
        course.refresh_from_db()
    lesson = course.latest_version.lessons.get()
    version = QuizVersion.objects.select_related("quiz").get(pk=lesson.content_id)
    bank = QuestionBank.objects.get(slug=BANK_SLUG)
    return {
        "course": course,
        "lesson": lesson,
        "version": version,
        "quiz": version.quiz,
        "bank": bank,
        "partner": partner,
        "admin": admin,
        "author": author,
    }


def cleanup(content: dict[str, Any], *, since_seq: int | None = None, reps: list[int] | None = None) -> dict[str, int]:
    """Delete the quiz's attempts and every projection row of the bench questions and topics; with since_seq and
    reps, also the statements (and records' rows) those reps recorded about the bench quiz after that number."""
    from django.db import connection

    counts = {}
    bank, quiz = content["bank"].pk, content["quiz"].pk
    questions = "SELECT id FROM assessments_question WHERE bank_id = %s"
    topics = "SELECT id FROM catalog_tag WHERE kind = 'topic' AND name_ja LIKE 'bench %%'"
    with connection.cursor() as cur:
        for key, sql, params in (
            (
                "answers",
                "DELETE FROM assessments_attemptanswer WHERE attempt_id IN "
                "(SELECT id FROM assessments_attempt WHERE quiz_id = %s)",
                [quiz],
            ),
            ("attempts", "DELETE FROM assessments_attempt WHERE quiz_id = %s", [quiz]),
            ("item_stats", f"DELETE FROM assessments_itemstat WHERE question_id IN ({questions})", [bank]),
            ("topic_weeks", f"DELETE FROM assessments_topicweek WHERE topic_id IN ({topics})", []),
            ("review_cards", f"DELETE FROM assessments_reviewcard WHERE question_id IN ({questions})", [bank]),
        ):
            cur.execute(sql, params)
            counts[key] = cur.rowcount
    if since_seq is not None and reps:
        counts |= _forget_statements(content, since_seq, reps)
    return counts


def _forget_statements(content: dict[str, Any], since_seq: int, reps: list[int]) -> dict[str, int]:
    """The run's statements only: by the reps who took part, after the run began, about the bench quiz's lesson,
    the quiz itself or its questions (other benches may be writing statements of their own meanwhile)."""
    from django.conf import settings
    from django.db import connection

    from kizuna.assessments.published import question_iri

    lesson = content["lesson"]
    questions = [question_iri(key) for key in content["bank"].questions.values_list("key", flat=True)]
    where = "seq > %s AND actor_id = ANY(%s) AND (lesson_id = %s OR object_iri LIKE %s OR object_iri = ANY(%s))"
    params = [since_seq, reps, lesson.pk, f"%/quiz/{content['quiz'].key}/%", questions]
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT DISTINCT actor_id, (timestamp AT TIME ZONE %s)::date FROM records_statement WHERE {where}",
            [settings.TIME_ZONE, *params],
        )
        days = cur.fetchall()
        cur.execute(f"DELETE FROM records_statement WHERE {where}", params)
        deleted = cur.rowcount
        cur.execute("DELETE FROM records_lessonprogress WHERE lesson_id = %s", [lesson.pk])
        cur.execute("DELETE FROM records_courseprogress WHERE course_id = %s", [content["course"].pk])
        # The per-day projection of the touched reps and days, again from what is left (bulkload's rule).
        for actor_id, day in days:
            cur.execute("DELETE FROM records_learningday WHERE user_id = %s AND day = %s", [actor_id, day])
            cur.execute(
                "INSERT INTO records_learningday (user_id, partner_id, day, seconds, statements) "
                "SELECT actor_id, max(partner_id), %(day)s, sum(least(greatest(coalesce(duration_seconds, 0), 0), "
                "120)), count(*) FROM records_statement WHERE actor_id = %(actor)s AND verb NOT LIKE %(assigned)s "
                "AND (timestamp AT TIME ZONE %(tz)s)::date = %(day)s GROUP BY actor_id",
                {"day": day, "actor": actor_id, "assigned": "%/verbs/assigned", "tz": settings.TIME_ZONE},
            )
    return {"statements": deleted}


# --- Bulk answers, by the projection's rules -----------------------------------------------------------


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


class Candidates:
    """The answers a rep may give to one question (right ones, tempting wrong ones), checked once by its type."""

    def __init__(self, question: Any, rng: random.Random) -> None:
        from kizuna.assessments.types import question_type

        self.qtype = question_type(question.type, question.data)
        data, kind = question.data, question.type
        answers: list[tuple[dict[str, Any], float]] = []  # (answer, how tempting when wrong)
        if kind == "single":
            answers = [({"choice": o["id"]}, 3.0 if n == 1 else 1.0) for n, o in enumerate(data["options"])]
        elif kind == "multiple":
            ids = [o["id"] for o in data["options"]]
            answers = [({"choices": ids[:2]}, 1), ({"choices": ids[:1]}, 2), ({"choices": [ids[0], ids[2]]}, 1)]
        elif kind == "truefalse":
            answers = [({"choice": "true"}, 1), ({"choice": "false"}, 1)]
        elif kind == "short":
            answers = [({"text": "オートクローズ"}, 1), ({"text": "自動締め"}, 2), ({"text": "わからない"}, 2)]
        elif kind == "numerical":
            answers = [({"text": "300", "value": 300.0}, 1), ({"text": "3000", "value": 3000.0}, 2)]
        else:
            answers = [({"matches": {"1": "1", "2": "2"}}, 1), ({"matches": {"1": "2", "2": "1"}}, 1)]
        self.right: list[tuple[Any, ...]] = []
        self.wrong: list[tuple[Any, ...]] = []
        for answer, temptation in answers:
            parsed = self.qtype.parse_answer(answer)
            verdict = self.qtype.check(parsed)
            row = (
                json.dumps(parsed, ensure_ascii=False),
                self.qtype.response_text(parsed),
                verdict.score,
                verdict.correct,
                self.qtype.answer_options(parsed),
                temptation,
            )
            (self.right if verdict.correct else self.wrong).append(row)
        self.wrong_weights = [w[5] for w in self.wrong]
        self.difficulty = rng.gauss(0, 0.8)

    def pick(self, rng: random.Random, ability: float) -> tuple[Any, ...]:
        if not self.wrong or rng.random() < _sigmoid(ability - self.difficulty + 0.8):
            return self.right[0]
        return rng.choices(self.wrong, weights=self.wrong_weights)[0]


def generate(content: dict[str, Any], n_answers: int, seed: int) -> dict[str, Any]:
    """n_answers answers in 10-question attempts of every rep, with their ItemStat, TopicWeek and ReviewCard rows."""
    from datagen.bulkload import connect
    from django.db import connection
    from django.utils import timezone
    from fsrs import Card, State

    from kizuna.assessments import spacing
    from kizuna.assessments.projections import units, week_of
    from kizuna.orgs.models import Membership

    rng = random.Random(seed)
    version = content["version"]
    pool = [item for item in version.items if item["kind"] == "draw"][0]["pool"]
    questions = {str(q.key): q for q in content["bank"].questions.prefetch_related("topics")}
    candidates = {key: Candidates(questions[key], rng) for key in pool}
    topics_of = {key: [t.pk for t in questions[key].topics.all()] for key in pool}
    reps = list(Membership.objects.filter(role="rep").values_list("user_id", "organization_id").order_by("user_id"))
    partner_skill = {p: rng.gauss(0, 0.5) for p in {p for _r, p in reps}}
    n_attempts = max(1, round(n_answers / (QUESTIONS_PER_ATTEMPT * (1 - BLANK_SHARE))))
    activity = [rng.lognormvariate(0, 0.8) for _ in reps]
    total = sum(activity)
    per_rep = [int(n_attempts * a / total) for a in activity]
    for i in rng.sample(range(len(reps)), n_attempts - sum(per_rep)):
        per_rep[i] += 1
    now = timezone.now()
    start = now - timedelta(weeks=WEEKS) + timedelta(days=1)
    span = (now - timedelta(hours=1) - start).total_seconds()
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM assessments_attempt")
        attempt_id = cur.fetchone()[0]
        cur.execute("SELECT coalesce(max(id), 0) FROM assessments_attemptanswer")
        answer_id = cur.fetchone()[0]
    first_attempt_id = attempt_id + 1
    stats: dict[tuple[int, int], dict[str, Any]] = {}
    counts = defaultdict(int)
    t0 = time.monotonic()
    conns = {name: connect() for name in ("attempt", "answer", "week", "card")}
    copies = {}
    cursors = {name: conn.cursor() for name, conn in conns.items()}
    specs = {
        "attempt": "assessments_attempt (id, key, rep_id, partner_id, quiz_id, quiz_version_id, lesson_id, number, "
        "layout, started_at, deadline, start_statement, submitted_at, submit_statement, score, passed)",
        "answer": "assessments_attemptanswer (id, attempt_id, question_key, answer, response, score, correct, seconds, "
        "answered_at, statement_seq)",
        "week": "assessments_topicweek (rep_id, partner_id, topic_id, week, answered, correct, score_sum)",
        "card": "assessments_reviewcard (rep_id, partner_id, question_id, state, step, stability, difficulty, due, "
        "last_review, reviews, lapses)",
    }
    seq = 10**12  # answers' statement_seq: above any real one, ascending
    try:
        stack = contextlib.ExitStack()
        for name, cur in cursors.items():
            copies[name] = stack.enter_context(cur.copy(f"COPY {specs[name]} FROM STDIN"))
        for (rep_id, partner_id), k in zip(reps, per_rep, strict=True):
            if not k:
                continue
            ability = partner_skill[partner_id] + rng.gauss(0, 0.7)
            weeks: dict[tuple[int, Any], list[int]] = defaultdict(lambda: [0, 0, 0])
            cards: dict[int, list[Any]] = {}
            times = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(k))
            for number, started_at in enumerate(times, start=1):
                attempt_id += 1
                keys = rng.sample(pool, QUESTIONS_PER_ATTEMPT)
                layout = [{"key": key, "order": candidates[key].qtype.shuffle_order(rng, shuffle=True)} for key in keys]
                at = started_at
                scores: dict[str, int] = {}
                given: dict[str, tuple[Any, ...]] = {}
                for key in keys:
                    seconds = rng.uniform(4, 50)
                    at += timedelta(seconds=seconds)
                    if rng.random() < BLANK_SHARE:
                        scores[key] = 0  # left blank
                        continue
                    row = candidates[key].pick(rng, ability)
                    given[key] = (*row, seconds, at)
                    scores[key] = units(row[2])
                    answer_id += 1
                    seq += 1
                    copies["answer"].write_row(
                        (answer_id, attempt_id, key, row[0], row[1], row[2], row[3], seconds, at, seq)
                    )
                submitted_at = at + timedelta(seconds=rng.uniform(2, 20))
                score = sum(scores.values()) / SCALE_ / QUESTIONS_PER_ATTEMPT
                copies["attempt"].write_row(
                    (
                        attempt_id,
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        rep_id,
                        partner_id,
                        content["quiz"].pk,
                        version.pk,
                        content["lesson"].pk,
                        number,
                        json.dumps(layout),
                        started_at,
                        None,
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        submitted_at,
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        score,
                        score * 100 >= version.pass_mark - 1e-9,
                    )
                )
                counts["attempts"] += 1
                counts["answers"] += len(given)
                # ItemStat, by projections._completed: x = the question's score, y = the rest's mean.
                total_units = sum(scores.values())
                week = week_of(submitted_at)
                for key in keys:
                    question = questions[key]
                    stat = stats.setdefault(
                        (question.pk, partner_id),
                        {f: 0 for f in STAT_FIELDS} | {"options": defaultdict(int), "last": submitted_at},
                    )
                    x, answer = scores[key], given.get(key)
                    y = round((total_units - x) / (QUESTIONS_PER_ATTEMPT - 1))
                    stat["answered"] += 1
                    stat["blank"] += answer is None
                    stat["correct"] += bool(answer and answer[3])
                    stat["score_sum"] += x
                    stat["pairs"] += 1
                    stat["x_sum"] += x
                    stat["x2_sum"] += x * x
                    stat["y_sum"] += y
                    stat["y2_sum"] += y * y
                    stat["xy_sum"] += x * y
                    stat["last"] = max(stat["last"], submitted_at)
                    if answer is not None:
                        for option in answer[4]:
                            stat["options"][option] += 1
                    for topic_id in topics_of[key]:
                        w = weeks[(topic_id, week)]
                        w[0] += 1
                        w[1] += bool(answer and answer[3])
                        w[2] += x
                    # The question's FSRS card, reviewed at the submission (spacing.card_review's rules).
                    rating = (
                        spacing.rating_for(score=answer[2], correct=answer[3], seconds=answer[6])
                        if answer is not None
                        else spacing.Rating.Again
                    )
                    card = cards.get(question.pk)
                    if card is None:
                        card = cards[question.pk] = [Card(card_id=1, state=State.Learning, step=0), 0, 0]
                    if rating == spacing.Rating.Again and card[1] and card[0].state == State.Review:
                        card[2] += 1
                    card[0], _log = spacing.SCHEDULER.review_card(card[0], rating, review_datetime=submitted_at)
                    card[1] += 1
            for (topic_id, week), (n, c, s) in weeks.items():
                copies["week"].write_row((rep_id, partner_id, topic_id, week, n, c, s))
                counts["topic_weeks"] += 1
            for question_id, (card, reviews, lapses) in cards.items():
                copies["card"].write_row(
                    (
                        rep_id,
                        partner_id,
                        question_id,
                        int(card.state),
                        card.step,
                        card.stability,
                        card.difficulty,
                        card.due,
                        card.last_review,
                        reviews,
                        lapses,
                    )
                )
                counts["review_cards"] += 1
        stack.close()  # every COPY ends
        for name in ("attempt", "answer", "week", "card"):
            conns[name].commit()  # attempts first: the answers' foreign key is checked at commit
    finally:
        for conn in conns.values():
            conn.close()
    with connect() as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY assessments_itemstat (question_id, partner_id, answered, blank, correct, score_sum, pairs, x_sum, "
            "x2_sum, y_sum, y2_sum, xy_sum, option_counts, last_answered_at) FROM STDIN"
        ) as copy:
            for (question_id, partner_id), s in stats.items():
                copy.write_row(
                    (question_id, partner_id, *[s[f] for f in STAT_FIELDS], json.dumps(dict(s["options"])), s["last"])
                )
        counts["item_stats"] = len(stats)
        for table in ("assessments_attempt", "assessments_attemptanswer"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with connect() as conn:
        conn.autocommit = True
        for table in ("attempt", "attemptanswer", "itemstat", "topicweek", "reviewcard"):
            conn.execute(f"VACUUM ANALYZE assessments_{table}")
    counts["seconds"] = round(time.monotonic() - t0, 1)
    counts["first_attempt_id"] = first_attempt_id
    return dict(counts)


SCALE_ = 10_000  # kizuna.assessments.projections.SCALE (checked in main)
STAT_FIELDS = ("answered", "blank", "correct", "score_sum", "pairs", "x_sum", "x2_sum", "y_sum", "y2_sum", "xy_sum")


# --- Measuring -----------------------------------------------------------------------------------------


def timed(fn: Any, rounds: int) -> dict[str, Any]:
    """p50/p95/max of fn() over rounds (after one warm-up call), and its SQL query count."""
    from django.db import connection

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    # Counted with an execute wrapper: a request's reset_queries would empty a CaptureQueriesContext.
    with connection.execute_wrapper(count):
        fn()
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {
        "queries": queries,
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        "max_ms": round(samples[-1], 1),
    }


def measure_analysis(content: dict[str, Any], rounds: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from kizuna.assessments import selectors
    from kizuna.orgs.models import Membership

    admin, quiz, version, partner = content["admin"], content["quiz"], content["version"], content["partner"]
    manager = Membership.objects.filter(role="manager", organization=partner).select_related("user").first().user
    # The partner's most active rep (the same one at every size: the activity draw is seeded).
    from django.db.models import Count

    from kizuna.assessments.models import Attempt

    busiest = (
        Attempt.objects.filter(quiz=quiz, partner=partner)
        .values("rep_id")
        .annotate(n=Count("id"))
        .order_by("-n", "rep_id")
        .first()
    )
    rep = Membership.objects.select_related("user").get(user_id=busiest["rep_id"]).user
    rows = selectors.item_analysis(admin, quiz=quiz, version=version)
    admin_client = Client(headers={"Accept-Language": "ja"})
    admin_client.force_login(admin)
    manager_client = Client(headers={"Accept-Language": "ja"})
    manager_client.force_login(manager)

    def page(client: Any, path: str) -> Any:
        def get() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return get

    def raw_scan() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT a.question_key, count(*), sum(a.correct::int), avg(a.score) FROM assessments_attemptanswer a "
                "JOIN assessments_attempt t ON t.id = a.attempt_id WHERE t.quiz_version_id = %s "
                "AND t.submitted_at IS NOT NULL GROUP BY a.question_key",
                [version.pk],
            )
            cur.fetchall()

    measures = {
        "item_analysis (all partners)": lambda: selectors.item_analysis(admin, quiz=quiz, version=version),
        "item_analysis (one partner)": lambda: selectors.item_analysis(
            admin, quiz=quiz, version=version, partner=partner
        ),
        "item_partner_rates": lambda: selectors.item_partner_rates(admin, [r.question for r in rows]),
        "topics_across_partners": lambda: selectors.topics_across_partners(admin),
        "weak_topics (every partner)": lambda: selectors.weak_topics(admin),
        "weak_topics (one partner)": lambda: selectors.weak_topics(manager, partner=partner),
        "weak_topics (one rep)": lambda: selectors.weak_topics(manager, rep=rep),
        "reps_quiz_overview (500 reps)": lambda: selectors.reps_quiz_overview(manager, partner=partner),
        "retention_by_topic (500 reps)": lambda: selectors.retention_by_topic(manager, partner=partner),
        "page /analysis/quizzes/<id>/": page(admin_client, f"/analysis/quizzes/{quiz.pk}/"),
        "page /analysis/topics/": page(admin_client, "/analysis/topics/"),
        "page /quizzes/results/ (manager)": page(manager_client, "/quizzes/results/"),
        "raw scan of the answers (no projection)": raw_scan,
    }
    results = {}
    for name, fn in measures.items():
        results[name] = timed(fn, rounds)
        log(f"  {name}: p50 {results[name]['p50_ms']} ms, {results[name]['queries']} queries")
    return results


def measure_home(content: dict[str, Any], rounds: int) -> dict[str, Any]:
    """The rep home's review card for 20 reps of bench-p01, in-process, against the floor page."""
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from kizuna.assessments.selectors import home_review
    from kizuna.orgs.models import Membership

    translation.activate("ja")
    reps = [
        m.user
        for m in Membership.objects.filter(role="rep", organization=content["partner"], user__is_active=True)
        .select_related("user")
        .order_by("user_id")[:20]
    ]
    counts, due = [], []
    for rep in reps:
        with CaptureQueriesContext(connection) as captured:
            card = home_review(rep)
        counts.append(len(captured.captured_queries))
        due.append(card.due)
    selector, render = [], []
    for rep in reps:
        for _ in range(rounds):
            t0 = time.perf_counter()
            card = home_review(rep)
            selector.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            render_to_string("assessments/_home_review.html", {"home_review": card})
            render.append((time.perf_counter() - t0) * 1000)
    pages: dict[str, list[float]] = {"floor": [], "rep_home": []}
    for rep in reps[:4]:
        client = Client(headers={"Accept-Language": "ja"})
        client.force_login(rep)
        for path in ("/me/", "/"):
            client.get(path)
        for key, path in (("floor", "/me/"), ("rep_home", "/")):
            for _ in range(rounds):
                t0 = time.perf_counter()
                client.get(path)
                pages[key].append((time.perf_counter() - t0) * 1000)
    floor, home = statistics.median(pages["floor"]), statistics.median(pages["rep_home"])
    with_card = home + statistics.median(selector) + statistics.median(render)
    return {
        "queries": sorted(set(counts)),
        "due_mean": round(statistics.mean(due), 1),
        "selector_p50_ms": round(statistics.median(selector), 2),
        "selector_p95_ms": round(percentile(sorted(selector), 0.95), 2),
        "render_p50_ms": round(statistics.median(render), 2),
        "floor_p50_ms": round(floor, 2),
        "home_p50_ms": round(home, 2),
        "home_with_card_p50_ms": round(with_card, 2),
        "ratio": round(floor / with_card, 2),
        "ratio_without_card": round(floor / home, 2),
    }


# --- Submissions through gunicorn ---------------------------------------------------------------------


class Browser:
    """One rep's keep-alive connection with its session and CSRF cookies."""

    def __init__(self, port: int, session_key: str) -> None:
        self.port = port
        self.cookies = {"sessionid": session_key}
        self.csrf = ""
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, fields: list[tuple[str, str]] | None = None, json_: bool = False):
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Accept-Language": "ja",
            "User-Agent": "kizuna-bench/1 (iPhone)",
        }
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_:
            headers["Accept"] = "application/json"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            return -1, "", b""
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", data


FIELD_RE = re.compile(r'<input type="(radio|checkbox|text)"[^>]*?name="(q-[^"]+)"(?:[^>]*?value="([^"]*)")?([^>]*)>')
SELECT_RE = re.compile(r'<select id="[^"]*" name="(q-[^"]+)">(.*?)</select>', re.S)
OPTION_RE = re.compile(r'<option value="([^"]+)"')
QUESTION_RE = re.compile(r'data-question="([0-9a-f-]+)"(.*?)</fieldset>', re.S)


def answer_fields(block: str, rng: random.Random) -> list[tuple[str, str]]:
    """A random answer to one question of the attempt page, as the form would post it."""
    radios: dict[str, list[str]] = defaultdict(list)
    boxes: dict[str, list[str]] = defaultdict(list)
    fields: list[tuple[str, str]] = []
    for kind, name, value, rest in FIELD_RE.findall(block):
        if kind == "radio":
            radios[name].append(value)
        elif kind == "checkbox":
            boxes[name].append(value)
        elif 'inputmode="decimal"' in rest:
            fields.append((name, rng.choice(["300", "３００", "3,000", "250"])))
        else:
            fields.append((name, rng.choice(["オートクローズ", "おーとくろーず", "自動締め", "わからない"])))
    for name, values in radios.items():
        fields.append((name, rng.choice(values)))
    for name, values in boxes.items():
        fields += [(name, v) for v in rng.sample(values, rng.randint(1, len(values)))]
    for name, options in SELECT_RE.findall(block):
        fields.append((name, rng.choice(OPTION_RE.findall(options))))
    return fields


def submission_load(
    port: int, lesson_id: int, sessions: list[str], *, concurrency: int, duration: float, seed: int
) -> dict[str, Any]:
    """Concurrent reps each take whole attempts: open lesson, start, load, save 10 answers, submit, result."""
    steps: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    done = {"attempts": 0, "double_taps": 0, "saves": 0}
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration
    lesson, attempt_url = f"/learn/lessons/{lesson_id}/", f"/learn/lessons/{lesson_id}/attempt/"

    def timed_request(browser: Browser, step: str, method: str, path: str, want: int, **kw: Any):
        t0 = time.perf_counter()
        status, location, body = browser.request(method, path, **kw)
        elapsed = (time.perf_counter() - t0) * 1000
        with lock:
            steps[step].append(elapsed)
            if status != want:
                errors[f"{step} {status}"] += 1
        return status, location, body.decode("utf-8", "replace")

    def worker(index: int) -> None:
        rng = random.Random(seed + index)
        mine = [Browser(port, key) for key in sessions[index::concurrency]]
        turn = 0
        while time.perf_counter() < stop_at and mine:
            b = mine[turn % len(mine)]
            turn += 1
            status, _l, page = timed_request(b, "open lesson", "GET", lesson, 200)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if status != 200:
                continue
            if token is not None:  # else an attempt is open (an earlier run stopped mid-way): resume it
                status, _l, _b = timed_request(
                    b,
                    "start",
                    "POST",
                    attempt_url,
                    302,
                    fields=[("csrfmiddlewaretoken", token.group(1)), ("action", "start"), ("sid", str(uuid.uuid4()))],
                )
            status, _l, page = timed_request(b, "attempt page", "GET", attempt_url, 200)
            key = re.search(r'name="attempt" value="([0-9a-f-]+)"', page)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if status != 200 or key is None or token is None:
                continue
            csrf = token.group(1)
            answers: list[tuple[str, str]] = []
            for question, block in QUESTION_RE.findall(page):
                fields = answer_fields(block, rng)
                sid = str(uuid.uuid4())
                answers += [*fields, (f"sid-{question}", sid)]
                timed_request(
                    b,
                    "save answer (JSON)",
                    "POST",
                    attempt_url,
                    200,
                    fields=[
                        ("csrfmiddlewaretoken", csrf),
                        ("action", "save"),
                        ("attempt", key.group(1)),
                        ("question", question),
                        (f"sid-{question}", sid),
                        *fields,
                    ],
                    json_=True,
                )
                with lock:
                    done["saves"] += 1
            submit = [
                ("csrfmiddlewaretoken", csrf),
                ("action", "submit"),
                ("attempt", key.group(1)),
                ("submit_sid", str(uuid.uuid4())),
                *answers,
            ]
            status, result, _b = timed_request(b, "submit", "POST", attempt_url, 302, fields=submit)
            if rng.random() < 0.1:
                _s, again, _b = timed_request(b, "submit again (double tap)", "POST", attempt_url, 302, fields=submit)
                with lock:
                    done["double_taps"] += 1
                    if again != result:
                        errors["double tap went elsewhere"] += 1
            if status == 302 and result:
                timed_request(b, "result page", "GET", urllib.parse.urlsplit(result).path, 200)
                with lock:
                    done["attempts"] += 1

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    requests = sum(len(v) for v in steps.values())
    return {
        "concurrency": concurrency,
        "seconds": round(elapsed, 1),
        "attempts": done["attempts"],
        "attempts_per_s": round(done["attempts"] / elapsed, 2),
        "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        "saves": done["saves"],
        "double_taps": done["double_taps"],
        "errors": dict(errors),
        "steps": {
            step: {
                "n": len(v),
                "p50_ms": round(percentile(sorted(v), 0.5), 1),
                "p95_ms": round(percentile(sorted(v), 0.95), 1),
                "p99_ms": round(percentile(sorted(v), 0.99), 1),
            }
            for step, v in steps.items()
        },
    }


def verify_submissions(content: dict[str, Any], since_seq: int, since_attempt: int) -> dict[str, Any]:
    """Every submitted attempt was recorded once: one `completed` and one `passed`/`failed` statement each."""
    from kizuna.assessments.models import Attempt
    from kizuna.records.models import Statement

    attempts = Attempt.objects.filter(quiz=content["quiz"], pk__gt=since_attempt)
    submitted = attempts.filter(submitted_at__isnull=False).count()
    new = Statement.objects.filter(seq__gt=since_seq)
    outcomes = new.filter(verb__regex=r"/verbs/(passed|failed)$", lesson_id=content["lesson"].pk).count()
    completed = new.filter(verb__endswith="/completed", object_type__endswith="/assessment").count()
    return {
        "attempts_started": attempts.count(),
        "attempts_submitted": submitted,
        "completed_statements": completed,
        "outcome_statements": outcomes,
        "answered_statements": new.filter(verb__endswith="/answered").count(),
        "ok": submitted == completed == outcomes,
    }


def run_gunicorn_phase(content: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    from django.contrib.sessions.models import Session

    from kizuna.orgs.models import Membership
    from kizuna.records.models import Statement

    reps = [
        m.user
        for m in Membership.objects.filter(role="rep", organization=content["partner"], user__is_active=True)
        .select_related("user")
        .order_by("user_id")[: args.reps]
    ]
    sessions = [make_session(rep) for rep in reps]
    since_seq = Statement.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    from kizuna.assessments.models import Attempt

    since_attempt = Attempt.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    port = free_port(args.port)
    server = Server(
        database_url=args.database_url,
        port=port,
        workers=args.workers,
        log_path=BENCH / "results" / "quiz-gunicorn.log",
    )
    result: dict[str, Any] = {"since_seq": since_seq, "reps": [rep.pk for rep in reps]}
    try:
        server.wait_ready()
        base = {"Accept-Language": "ja", "User-Agent": "kizuna-bench/1 (iPhone)"}
        # The pages take turns, round after round, so that a busy moment of the machine hits them all.
        parts: dict[str, list[Any]] = defaultdict(list)
        for _round in range(3):
            for key, path in (("floor /me/", "/me/"), ("review /review/", "/review/"), ("rep home /", "/")):
                requests = [Request(path, {**base, "Cookie": f"sessionid={s}"}) for s in sessions[:20]]
                parts[key].append(
                    run_load(
                        port, requests, concurrency=4, duration=args.page_duration / 3, max_requests=5000, warmup=0.5
                    )
                )
        pages = {key: combine(measured).summary() for key, measured in parts.items()}
        for key, m in pages.items():
            log(f"  {key}: {m['rps']} req/s, p50 {m['p50_ms']} ms, statuses {m['statuses']}")
        result["pages"] = pages
        runs = []
        for concurrency in args.concurrency:
            log(f"submissions: {concurrency} concurrent reps for {args.duration:.0f} s")
            run = submission_load(
                port, content["lesson"].pk, sessions, concurrency=concurrency, duration=args.duration, seed=args.seed
            )
            log(
                f"  {run['attempts']} attempts ({run['attempts_per_s']}/s), {run['requests_per_s']} req/s, "
                f"errors {run['errors'] or 'none'}"
            )
            runs.append(run)
        result["runs"] = runs
    finally:
        server.stop()
        Session.objects.filter(session_key__in=sessions).delete()
    result["verify"] = verify_submissions(content, since_seq, since_attempt)
    return result


# --- Report ---------------------------------------------------------------------------------------------


def print_report(report: dict[str, Any]) -> list[tuple[bool, str]]:
    verdicts: list[tuple[bool, str]] = []
    print()
    print(f"Kizuna quiz benchmark {report['started']}  ({report['cpus']} CPUs, {report['postgres']})")
    analysis = report.get("analysis", {})
    if analysis:
        sizes = list(analysis)
        print()
        header = f"{'computation':<42}" + "".join(f"{f'{int(s):,} answers':>22}" for s in sizes) + f"{'growth':>9}"
        print(header)
        print(f"{'':<42}" + "".join(f"{'p50 ms  p95 ms  q':>22}" for _ in sizes))
        print("-" * len(header))
        names = list(analysis[sizes[0]]["timings"])
        worst = 0.0
        same_queries = True
        for name in names:
            cells = []
            for s in sizes:
                m = analysis[s]["timings"][name]
                cells.append(f"{m['p50_ms']:>8.1f}{m['p95_ms']:>8.1f}{m['queries']:>4}  ")
            first, last = analysis[sizes[0]]["timings"][name], analysis[sizes[-1]]["timings"][name]
            growth = last["p50_ms"] / max(first["p50_ms"], 0.01)
            print(f"{name:<42}" + "".join(f"{c:>22}" for c in cells) + f"{growth:>8.2f}x")
            if not name.startswith("raw scan"):
                worst = max(worst, last["p95_ms"])
                same_queries &= first["queries"] == last["queries"]
        for s in sizes:
            d = analysis[s]["data"]
            print(
                f"  {int(s):,}: {d['answers']:,} answers in {d['attempts']:,} attempts; {d['topic_weeks']:,} topic-weeks, "
                f"{d['review_cards']:,} review cards, {d['item_stats']:,} item stats; generated in {d['seconds']} s"
            )
        verdicts.append(
            (
                worst < TARGET_SECONDS * 1000,
                f"item analysis and weak topics over {int(sizes[-1]):,} answers < {TARGET_SECONDS:.0f} s "
                f"(slowest p95 {worst:.0f} ms)",
            )
        )
        verdicts.append((same_queries, "analysis query counts do not grow with the number of answers"))
    home = report.get("home")
    if home:
        print()
        print(
            f"rep home review card: {home['queries']} queries, selector p50 {home['selector_p50_ms']} ms "
            f"(p95 {home['selector_p95_ms']}), render {home['render_p50_ms']} ms, {home['due_mean']} due on average; "
            f"floor {home['floor_p50_ms']} ms, home {home['home_p50_ms']} ms, home + card {home['home_with_card_p50_ms']} ms"
        )
        verdicts.append((home["queries"] == [1], f"home_review runs one query: {home['queries']}"))
        print(
            f"  in-process ratio floor / (home + card): {home['ratio']:.0%} "
            f"(floor / home without the card: {home['ratio_without_card']:.0%})"
        )
    pages = (report.get("submit") or {}).get("pages", {})
    if home and "floor /me/" in pages and "rep home /" in pages and pages["rep home /"]["rps"]:
        # Through gunicorn: the home's measured throughput, with the card's cost added to each request's time
        # (on a saturated machine a request costs cpus / rps seconds of CPU).
        cpus = report["cpus"] or 1
        home_rps = pages["rep home /"]["rps"]
        with_card = cpus / (cpus / home_rps + (home["selector_p50_ms"] + home["render_p50_ms"]) / 1000)
        ratio = with_card / pages["floor /me/"]["rps"]
        report["home"]["gunicorn_estimate"] = {"home_rps": home_rps, "home_with_card_rps": round(with_card, 1)}
        verdicts.append(
            (
                ratio >= 0.5,
                f"rep home + review card >= 50% of the floor page's throughput (gunicorn): {with_card:.0f} vs "
                f"{pages['floor /me/']['rps']:.0f} req/s = {ratio:.0%} (home without the card {home_rps:.0f} req/s)",
            )
        )
    submit = report.get("submit")
    if submit:
        print()
        pages = submit.get("pages", {})
        for key, m in pages.items():
            print(f"  {key:<20} {m['rps']:>7} req/s  p50 {m['p50_ms']:>6} ms  p95 {m['p95_ms']:>6} ms  {m['statuses']}")
        if "floor /me/" in pages and "review /review/" in pages and pages["floor /me/"]["rps"]:
            ratio = (pages["review /review/"]["rps"] or 0) / pages["floor /me/"]["rps"]
            verdicts.append((ratio >= 0.5, f"review page throughput >= 50% of the floor page's: {ratio:.0%}"))
        for run in submit.get("runs", []):
            print()
            print(
                f"  {run['concurrency']} concurrent reps, {run['seconds']} s: {run['attempts']} attempts "
                f"({run['attempts_per_s']}/s), {run['requests']} requests ({run['requests_per_s']}/s), "
                f"{run['double_taps']} double taps, errors: {run['errors'] or 'none'}"
            )
            print(f"    {'step':<28}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
            for step, m in run["steps"].items():
                print(f"    {step:<28}{m['n']:>7}{m['p50_ms']:>9}{m['p95_ms']:>9}{m['p99_ms']:>9}")
        v = submit.get("verify", {})
        verdicts.append(
            (
                bool(v.get("ok")),
                f"every submission counted once: {v.get('attempts_submitted')} submitted attempts, "
                f"{v.get('completed_statements')} completed and {v.get('outcome_statements')} passed/failed statements",
            )
        )
        errors = sum(sum(run["errors"].values()) for run in submit.get("runs", []))
        verdicts.append((errors == 0, f"no failed request during the submission runs: {errors}"))
    print()
    for ok, text in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return verdicts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: `bench/pg.sh url` (the full data set)")
    parser.add_argument("--only", default="analysis,home,submit", help="phases: analysis, home, submit")
    parser.add_argument("--sizes", default="250000,1000000", help="numbers of answers to generate and measure")
    parser.add_argument("--rounds", type=int, default=7, help="timed calls per measurement")
    parser.add_argument("--concurrency", default="4,16", help="concurrent reps in the submission runs")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per submission run")
    parser.add_argument("--page-duration", type=float, default=8.0, help="seconds per page in the page loads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--reps", type=int, default=200, help="reps of bench-p01 who take the quiz")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--keep", action="store_true", help="keep the generated answers and the run's records")
    parser.add_argument("--cleanup", action="store_true", help="delete what a --keep run left, and exit")
    args = parser.parse_args()
    args.database_url = args.database_url or default_database_url()
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    phases = {p.strip() for p in args.only.split(",")}
    setup_django(args.database_url)
    from django.db import connection
    from django.test.utils import setup_test_environment

    from kizuna.assessments.projections import SCALE

    if SCALE != SCALE_:
        sys.exit("kizuna.assessments.projections.SCALE changed: update bench/quiz.py")
    setup_test_environment()
    ensure_schema()
    # DEBUG off serves static files through the manifest, which collectstatic writes (as bench/load.py does).
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    content = ensure_content()
    if args.cleanup:
        log(f"deleted {cleanup(content)}")
        return 0
    import os

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        postgres = "PostgreSQL " + cur.fetchone()[0]
    report: dict[str, Any] = {
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "postgres": postgres,
        "load_average_before": os.getloadavg(),
    }
    since_seq, run_reps = None, None
    try:
        log(f"cleaning up earlier runs: {cleanup(content)}")
        if "analysis" in phases or "home" in phases:
            report["analysis"] = {}
            for size in sizes if "analysis" in phases else sizes[-1:]:
                cleanup(content)
                log(f"generating {size:,} answers")
                data = generate(content, size, args.seed)
                log(f"  {data}")
                if "analysis" in phases:
                    report["analysis"][str(size)] = {"data": data, "timings": measure_analysis(content, args.rounds)}
            if "home" in phases:
                log("measuring the rep home's review card")
                report["home"] = measure_home(content, args.rounds)
            if "analysis" not in phases:
                report.pop("analysis")
        if "submit" in phases:
            report["submit"] = run_gunicorn_phase(content, args)
            since_seq, run_reps = report["submit"]["since_seq"], report["submit"]["reps"]
    finally:
        if not args.keep:
            log(f"cleaning up: {cleanup(content, since_seq=since_seq, reps=run_reps)}")
    report["load_average_after"] = os.getloadavg()
    verdicts = print_report(report)
    out = BENCH / "results" / "quiz-latest.json"
    out.parent.mkdir(exist_ok=True)
    report["verdicts"] = [{"ok": ok, "target": text} for ok, text in verdicts]
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    log(f"wrote {out}")
    return 0 if all(ok for ok, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
