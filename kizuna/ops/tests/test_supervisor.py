"""`manage.py serve` keeps its children running and takes all of them down with it. Real processes, loopback."""

import os
import re
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kizuna.ops.tests import procs

pytestmark = pytest.mark.django_db(transaction=True)

CHILDREN = ("web", "worker", "scheduler", "projector")


def started(log: Path) -> dict[str, list[int]]:
    """Pids of each child, in start order, from the supervisor's log."""
    found: dict[str, list[int]] = {}
    for name, pid in re.findall(r"started (\w+) pid=(\d+)", log.read_text(errors="replace")):
        found.setdefault(name, []).append(int(pid))
    return found


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture
def serve(tmp_path):
    """Start `manage.py serve` on a free port; return (process, port, log). Killed with its children after."""
    log = tmp_path / "serve.log"
    port = procs.free_port()
    process = procs.start(["serve", "--port", str(port), "--workers", "2"], procs.child_env(tmp_path), log)
    try:  # a start that times out must not leave the server running on this test process's database
        procs.wait_for(lambda: all(name in started(log) for name in CHILDREN), timeout=90, what="the children")
        procs.wait_for(lambda: answers(port), timeout=90, what="the web server")
        yield process, port, log
    finally:
        groups = {pids[-1] for pids in started(log).values()}
        procs.stop(process)
        for pid in procs.in_groups(groups):
            os.kill(pid, signal.SIGKILL)


def test_it_restarts_a_killed_child_keeps_the_others_up_and_sigterm_stops_all(serve):
    process, port, log = serve
    first = started(log)
    os.kill(first["worker"][0], signal.SIGKILL)
    procs.wait_for(lambda: len(started(log)["worker"]) == 2, timeout=10, what="the worker's restart")
    assert f"worker (pid={first['worker'][0]}) stopped: killed by SIGKILL" in log.read_text()
    assert procs.alive(started(log)["worker"][1])
    assert procs.alive(first["web"][0]) and procs.alive(first["scheduler"][0])
    assert started(log)["web"] == first["web"] and started(log)["scheduler"] == first["scheduler"]
    assert answers(port)

    web_workers = procs.descendants(first["web"][0])
    assert len(web_workers) == 2
    os.kill(first["web"][0], signal.SIGKILL)  # the gunicorn master: its workers go with it, then it comes back
    procs.wait_for(lambda: len(started(log)["web"]) == 2, timeout=10, what="the web server's restart")
    procs.wait_for(lambda: not any(map(procs.alive, web_workers)), timeout=5, what="the orphaned web workers to die")
    procs.wait_for(lambda: answers(port), timeout=90, what="the restarted web server")
    assert process.poll() is None

    # Then SIGTERM stops everything, children and grandchildren (one start serves both checks: it is slow).
    family = procs.descendants(process.pid)
    assert len(family) >= 5  # web master + 2 web workers + worker + scheduler
    groups = {pids[-1] for pids in started(log).values()}
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=15)
    assert process.returncode == 0
    assert not [pid for pid in family if procs.alive(pid)]
    assert not procs.in_groups(groups)


def test_killing_the_supervisor_with_sigkill_leaves_no_child(serve):
    process, port, log = serve
    family = procs.descendants(process.pid)
    groups = {pids[-1] for pids in started(log).values()}
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=5)
    procs.wait_for(lambda: not [pid for pid in family if procs.alive(pid)], timeout=5, what="the children to die")
    assert not procs.in_groups(groups)
    time.sleep(0.2)
    assert not answers(port)  # the port is free for the next `make run`
