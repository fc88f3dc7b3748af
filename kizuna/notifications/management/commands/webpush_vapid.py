"""Print a new VAPID key pair for Web Push (set the private one as WEBPUSH_VAPID_PRIVATE_KEY)."""

from typing import Any

from django.core.management.base import BaseCommand
from py_vapid import Vapid02

from kizuna.notifications.push import vapid_private_key_text, vapid_public_key, vapid_public_key_text


class Command(BaseCommand):
    help = "Print a new VAPID key pair: WEBPUSH_VAPID_PRIVATE_KEY=<private> and the public key browsers use."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--current", action="store_true", help="print the public key in use instead")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["current"]:
            self.stdout.write(vapid_public_key())
            return
        key = Vapid02()
        key.generate_keys()
        self.stdout.write(f"WEBPUSH_VAPID_PRIVATE_KEY={vapid_private_key_text(key)}")
        self.stdout.write(f"# public key: {vapid_public_key_text(key)}")
