"""Keep a person who must enrol a second factor on the enrolment pages until they have one."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .security import MUST_ENROL, mfa_enrolled

# Where such a person may still go: allauth's pages (enrolment, re-authentication, sign-out, password),
# static files, the privacy notice and the language switch.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/privacy/", "/i18n/", "/jsi18n/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_ENROL) and request.user.is_authenticated:
            if mfa_enrolled(request.user):
                del session[MUST_ENROL]
            elif not request.path.startswith(ALLOWED_PREFIXES):
                messages.warning(
                    request,
                    _(
                        "Your organization requires a second factor for your role. Set up an authenticator app "
                        "or a security key to continue."
                    ),
                )
                return redirect("mfa_index")
        return self.get_response(request)
