"""The LRS's requests skip the page middleware: /xapi/ is answered right after the security middleware.

An xAPI client authenticates every request with HTTP Basic and never has a session, a CSRF token, messages,
htmx or a signed-in user, so the sessions, CSRF, authentication, messages, CSP, allauth and the other page
middleware only cost time on the busiest path (a statement POST). What the LRS does need is kept here: the host
check (ALLOWED_HOSTS), the refusals in the language the request accepts (Accept-Language, Japanese by default,
as LocaleMiddleware would choose) and a lock timeout answered 503 with Retry-After. A path that is not one of
the LRS's resources (`/xapi/statements/` with a slash, say) goes through the whole stack as before.
"""

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, get_urlconf, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from kizuna.ops.locks import is_lock_timeout

PREFIX = "/xapi/"
RETRY_AFTER_SECONDS = 5
# What each LRS path resolved to (resolving walks the whole URL configuration: about a millisecond per request).
_resolved: dict[tuple[str, str | None, str], ResolverMatch] = {}


class XapiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        key = (settings.ROOT_URLCONF, get_urlconf(), request.path_info)
        match = _resolved.get(key)
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            if match.app_name != "lrs":
                return self.get_response(request)
            _resolved[key] = match  # the LRS's paths have no variable part: a handful of entries at most
        request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware checks it (DisallowedHost: 400)
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = match.func(request, *match.args, **match.kwargs)
        except Exception as exc:
            if not is_lock_timeout(exc):
                raise
            detail = _("Kizuna is very busy right now. Nothing was lost: try again in a few seconds.")
            response = HttpResponse(
                json.dumps({"error": True, "message": detail}, ensure_ascii=False),
                status=503,
                content_type="application/json; charset=utf-8",
            )
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response
