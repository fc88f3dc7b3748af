"""Run the platform on its embedded defaults: a supervisor keeping the web server, the task worker,
the statement projector and the scheduler running as child processes.

A child that dies is logged (exit code or signal) and started again after a backoff that doubles up to
a cap; the others keep running. Ctrl-C or SIGTERM stops every child (SIGTERM to its process group,
then SIGKILL after the grace time). Each child runs in its own process group, which the supervisor
kills as a whole (gunicorn's workers, ffmpeg), and gets SIGKILL from the kernel if the supervisor
itself is killed, so nothing outlives it.
"""

import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from subprocess import Popen
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand

from kizuna.ops.processes import die_with_parent, kill_group

logger = logging.getLogger("kizuna.serve")

Options = dict[str, Any]


def _manage(*args: str) -> Callable[[Options], list[str]]:
    return lambda options: [sys.executable, str(settings.BASE_DIR / "manage.py"), *args]


def _gunicorn(options: Options) -> list[str]:
    return [
        os.path.join(os.path.dirname(sys.executable), "gunicorn"),
        "kizuna.wsgi",
        "--config",
        "python:kizuna.ops.gunicorn_conf",
        "--bind",
        f"{options['host']}:{options['port']}",
        "--workers",
        str(options["workers"]),
        "--access-logfile",
        "-",
        "--timeout",
        "120",
        "--no-control-socket",  # its default path is per user: two instances would fight over it
    ]


def _worker(options: Options) -> list[str]:
    """The task worker of the configured queue: on Redis when REDIS_URL is set, else on the database."""
    if settings.TASKS["default"]["BACKEND"] == "kizuna.ops.rqueue.RQBackend":
        return _manage("rq_worker", "--queue-name", "default")(options)
    return _manage("db_worker", "--queue-name", "default", "--no-reload")(options)


# The children, by name: add one line here to supervise one more process.
CHILDREN: dict[str, Callable[[Options], list[str]]] = {
    "web": _gunicorn,
    "worker": _worker,
    "scheduler": _manage("run_scheduler"),
    "projector": _manage("run_projector"),
}


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0", "::"}  # noqa: S104 (names, not a bind)


def served_url(host: str, port: int) -> str:
    """The address this machine serves at; a bind to every interface is reached on loopback."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def site_url_mismatch(site_url: str, host: str, port: int) -> str | None:
    """Say why SITE_URL cannot be where this server answers, or None.

    Only a SITE_URL naming this machine (loopback or the bind address) can be checked: a public name
    may well be a reverse proxy in front of this port.
    """
    parts = urlsplit(site_url)
    target = parts.port or (443 if parts.scheme == "https" else 80)
    if (parts.hostname in LOCAL_HOSTS or parts.hostname == host) and target != port:
        return (
            f"SITE_URL is {site_url} but Kizuna is served at {served_url(host, port)}: links in e-mails, "
            "xAPI IRIs and Open Badges assertions will point at a port where nothing answers. "
            "Unset SITE_URL to follow the port, or set it to the public address."
        )
    return None


def child_environment(host: str, port: int, environ: dict[str, str]) -> tuple[dict[str, str], str | None]:
    """The children's environment: PORT and, unless set, SITE_URL follow the address served; and a warning."""
    env = {**environ, "PORT": str(port)}
    if not environ.get("SITE_URL"):
        env["SITE_URL"] = served_url(host, port)
        return env, None
    return env, site_url_mismatch(environ["SITE_URL"].rstrip("/"), host, port)


@dataclass
class Child:
    name: str
    command: list[str]
    process: Popen[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0  # deaths in a row, each soon after its start
    restart_at: float = 0.0
    history: list[str] = field(default_factory=list)


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


class Supervisor:
    def __init__(
        self,
        commands: dict[str, list[str]],
        *,
        env: dict[str, str] | None = None,
        backoff: float,
        backoff_cap: float,
        stable_after: float,
        grace: float,
    ) -> None:
        self.children = [Child(name, command) for name, command in commands.items()]
        self.backoff, self.backoff_cap, self.stable_after, self.grace = backoff, backoff_cap, stable_after, grace
        self.env = env
        self.stopping = False

    def start(self, child: Child) -> None:
        child.process = Popen(  # noqa: S603 (our own commands)
            child.command,
            cwd=settings.BASE_DIR,
            env=self.env,
            start_new_session=True,  # own process group, killed as a whole; Ctrl-C reaches only us
            preexec_fn=die_with_parent(),  # noqa: PLW1509 (prctl only)
        )
        child.started_at = time.monotonic()
        logger.info("started %s pid=%s", child.name, child.process.pid)

    def reap(self, child: Child) -> None:
        """Notice a dead child: log it, kill what is left of its group, schedule its restart."""
        assert child.process is not None
        returncode = child.process.returncode
        kill_group(child.process.pid, signal.SIGKILL)  # e.g. workers orphaned by a dead gunicorn master
        ran = time.monotonic() - child.started_at
        child.failures = 1 if ran >= self.stable_after else child.failures + 1
        delay = min(self.backoff_cap, self.backoff * 2 ** (child.failures - 1))
        child.restart_at = time.monotonic() + delay
        child.history.append(describe_exit(returncode))
        logger.error(
            "%s (pid=%s) stopped: %s after %.1fs; restarting in %.1fs",
            child.name,
            child.process.pid,
            describe_exit(returncode),
            ran,
            delay,
        )
        child.process = None

    def run(self) -> None:
        for child in self.children:
            self.start(child)
        while not self.stopping:
            now = time.monotonic()
            for child in self.children:
                if self.stopping:
                    break
                if child.process is not None and child.process.poll() is not None:
                    self.reap(child)
                elif child.process is None and now >= child.restart_at:
                    self.start(child)
            time.sleep(0.2)
        self.stop_all()

    def stop_all(self) -> None:
        running = [c for c in self.children if c.process is not None]
        for child in running:
            assert child.process is not None
            logger.info("stopping %s pid=%s", child.name, child.process.pid)
            kill_group(child.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except Exception:  # noqa: BLE001 (TimeoutExpired: SIGKILL below)
                logger.warning("%s did not stop within %.0fs: killing it", child.name, self.grace)
            # The group too: a worker or ffmpeg that ignored the leader's end.
            kill_group(child.process.pid, signal.SIGKILL)
            child.process.wait()


class Command(BaseCommand):
    help = "Start and keep running the web server (gunicorn), the task worker, the projector and the scheduler; Ctrl-C stops all."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))

    def handle(self, *args: Any, **options: Any) -> None:
        env, warning = child_environment(options["host"], options["port"], dict(os.environ))
        if warning:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        supervisor = Supervisor(
            {name: build(options) for name, build in CHILDREN.items()},
            env=env,
            backoff=settings.SERVE_RESTART_BACKOFF_SECONDS,
            backoff_cap=settings.SERVE_RESTART_BACKOFF_CAP_SECONDS,
            stable_after=60.0,
            grace=settings.SERVE_STOP_GRACE_SECONDS,
        )

        def stop(signum: int, _frame: Any) -> None:
            logger.info("received %s: stopping everything", signal.Signals(signum).name)
            supervisor.stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(self.style.SUCCESS(f"Kizuna is running on http://{options['host']}:{options['port']}/"))
        self.stdout.write(f"Links (e-mails, xAPI IRIs, badges) use SITE_URL={env['SITE_URL']}")
        self.stdout.flush()
        supervisor.run()
