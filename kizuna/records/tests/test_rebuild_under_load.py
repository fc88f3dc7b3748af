"""A partner's rebuild while its reps keep learning: real writers against a real `rebuild_projections --partner`.

The rebuild runs in its own process and stops twice inside its transaction: once records has thrown agency A's
rows away (before it reads their statements), and once the quiz projection has thrown A's attempts away (before
it reads theirs). At each stop, threads of this process store statements for A's reps through the services, as
requests do — a rep's first row in a lesson, time that only the projector counts (learning days, time, points,
KPI months), a quiz answer in an attempt the rebuild is replacing — and one for agency B. The rebuild goes on
once each writer is done or waiting on a lock (PostgreSQL) or has started (SQLite, whose one write lock the
rebuild holds). Afterwards, with the projector's queue applied, every projection must equal what a whole rebuild
on a quiet site derives from the same statements: nothing counted twice, no answer left out, no failed rebuild.
"""

import threading
import uuid
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections

from conftest import publish_course
from kizuna.agreements.models import LearningTimeDay, LearningTimeMonth
from kizuna.assessments import services as quizzes
from kizuna.assessments.kinds import register_kinds
from kizuna.assessments.models import Attempt, AttemptAnswer, ItemStat, QuizVersion
from kizuna.assessments.tests.conftest import RIGHT, make_bank, make_quiz, quiz_lesson
from kizuna.gamification.models import PointAward, RepScore
from kizuna.kpis.models import LearningMonth
from kizuna.ops.tests import procs
from kizuna.records import vocab
from kizuna.records.models import CourseProgress, LearningDay, LessonProgress, PendingStatement, Statement
from kizuna.records.projector import drain
from kizuna.records.services import Activity, lesson_complete, lesson_launch, statement_record

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = vocab.Term("activity-types/test-article", "記事", "article", own=True)

# The rebuild, stopped at the start of records' replay and of the quiz projection's (each once).
PAUSED_REBUILD = """
import os
import time
from django.core.management import call_command
from kizuna.assessments import projections as quiz_projections
from kizuna.records import projections

def paused(module, name, marker):
    original = getattr(module, name)
    def wrapper(*args, **kwargs):
        if not os.path.exists(marker):
            open(marker, "w").write("in")
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and not os.path.exists(marker + ".go"):
                time.sleep(0.05)
        return original(*args, **kwargs)
    setattr(module, name, wrapper)

paused(projections, "_replay_by_partition", {records!r})
paused(quiz_projections, "_replay", {quizzes!r})
call_command("rebuild_projections", "--partner", {partner!r})
"""


def _rows(model: Any, *fields: str) -> list[tuple[Any, ...]]:
    return sorted(model.objects.values_list(*fields), key=repr)


def _projections() -> dict[str, list[tuple[Any, ...]]]:
    """Every projection these statements touch, by its columns (no generated ids)."""
    return {
        "lessons": _rows(LessonProgress, "user_id", "lesson_id", "completed_at", "time_spent_seconds", "progress"),
        "courses": _rows(
            CourseProgress, "user_id", "course_id", "completed_at", "lessons_completed", "time_spent_seconds"
        ),
        "days": _rows(LearningDay, "user_id", "day", "seconds", "statements"),
        "time_days": _rows(LearningTimeDay, "rep_id", "day", "seconds", "statements"),
        "time_months": _rows(LearningTimeMonth, "rep_id", "month", "seconds", "days"),
        "points": _rows(RepScore, "user_id", "points", "streak"),
        "awards": _rows(PointAward, "statement_id", "user_id", "kind", "points"),
        "kpi_months": _rows(LearningMonth, "rep_id", "month", "quizzes", "courses_completed"),
        "attempts": _rows(Attempt, "key", "rep_id", "submitted_at", "score"),
        "answers": _rows(AttemptAnswer, "attempt__key", "question_key", "answer", "score", "statement_seq"),
        "item_stats": _rows(ItemStat, "question_id", "partner_id", "answered", "correct", "option_counts"),
    }


