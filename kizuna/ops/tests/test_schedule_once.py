"""Several schedulers (one per server) run each job once per scheduled time: two real scheduler processes."""

import os
import signal
import time
from pathlib import Path

import pytest

from kizuna.ops.models import ScheduleTick
from kizuna.ops.tests import procs

pytestmark = pytest.mark.django_db(transaction=True)

SCHEDULER = """
import os, time
from kizuna.ops import schedule
schedule._JOBS.clear()

def tick():
    with open({marker!r}, "a") as out:
        out.write(f"{{os.getpid()}} {{int(time.time())}}\\n")

schedule.register_job(id="every_second", enqueue=tick, second="*")
schedule.build_scheduler().start()
while True:
    time.sleep(1)
"""


@pytest.fixture
def schedulers(tmp_path):
    started = []

    def start(marker: Path):
        code = SCHEDULER.format(marker=str(marker))
        process = procs.start(["shell", "--no-imports", "-c", code], procs.child_env(tmp_path), tmp_path / "sched.log")
        started.append(process)
        return process

    yield start
    for process in started:
        procs.stop(process)


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def claimed_by(pid: int) -> int:
    return ScheduleTick.objects.filter(job_id="every_second", claimed_by__endswith=f":{pid}").count()


def test_two_schedulers_run_each_tick_of_a_job_once_and_one_left_alone_keeps_it_going(schedulers, tmp_path):
    marker = tmp_path / "ticks"
    first, second = schedulers(marker), schedulers(marker)
    procs.wait_for(lambda: claimed_by(first.pid) and claimed_by(second.pid), timeout=90, what="both to tick")
    time.sleep(3)  # both running side by side

    runs = [line.split() for line in lines(marker)]
    seconds = [second for _pid, second in runs]
    assert len(seconds) >= 3
    assert len(set(seconds)) == len(seconds)  # no second ran twice…
    assert {pid for pid, _second in runs} == {str(first.pid), str(second.pid)}  # …though both schedulers ran

    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=5)
    before = claimed_by(second.pid)
    procs.wait_for(lambda: claimed_by(second.pid) >= before + 3, timeout=30, what="the survivor to go on")
    seconds = [line.split()[1] for line in lines(marker)]
    assert len(set(seconds)) == len(seconds)
