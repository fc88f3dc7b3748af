"""Keep the current request at hand, so that a service can record who made a change and from where."""

from collections.abc import Callable
from contextvars import ContextVar

from allauth.account.adapter import get_adapter
from django.http import HttpRequest, HttpResponse

current_request: ContextVar[HttpRequest | None] = ContextVar("audit_current_request", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address as allauth tells it (behind TRUSTED_PROXY_COUNT proxies), or None."""
    try:
        return get_adapter(request).get_client_ip(request) or None
    except Exception:  # an address that cannot be told is recorded as unknown, never a failed change
        return None


class AuditRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