class Writers:
    """Requests storing statements on threads of this process, each on its own database connection."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []
        self.started: list[threading.Thread] = []

    def send(self, work: Callable[[], Any]) -> None:
        def run() -> None:
            self.started.append(threading.current_thread())
            try:
                work()
            except BaseException as error:  # noqa: BLE001 — reported by the test
                self.errors.append(error)
            finally:
                connections.close_all()

        thread = threading.Thread(target=run, daemon=True)
        self.threads.append(thread)
        thread.start()

    def settled(self) -> bool:
        """Each writer is done or waits on a lock the rebuild holds (on SQLite: has started; the rebuild holds
        the one write lock, so none of them commits before it does)."""
        if len(self.started) < len(self.threads):
            return False
        running = sum(thread.is_alive() for thread in self.threads)
        if connection.vendor != "postgresql" or not running:
            return True
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            waiting = cursor.fetchone()[0]
        return waiting >= running

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in self.threads)
        assert not self.errors, self.errors


def _experienced(rep: Any, n: int) -> Callable[[], Any]:
    """Time the projector counts (learning days and time, points, KPI months); nothing live."""
    return lambda: statement_record(
        actor=rep,
        verb=vocab.EXPERIENCED,
        activity=Activity(iri=f"urn:test:article-{n}", type=ARTICLE, name={}),
        result={"duration": "PT40S"},
    )


def test_a_partner_rebuild_while_its_reps_keep_learning_equals_a_rebuild_on_a_quiet_site(cast, settings, tmp_path):
    settings.PROJECTIONS_EAGER = False  # as deployed: the background projector applies the deferred projections
    register_kinds()
    course = publish_course(
        cast,
        slug="rebuild-load",
        title="製品の基本",
        lessons=[
            {"kind": "article", "title": f"記事{n}", "body": "お客様第一。"} for n in range(1, 4)
        ],  # assigned to A
    )
    lessons = list(course.latest_version.lessons.order_by("position"))
    bank = make_bank(cast)
    by_type = {q.type: q for q in bank.questions.all()}
    quiz = make_quiz(cast, [by_type["single"], by_type["truefalse"], by_type["numerical"]])
    quiz_lesson_ = quiz_lesson(cast, quiz, partner=cast.partner_a)
    version = QuizVersion.objects.get(pk=quiz_lesson_.content_id)
    # Before the rebuild: A's reps learned a little, rep_a1 is half-way through a quiz; B's rep too.
    lesson_complete(rep=cast.rep_a1, lesson=lessons[0])
    lesson_launch(rep=cast.rep_a2, lesson=lessons[0])
    attempt = quizzes.attempt_start(
        rep=cast.rep_a1, quiz_version=version, lesson=quiz_lesson_, statement_id=uuid.uuid4()
    )
    questions = {str(q.key): q for q in bank.questions.all()}
    layout = [questions[item["key"]] for item in attempt.layout]
    quizzes.answer_save(
        rep=cast.rep_a1,
        attempt=attempt,
        question_key=layout[0].key,
        answer=RIGHT[layout[0].type](layout[0]),
        statement_id=uuid.uuid4(),
    )
    _experienced(cast.rep_b1, 0)()
    drain()
    assert not PendingStatement.objects.exists()

    records_stop, quiz_stop = tmp_path / "records", tmp_path / "quizzes"
    code = PAUSED_REBUILD.format(records=str(records_stop), quizzes=str(quiz_stop), partner=cast.partner_a.slug)
    log = tmp_path / "rebuild.log"
    rebuild = procs.start(["shell", "--no-imports", "-c", code], procs.child_env(tmp_path), log)
    writers = Writers()
    try:
        procs.wait_for(records_stop.exists, timeout=120, what="the rebuild to throw agency A's progress away")
        # A rep's first rows in a course (the rebuild would insert them too), time the projector counts, a launch
        # of a lesson already begun, and a statement of agency B's rep (not held back).
        writers.send(lambda: lesson_launch(rep=cast.rep_a2, lesson=quiz_lesson_))  # first rows: lesson and course
        writers.send(_experienced(cast.rep_a1, 1))
        writers.send(lambda: lesson_launch(rep=cast.rep_a1, lesson=lessons[0]))
        writers.send(_experienced(cast.rep_b1, 1))
        procs.wait_for(writers.settled, timeout=60, what="the first writers to be done or waiting")
        Path(f"{records_stop}.go").write_text("go")
        procs.wait_for(
            lambda: quiz_stop.exists() or rebuild.poll() is not None,
            timeout=120,
            what="the rebuild to throw agency A's attempts away",
        )
        # An answer in the attempt being replaced, found again by its key; more time for the projector.
        writers.send(
            lambda: quizzes.answer_save(
                rep=cast.rep_a1,
                attempt=attempt,
                question_key=layout[1].key,
                answer=RIGHT[layout[1].type](layout[1]),
                statement_id=uuid.uuid4(),
            )
        )
        writers.send(_experienced(cast.rep_a2, 2))
        writers.send(lambda: lesson_complete(rep=cast.rep_a1, lesson=lessons[2]))
        procs.wait_for(writers.settled, timeout=60, what="the second writers to be done or waiting")
        Path(f"{quiz_stop}.go").write_text("go")
        assert rebuild.wait(timeout=180) == 0, log.read_text()
    finally:
        procs.stop(rebuild)
    writers.join()
    assert "Rebuilt" in log.read_text()
    drain()  # the projector's next batches: the statements stored while the rebuild ran
    assert Statement.objects.filter(actor=cast.rep_a1, verb=vocab.ANSWERED.iri).count() == 2
    under_load = _projections()
    assert len(under_load["answers"]) == 2  # the answer sent while its attempt was replaced counts
    assert {row[0] for row in under_load["lessons"]} == {cast.rep_a1.pk, cast.rep_a2.pk}
    call_command("rebuild_projections", stdout=StringIO())  # a quiet site: the reference
    assert _projections() == under_load
