"""How callers of the JSON API prove who they are: integration tokens, or the browser's session with CSRF."""

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from .models import TOKEN_PREFIX
from .selectors import api_token_for_raw
from .services import api_token_touch

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class CsrfFailed(Exception):
    """A signed-in browser sent an unsafe request without a valid CSRF token."""


def _use_person(request: HttpRequest, user: Any) -> Any:
    # The same effect as UserLanguageMiddleware, for callers who are not signed in with a session.
    if user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kz_…`: an integration token made by an admin; revoked tokens are refused."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(TOKEN_PREFIX):
            return None
        api_token = api_token_for_raw(token)
        if api_token is None or not api_token.user.is_active:
            return None
        api_token_touch(token=api_token)
        request.user = api_token.user
        return _use_person(request, api_token.user)


class SessionAuth(APIKeyCookie):
    """The signed-in browser (the video player); unsafe methods need the CSRF token, as in every form."""

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # Anonymous callers are told to authenticate (401), not that their CSRF token is missing.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        unsafe = request.method not in SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False)
        if unsafe and check_csrf(request) is not None:
            raise CsrfFailed
        return _use_person(request, user)


token_auth = TokenAuth()
session_auth = SessionAuth()
