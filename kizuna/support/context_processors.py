"""Offer the guided start on a role's start page until it was taken or skipped, on this browser (a cookie) or on any
other (a session mark set at sign-in): no database query of its own."""

from typing import Any

from django.http import HttpRequest

from kizuna.orgs.access import membership_of
from kizuna.orgs.menu import START_PAGES

from .first_run import DONE_COOKIE, DONE_SESSION_KEY


def first_run(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    if match is None or DONE_COOKIE in request.COOKIES:
        return {}
    m = membership_of(getattr(request, "user", None))
    if m is None or START_PAGES.get(m.role) != match.view_name:
        return {}
    session = getattr(request, "session", None)  # loaded already: it gave the signed-in user
    if session is not None and session.get(DONE_SESSION_KEY):
        return {}
    return {"first_run_offer": True}
