"""gunicorn settings that `manage.py serve` adds to its command line (``--config python:...``)."""

from typing import Any

from kizuna.ops.processes import set_death_signal


def post_fork(server: Any, worker: Any) -> None:
    # A worker dies with its master at once, even in the middle of a long request.
    set_death_signal()
