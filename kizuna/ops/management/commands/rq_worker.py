"""`manage.py rq_worker`: a task worker on the Redis queue (REDIS_URL), one task at a time until stopped."""

from typing import Any

import django_rq
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.ops.rqueue import Job, Queue, Worker


class Command(BaseCommand):
    help = "Run tasks from the Redis queue (REDIS_URL) until stopped (SIGTERM or Ctrl-C); start several for more."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", action="append", dest="queue_names", help="default: every queue")
        parser.add_argument("--burst", action="store_true", help="stop once the queues are empty")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.REDIS_URL:
            raise CommandError("REDIS_URL is not set: the tasks are on the database queue (manage.py db_worker)")
        names = options["queue_names"] or list(settings.RQ_QUEUES)
        unknown = sorted(set(names) - set(settings.RQ_QUEUES))
        if unknown:
            raise CommandError(f"unknown queue(s): {', '.join(unknown)}")
        queues = [django_rq.get_queue(name, job_class=Job, queue_class=Queue) for name in names]
        worker = Worker(queues, connection=queues[0].connection, job_class=Job, queue_class=Queue)
        worker.work(burst=options["burst"])
