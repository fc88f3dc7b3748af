"""Make a SCIM provisioning token for one partner agency and print only the raw token, for scripts to capture."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kizuna.orgs.selectors import partner_by_code
from kizuna.scim.services import ScimError, scim_token_create, scim_tokens_revoke


class Command(BaseCommand):
    help = "Create a SCIM provisioning token for the partner with this code and print it (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("partner_code", help="the partner agency's code")
        parser.add_argument("--name", default="SCIM", help="what the token is for, e.g. 'Entra ID' (default: SCIM)")
        parser.add_argument(
            "--revoke", metavar="PREFIX", help="revoke the agency's live tokens starting with PREFIX instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        partner = partner_by_code(code=options["partner_code"])
        if partner is None:
            raise CommandError(_("No partner has the code %(code)s.") % {"code": options["partner_code"]})
        if options["revoke"]:
            count = scim_tokens_revoke(organization=partner, prefix=options["revoke"])
            if not count:
                raise CommandError(
                    _("This agency has no live token starting with %(prefix)s.") % {"prefix": options["revoke"]}
                )
            self.stdout.write(str(count))
            return
        try:
            _token, raw = scim_token_create(organization=partner, name=options["name"])
        except ScimError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(raw)
