"""Activate the language a signed-in user chose in their profile; end sessions that lasted too long."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from .sessions import session_expired


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class SessionLifetimeMiddleware:
    """Sign out a session idle longer than SESSION_IDLE_TIMEOUT_MINUTES or older than
    SESSION_ABSOLUTE_LIFETIME_HOURS, and send the person to the sign-in page with a note why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and session_expired(request.session):
            logout(request)
            messages.info(request, _("You were signed out because your session ended. Please sign in again."))
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
