"""`manage.py demo_seed [--no-video]`: load the demo once, then print its sign-ins.

A progress bar shows each long step when the output is a terminal (not with --verbosity 0).
Run by `make run` on every start: when a principal organization already exists
it changes nothing and only prints a short note and the sign-ins. --no-video
skips making videos (no espeak-ng/ffmpeg needed, a few seconds instead of about
half a minute): each video lesson becomes an article of what the video says.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kizuna.demo.services import DemoSeedError, demo_seed, demo_sign_ins
from kizuna.demo.videos import DemoVideoError, text_width
from kizuna.ops.progress import command_progress


def _pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


def sign_in_table(rows: list[tuple[str, str, str, str]]) -> str:
    """Return the sign-ins as a plain-text table, aligned for Japanese text in a terminal."""
    header = (_("E-mail"), _("Role"), _("Organization"), _("Password"))
    table = [header, *rows]
    widths = [max(text_width(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Load the demo data (people, videos, courses, five weeks of learning) unless a principal already exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-video",
            action="store_true",
            help="Do not make videos; video lessons become articles of what the video says (fast, for tests).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with command_progress(self, options) as progress:
                result = demo_seed(with_video=not options["no_video"], log=progress.log, progress=progress)
        except (DemoSeedError, DemoVideoError) as error:
            raise CommandError(f"{error} (nothing was loaded)") from error
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    _("The demo is loaded (%(seconds)s s).") % {"seconds": result.seconds},
                )
            )
        else:
            self.stdout.write(_("The demo is already loaded (a principal organization exists): nothing changed."))
        rows = demo_sign_ins()
        if rows:
            self.stdout.write("")
            self.stdout.write(_("Demo sign-ins:"))
            self.stdout.write(sign_in_table(rows))
