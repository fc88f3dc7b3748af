"""Run the platform on its embedded defaults: gunicorn, the database task worker, the projector and the scheduler."""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kizuna.ops.schedule import build_scheduler


class Command(BaseCommand):
    help = "Start the web server (gunicorn) with the task worker and the scheduler; Ctrl-C stops all three."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        manage = str(settings.BASE_DIR / "manage.py")
        gunicorn = os.path.join(os.path.dirname(python), "gunicorn")
        children = [
            subprocess.Popen(
                [
                    gunicorn,
                    "kizuna.wsgi",
                    "--bind",
                    f"{options['host']}:{options['port']}",
                    "--workers",
                    str(options["workers"]),
                    "--access-logfile",
                    "-",
                    "--timeout",
                    "120",
                ],
                cwd=settings.BASE_DIR,
            ),
            subprocess.Popen([python, manage, "db_worker", "--queue-name", "default"], cwd=settings.BASE_DIR),
            subprocess.Popen([python, manage, "run_projector"], cwd=settings.BASE_DIR),
        ]
        scheduler = build_scheduler()
        scheduler.start()
        self.stdout.write(self.style.SUCCESS(f"Kizuna is running on http://{options['host']}:{options['port']}/"))

        stopping = False

        def stop(*_args: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            scheduler.shutdown(wait=False)
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stopping:
            raise SystemExit(1)
