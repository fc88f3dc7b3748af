"""Progress of long management commands: a rich progress bar on a terminal, nothing otherwise.

A service with a long loop takes a `progress: Progress = QUIET` argument and wraps the loop in
`progress.track(items, description=..., total=...)`; its messages go through `progress.log`. A command
opens one with `command_progress(self, options)`: it draws only when the command's output is a terminal
and `--verbosity` is above 0, so tests, pipes and log files get the plain lines and no bar.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from django.core.management.base import BaseCommand

T = TypeVar("T")


class Progress(Protocol):
    def track(self, items: Iterable[T], *, description: str, total: int | None = None) -> Iterable[T]:
        """Yield the items, showing how many are done."""
        ...

    def log(self, message: str) -> None:
        """Print a line (above the bar, when there is one)."""
        ...


class QuietProgress:
    """No bar: the items pass through, lines go to `write` (by default nowhere)."""

    def __init__(self, write: Any = None) -> None:
        self.write = write

    def track(self, items: Iterable[T], *, description: str, total: int | None = None) -> Iterable[T]:
        return items

    def log(self, message: str) -> None:
        if self.write is not None:
            self.write(message)


QUIET = QuietProgress()


class BarProgress:
    """A rich progress bar: one line per tracked loop, with its count and the time it took."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar

    def track(self, items: Iterable[T], *, description: str, total: int | None = None) -> Iterable[T]:
        if total is None and hasattr(items, "__len__"):
            total = len(items)  # type: ignore[arg-type]
        if total == 0:
            return items  # nothing to do: no empty bar
        return self.bar.track(items, total=total, description=description)  # type: ignore[no-any-return]

    def log(self, message: str) -> None:
        self.bar.console.print(message, markup=False, highlight=False)


@contextmanager
def command_progress(command: BaseCommand, options: dict[str, Any]) -> Iterator[Progress]:
    """The progress of a management command: a bar on a terminal, else its plain output lines."""
    stream = command.stdout._out  # the OutputWrapper's own stream (sys.stdout, or call_command's stdout)
    if options.get("verbosity", 1) == 0 or not getattr(stream, "isatty", lambda: False)():
        yield QuietProgress(command.stdout.write)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with RichProgress(*columns, console=Console(file=stream)) as bar:
        yield BarProgress(bar)
