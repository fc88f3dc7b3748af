"""Long commands show a progress bar on a terminal, and nothing of it in pipes, logs and tests."""

import io
import os
import pty
import select
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import call_command

from kizuna.ops.progress import QUIET, QuietProgress
from kizuna.ops.tests import procs


def _run_on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run `manage.py <args>` with a pseudo-terminal as its output; return what it printed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env={**env, "COLUMNS": "100", "TERM": "xterm"},
        cwd=settings.BASE_DIR,
        stdout=follower,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    out = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            out += chunk
        elif process.poll() is not None:
            break
    process.wait(timeout=10)
    os.close(leader)
    assert process.returncode == 0, out.decode(errors="replace")
    return out.decode(errors="replace")


@pytest.mark.django_db(transaction=True)
def test_rebuild_projections_shows_its_progress_on_a_terminal(tmp_path, cast):
    out = _run_on_a_terminal(["rebuild_projections"], procs.child_env(tmp_path))
    assert "Rebuilding the apps' projections" in out or "各アプリの集計を作り直しています" in out
    assert "━" in out  # the bar itself
    assert "Rebuilt lesson_progress" in out


@pytest.mark.django_db(transaction=True)
def test_no_bar_on_a_terminal_with_verbosity_0(tmp_path, cast):
    out = _run_on_a_terminal(["rebuild_projections", "--verbosity", "0"], procs.child_env(tmp_path))
    assert "projections" not in out.lower() and "集計" not in out and "━" not in out
    assert "Rebuilt" in out


@pytest.mark.django_db
def test_no_bar_when_the_output_is_not_a_terminal(cast):
    out = io.StringIO()
    call_command("rebuild_projections", stdout=out)
    assert out.getvalue().startswith("Rebuilt ") and "\r" not in out.getvalue() and "━" not in out.getvalue()


def test_quiet_progress_passes_the_items_through_and_sends_lines_where_told():
    lines: list[str] = []
    quiet = QuietProgress(lines.append)
    assert list(quiet.track(iter([1, 2, 3]), description="x")) == [1, 2, 3]
    quiet.log("a line")
    QUIET.log("nowhere")
    assert lines == ["a line"]
