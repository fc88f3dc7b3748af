"""Offer the guided start on a role's start page until it was taken or skipped (no database query: a cookie)."""

from typing import Any

from django.http import HttpRequest

from kizuna.orgs.access import membership_of
from kizuna.orgs.menu import START_PAGES

from .first_run import DONE_COOKIE


def first_run(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    if match is None or DONE_COOKIE in request.COOKIES:
        return {}
    m = membership_of(getattr(request, "user", None))
    if m is None or START_PAGES.get(m.role) != match.view_name:
        return {}
    return {"first_run_offer": True}
