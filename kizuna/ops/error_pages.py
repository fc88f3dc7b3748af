"""The error pages: every error a person can meet (400, 403, 404, 405, 413, 429, 500, a failed CSRF check) is a
page in their language inside Kizuna's layout with a way back; the JSON API and any caller that asks for
JSON get an RFC 7807 problem instead.

The problem documents belong to the API app (their `type` URLs describe themselves there), which sits
above this one: it registers its renderer with `register_problem_renderer`; until it has, a bare problem
document with `about:blank` is sent.
"""

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

#: Renders a problem document: (request, problem slug, status) -> response. Filled by the API app.
ProblemRenderer = Callable[[HttpRequest, str, int], HttpResponse]
_problem_renderer: list[ProblemRenderer] = []

#: The problem slug of each error, as the API names them.
PROBLEM_SLUGS = {
    400: "bad-request",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "too-large",
    429: "too-many-requests",
    500: "server-error",
}
CSRF_SLUG = "csrf-failed"


def register_problem_renderer(renderer: ProblemRenderer) -> None:
    """Let the API answer errors of JSON callers with its own problem documents."""
    _problem_renderer[:] = [renderer]


def wants_problem(request: HttpRequest) -> bool:
    """Whether the caller is a program expecting JSON: anything under /api/, or an Accept asking for JSON."""
    if request.path.startswith("/api/"):
        return True
    accept = request.headers.get("Accept", "")
    return "json" in accept and "text/html" not in accept


def _problem(request: HttpRequest, slug: str, status: int) -> HttpResponse:
    if _problem_renderer:
        return _problem_renderer[0](request, slug, status)
    body = {"type": "about:blank", "title": slug, "status": status, "instance": request.path}
    return JsonResponse(body, status=status, content_type="application/problem+json")


def _way_back(request: HttpRequest) -> str:
    """The page the person came from, if it is one of ours (never a link to another site)."""
    referer = request.headers.get("Referer", "")
    parts = urlsplit(referer)
    if not referer or parts.netloc != request.get_host() or parts.path == request.path:
        return ""
    return referer


def _texts(status: int) -> tuple[str, str]:
    """The title and explanation of an error, in the active language."""
    if status == 400:
        return _("The request could not be read"), _(
            "Something in what the browser sent was not right. Go back and try again."
        )
    if status == 403:
        return _("Not allowed"), _("You do not have permission to open this page.")
    if status == 404:
        return _("Page not found"), _(
            "This page does not exist, or you may not see it. The link may be old or mistyped."
        )
    if status == 405:
        return _("This page cannot be opened this way"), _(
            "The page was asked for in a way it does not accept, for example a button's address opened as a "
            "link. Go back and use the page's own buttons."
        )
    if status == 413:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return _("What you sent is too large"), _(
            "Kizuna accepts at most %(limit)s MB of form data at a time. Send a smaller file or fewer items."
        ) % {"limit": limit}
    if status == 429:
        return _("Too many attempts"), _(
            "Too many requests came from your network in a short time. Wait a minute, then try again."
        )
    return _("Something went wrong"), _(
        "Kizuna could not finish this request. The problem was logged; nothing you did caused it. "
        "Try again in a moment."
    )


def error_page(request: HttpRequest, status: int, *, title: str = "", message: str = "") -> HttpResponse:
    """The error page of `status` in the layout, with a way back; `message` says what went wrong, if known."""
    default_title, default_message = _texts(status)
    context = {
        "status": status,
        "title": title or default_title,
        "message": message or default_message,
        "back_url": _way_back(request),
    }
    html = loader.render_to_string(f"{status}.html", context, request=request)
    return HttpResponse(html, status=status)


def error_response(request: HttpRequest, status: int) -> HttpResponse:
    """The answer to an error: a problem document for JSON callers, else the page."""
    if wants_problem(request):
        return _problem(request, PROBLEM_SLUGS[status], status)
    return error_page(request, status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Django answers a body over DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig) as a 400: it is a 413.
    return error_response(request, 413 if isinstance(exception, RequestDataTooBig) else 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's flood guard on sign-in posts (it calls the URL map's `handler429`)."""
    return error_response(request, 429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: most often a page left open past its session."""
    logger.info("CSRF check failed on %s %s: %s", request.method, request.path, reason)
    if wants_problem(request):
        return _problem(request, CSRF_SLUG, 403)
    return error_page(
        request,
        403,
        title=_("The page expired"),
        message=_(
            "For your safety this form can only be sent from a fresh page. Go back, reload the page and send "
            "it again. If this keeps happening, allow cookies for this site."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """A bug or an outage: drawn without the request's context (no database, no context processors)."""
    if wants_problem(request):
        return _problem(request, PROBLEM_SLUGS[500], 500)
    title, message = _texts(500)
    try:
        html = loader.get_template("500.html").render({"status": 500, "title": title, "message": message})
    except Exception:  # the layout itself may be what is broken
        logger.exception("the 500 page could not be drawn; sending the plain one")
        html = (
            f'<!doctype html><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<h1>{escape(title)}</h1><p>{escape(message)}</p><p><a href="/">Kizuna</a></p>'
        )
    return HttpResponse(html, status=500)


class MethodNotAllowedMiddleware:
    """Give the bare 405 of `require_POST` and friends (and of the API's router) the error page or problem."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        answer = error_response(request, 405)
        answer["Allow"] = response["Allow"]
        return answer
