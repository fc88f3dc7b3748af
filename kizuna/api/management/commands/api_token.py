"""Make an integration token for a person and print only the raw token, for scripts to capture."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kizuna.api.services import ApiTokenError, api_token_create


class Command(BaseCommand):
    help = "Create an API token for the person with this e-mail address and print the token (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's e-mail address")
        parser.add_argument("--name", default="command line", help="what the token is for (default: command line)")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(_("No one has the e-mail address %(email)s.") % {"email": email})
        try:
            _token, raw = api_token_create(user=user, name=options["name"], created_by=None)
        except ApiTokenError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(raw)
