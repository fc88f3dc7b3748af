"""Requests that meet a busy database answer 503 with Retry-After (the player and browsers try again), not 500."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .locks import is_lock_timeout

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class DatabaseBusyMiddleware:
    """Turn a lock timeout (the request's transaction rolled back, nothing half-written) into 503 + Retry-After."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_lock_timeout(exception):
            return None
        logger.warning("database busy on %s %s: %s", request.method, request.path, exception)
        detail = _("Kizuna is very busy right now. Nothing was lost: try again in a few seconds.")
        response: HttpResponse
        if request.path.startswith("/api/"):
            body = {"type": "about:blank", "title": _("Busy"), "status": 503, "detail": detail}
            response = JsonResponse(body, status=503, content_type="application/problem+json")
        else:
            response = render(request, "ops/busy.html", {"detail": detail}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
