"""Make LRS credentials for an integration and print "<key> <secret>" on one line, for scripts to capture."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kizuna.lrs.selectors import lrs_credential_by_key
from kizuna.lrs.services import LrsCredentialError, lrs_credential_create, lrs_credential_deactivate


class Command(BaseCommand):
    help = (
        "Create HTTP Basic credentials for the xAPI LRS at /xapi/ and print the key and the secret on one line "
        "(the secret is shown only once). Without --partner they act for the principal (every agency)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="what the credentials are for, e.g. the system that will use them")
        parser.add_argument("--partner", default=None, help="the partner's code: read and write only its statements")
        parser.add_argument("--deactivate", metavar="KEY", default=None, help="refuse the credentials with this key")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["deactivate"]:
            credential = lrs_credential_by_key(key=options["deactivate"])
            if credential is None:
                raise CommandError(_("No LRS credentials have the key %(key)s.") % {"key": options["deactivate"]})
            lrs_credential_deactivate(credential=credential)
            self.stdout.write(credential.key)
            return
        if not options["name"]:
            raise CommandError(_("Give the credential a name, such as the system that will use it."))
        try:
            credential, secret = lrs_credential_create(name=options["name"], partner_code=options["partner"])
        except LrsCredentialError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{credential.key} {secret}")
