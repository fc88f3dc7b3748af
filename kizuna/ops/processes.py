"""Child processes that never outlive their parent: death signal, own process group, bounded runs.

Linux only for the death signal (``prctl(PR_SET_PDEATHSIG)``); elsewhere it is a no-op and the
process group is what the parent kills.
"""

import contextlib
import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1

# Loaded once here, never between fork and exec (where importing is unsafe).
_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True) if sys.platform == "linux" else None


def set_death_signal(sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send `sig` to this process when the thread that started it exits."""
    if _libc is not None:
        _libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)


def die_with_parent() -> Callable[[], None]:
    """Return a preexec_fn: the child gets SIGKILL when this process dies (and exits if it already has)."""
    parent = os.getpid()

    def preexec() -> None:
        set_death_signal(signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the death signal was set
            os._exit(1)

    return preexec


def kill_group(pid: int, sig: int) -> None:
    """Send `sig` to the process group led by `pid`; a group already gone is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def run_bounded(command: list[str], *, timeout: float, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run a tool (ffmpeg) in its own process group, dying with this process and killed on timeout.

    Raises CalledProcessError on a non-zero exit (if `check`) and TimeoutExpired after `timeout` seconds;
    whatever interrupts the wait (a signal, SystemExit) kills the tool's whole group first.
    """
    process = subprocess.Popen(  # noqa: S603 (a fixed tool with arguments we build)
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=die_with_parent(),  # noqa: PLW1509 (only prctl and getppid run in the child)
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        raise subprocess.TimeoutExpired(command, timeout, output=stdout, stderr=stderr) from None
    except BaseException:
        kill_group(process.pid, signal.SIGKILL)
        process.wait()
        raise
    if check and process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, output=stdout, stderr=stderr)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
