"""Expose the signed-in person's membership to every template."""

from typing import Any

from django.http import HttpRequest

from .access import membership_of


def membership(request: HttpRequest) -> dict[str, Any]:
    return {"membership": membership_of(getattr(request, "user", None))}
