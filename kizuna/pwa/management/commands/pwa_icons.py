"""Make the app's icons from the source image (once; `make run` runs it)."""

from typing import Any

from django.core.management.base import BaseCommand

from kizuna.pwa.icons import icons_build


class Command(BaseCommand):
    help = "Make the installable app's icons from kizuna/pwa/icon-source.png into VAR_DIR/pwa-icons/."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in icons_build():
            self.stdout.write(str(path))
