"""Rebuilds on two servers at once, and a rebuild killed mid-way: real `rebuild_projections` processes.

The first rebuild is held inside its transaction (after it threw the rows away, before it writes them again) so
the second surely starts while it runs: without the lock the second collided on a learning day's unique key.
"""

import subprocess
import time
from pathlib import Path

import pytest

from kizuna.ops.tests import procs
from kizuna.records import vocab
from kizuna.records.models import CourseProgress, LearningDay, LessonProgress
from kizuna.records.services import Activity, statement_record

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = vocab.Term("activity-types/test-article", "記事", "article", own=True)
WAITING = ("Another rebuild is running: waiting for it to finish", "別の作り直しが実行中です。終わるまで待ちます")

# A rebuild that stops for a while once it has thrown the rows away (a big rebuild's hours, in seconds).
SLOW_REBUILD = """
import os
import time
from django.core.management import call_command
from kizuna.records import projections
replay = projections._replay_by_partition

def slow(*args, **kwargs):
    open({marker!r}, "w").write("in")
    deadline = time.monotonic() + {seconds}
    while time.monotonic() < deadline and not os.path.exists({marker!r} + ".go"):
        time.sleep(0.1)
    return replay(*args, **kwargs)

projections._replay_by_partition = slow
call_command("rebuild_projections", *{args!r})
"""


def _days() -> list[tuple]:
    return sorted(LearningDay.objects.values_list("user_id", "day", "statements", "seconds"))


def _learn(cast) -> list[tuple]:
    for rep in (cast.rep_a1, cast.rep_a2, cast.rep_b1):
        for i in range(3):
            statement_record(
                actor=rep,
                verb=vocab.EXPERIENCED,
                activity=Activity(iri=f"urn:test:a{i}", type=ARTICLE, name={}),
                result={"duration": "PT30S"},
            )
    live = _days()
    assert len(live) == 3
    return live


def _slow(tmp_path: Path, marker: Path, *args: str, seconds: float) -> subprocess.Popen[bytes]:
    code = SLOW_REBUILD.format(marker=str(marker), seconds=seconds, args=list(args))
    return procs.start(["shell", "--no-imports", "-c", code], procs.child_env(tmp_path), tmp_path / "slow.log")


def _run(tmp_path: Path, *args: str, name: str) -> tuple[subprocess.Popen[bytes], Path]:
    log = tmp_path / f"{name}.log"
    return procs.start(["rebuild_projections", *args], procs.child_env(tmp_path), log), log


@pytest.mark.parametrize("second", [("--partner", "PA"), ("--month", "this"), ()], ids=["partner", "month", "whole"])
def test_a_second_rebuild_on_another_server_waits_for_the_first_and_both_end_right(cast, tmp_path, second):
    live = _learn(cast)
    if second == ("--partner", "PA"):
        second = ("--partner", cast.partner_a.slug)
    if second == ("--month", "this"):
        second = ("--month", live[0][1].strftime("%Y-%m"))
    LearningDay.objects.update(statements=99)  # wrong rows both rebuilds replace
    marker = tmp_path / "inside"
    first = _slow(
        tmp_path, marker, seconds=600
    )  # held until the second is seen waiting (a loaded machine starts slowly)
    try:
        procs.wait_for(marker.exists, timeout=120, what="the first rebuild to be inside its transaction")
        started = time.monotonic()
        other, log = _run(tmp_path, *second, name="second")
        try:
            procs.wait_for(lambda: any(w in log.read_text() for w in WAITING), timeout=300, what="the second to wait")
            time.sleep(1)
            assert other.poll() is None  # still waiting while the first holds the lock
            Path(f"{marker}.go").write_text("go")
            assert first.wait(timeout=120) == 0, (tmp_path / "slow.log").read_text()
            assert other.wait(timeout=120) == 0, log.read_text()
        finally:
            procs.stop(other)
    finally:
        procs.stop(first)
    assert time.monotonic() - started > 1  # the second really waited for the first
    assert "Rebuilt" in log.read_text()
    assert _days() == live


def test_a_rebuild_killed_mid_way_changes_nothing_and_leaves_no_lock(cast, tmp_path):
    live = _learn(cast)
    LearningDay.objects.update(statements=99)
    before = (_days(), LessonProgress.objects.count(), CourseProgress.objects.count())
    marker = tmp_path / "inside"
    first = _slow(tmp_path, marker, seconds=600)
    try:
        procs.wait_for(marker.exists, timeout=120, what="the rebuild to be inside its transaction")
    finally:
        procs.stop(first)  # SIGKILL to its group: the rows it had deleted come back with the rollback
    assert (_days(), LessonProgress.objects.count(), CourseProgress.objects.count()) == before
    again, log = _run(tmp_path, name="again")
    try:
        assert again.wait(timeout=120) == 0, log.read_text()
    finally:
        procs.stop(again)
    assert not any(w in log.read_text() for w in WAITING)  # the killed run's lock went with its connection
    assert _days() == live
