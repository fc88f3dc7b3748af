"""Run the background projector: apply queued statements to the deferred projections until stopped."""

import logging
import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections

from kizuna.records.projector import drain_once

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Apply queued statements to the deferred projections (points, learning days, rollups…) until stopped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="project what is queued now, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(*_args: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        backoff = settings.PROJECTOR_POLL_SECONDS
        while not stopping:
            try:
                taken = drain_once()
                backoff = settings.PROJECTOR_POLL_SECONDS
            except OperationalError as error:
                # A lock timeout (SQLite busy, PostgreSQL lock/statement timeout) or a lost connection: the
                # batch rolled back and stays queued; wait a little longer each time, then try again.
                logger.warning("projector batch failed, retrying in %.1fs: %s", backoff, error)
                close_old_connections()
                time.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            if options["once"] and not taken:
                return
            if not taken:
                time.sleep(settings.PROJECTOR_POLL_SECONDS)
