"""Where a page sends people back to: a ``next`` link of this site only (never another host)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest) -> str | None:
    """Return the request's ``next`` (query string or form) when it is a path on this site, else None."""
    value = request.POST.get("next") or request.GET.get("next") or ""
    if not value.startswith("/") or value.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=False):
        return None
    return value
