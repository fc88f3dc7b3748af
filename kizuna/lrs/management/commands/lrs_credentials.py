"""Make LRS credentials for an integration and print "<key> <secret>" on one line, for scripts to capture."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.lrs.services import LrsCredentialError, lrs_credential_create


class Command(BaseCommand):
    help = (
        "Create HTTP Basic credentials for the xAPI LRS at /xapi/ and print the key and the secret on one line "
        "(the secret is shown only once). Without --partner they act for the principal (every agency)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="what the credentials are for, e.g. the system that will use them")
        parser.add_argument("--partner", default=None, help="the partner's code: read and write only its statements")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            credential, secret = lrs_credential_create(name=options["name"], partner_code=options["partner"])
        except LrsCredentialError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{credential.key} {secret}")
