"""gunicorn settings that `manage.py serve` adds to its command line (``--config python:...``)."""

from typing import Any

from kizuna.ops.processes import set_death_signal

# The master loads the app once (kizuna.wsgi imports every view: seconds of work) and the workers it forks share
# it, so a worker started or restarted answers its first request at once instead of loading it all again.
preload_app = True


def pre_fork(server: Any, worker: Any) -> None:
    # Nothing the master opened while loading is shared with a worker: each opens its own connections.
    from django.db import connections

    connections.close_all()


def post_fork(server: Any, worker: Any) -> None:
    # A worker dies with its master at once, even in the middle of a long request.
    set_death_signal()
