"""Errors of the JSON API as RFC 7807 problem details, in the caller's language.

Every error leaves the API as `application/problem+json` with `type`, `title`,
`status`, `detail` and `instance`; validation problems add `errors`, a list of
{loc, msg}. Each `type` is a URL under /api/v1/problems/ that describes itself.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kizuna.ops.errors import ApplicationError

from .auth import CsrfFailed

CONTENT_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    status: int
    title: Promise
    detail: Promise


PROBLEM_TYPES: dict[str, ProblemType] = {
    "bad-request": ProblemType(
        400, _("Bad request"), _("The request could not be read. Send JSON with the fields this endpoint describes.")
    ),
    "not-authenticated": ProblemType(
        401,
        _("Authentication required"),
        _("Send a valid API token as “Authorization: Bearer kz_…”, or sign in first."),
    ),
    "forbidden": ProblemType(403, _("Not allowed"), _("You do not have permission to do this.")),
    "csrf-failed": ProblemType(
        403,
        _("CSRF check failed"),
        _("Requests made with your sign-in need the page’s CSRF token. Reload the page and try again."),
    ),
    "not-a-learner": ProblemType(
        403, _("Only reps record learning"), _("Learning is recorded for reps only; this account is not a rep.")
    ),
    "not-found": ProblemType(404, _("Not found"), _("This does not exist, or you may not see it.")),
    "validation": ProblemType(
        422, _("Some fields are not valid"), _("Fix the fields listed in “errors” and send the request again.")
    ),
    "rejected": ProblemType(422, _("The request was not accepted"), _("The request was not accepted.")),
    "statement-rejected": ProblemType(422, _("The statement was not accepted"), _("The statement was not accepted.")),
    "content-rejected": ProblemType(422, _("The change was not accepted"), _("The change was not accepted.")),
    "conflict": ProblemType(
        409,
        _("Changed at the same time"),
        _("Another request changed the same data at the same moment. Send the request again."),
    ),
    "too-large": ProblemType(
        413, _("Request too large"), _("The request body is too large. Send fewer items at a time.")
    ),
    "method-not-allowed": ProblemType(
        405,
        _("Method not allowed"),
        _("This URL does not take this HTTP method; the Allow header lists those it takes."),
    ),
    "server-error": ProblemType(
        500, _("Server error"), _("The request could not be finished. The problem was logged; try again later.")
    ),
    "too-many-requests": ProblemType(429, _("Too many requests"), _("Wait a moment, then try again.")),
    "http-error": ProblemType(400, _("The request failed"), _("The request failed.")),
}

# Messages of pydantic's error types, so that `errors` reads in the caller's language too.
FIELD_MESSAGES: dict[str, Promise] = {
    "missing": _("This field is required."),
    "uuid_parsing": _("Enter a UUID, such as 5f0c1c9e-3f1a-4b1e-9a55-2f6f9a4f6d10."),
    "uuid_type": _("Enter a UUID, such as 5f0c1c9e-3f1a-4b1e-9a55-2f6f9a4f6d10."),
    "string_type": _("Enter text."),
    "string_unicode": _("Remove the NUL character or broken Unicode from this text."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "float_parsing": _("Enter a number."),
    "float_type": _("Enter a number."),
    "bool_parsing": _("Enter true or false."),
    "datetime_parsing": _("Enter a date and time in ISO 8601, such as 2026-11-27T09:00:00+09:00."),
    "datetime_from_date_parsing": _("Enter a date and time in ISO 8601, such as 2026-11-27T09:00:00+09:00."),
    "datetime_type": _("Enter a date and time in ISO 8601, such as 2026-11-27T09:00:00+09:00."),
    "dict_type": _("Enter a JSON object."),
    "model_type": _("Enter a JSON object."),
    "model_attributes_type": _("Enter a JSON object."),
    "list_type": _("Enter a JSON list."),
    "greater_than_equal": _("Enter a number of at least %(ge)s."),
    "greater_than": _("Enter a number greater than %(gt)s."),
    "less_than_equal": _("Enter a number of at most %(le)s."),
    "less_than": _("Enter a number less than %(lt)s."),
    "string_too_long": _("Enter at most %(max_length)s characters."),
}

# ninja's own English messages, for the cases it raises itself.
NINJA_MESSAGES: dict[str, tuple[str, Promise]] = {
    "Cannot parse request body": ("bad-request", _("The request body is not valid JSON.")),
}


def problem_type_iri(slug: str) -> str:
    return f"{settings.SITE_URL}/api/v1/problems/{slug}"


def problem_response(
    request: HttpRequest,
    slug: str,
    *,
    status: int | None = None,
    detail: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    kind = PROBLEM_TYPES[slug]
    body: dict[str, Any] = {
        "type": problem_type_iri(slug),
        "title": str(kind.title),
        "status": status or kind.status,
        "detail": detail or str(kind.detail),
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = JsonResponse(
        body, status=body["status"], content_type=CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    if body["status"] == 401:
        response["WWW-Authenticate"] = 'Bearer realm="Kizuna"'
    return response


def _translated(message: str) -> str | None:
    # gettext("") would return the catalog's header.
    return gettext(message) if message else None


def _field_message(error: dict[str, Any]) -> str:
    message = FIELD_MESSAGES.get(error.get("type", ""))
    if message is None:
        return str(error.get("msg", ""))
    try:
        return str(message) % (error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return ninja's validation errors as [{loc, msg}], with messages in the active language."""
    out = []
    for error in errors:
        loc = [part for part in error.get("loc", ()) if isinstance(part, str | int)]
        if loc[:1] == ["body"]:
            # Each endpoint reads its whole body as one schema; ninja's parameter name is not in the JSON sent.
            loc = ["body", *loc[2:]]
        out.append({"loc": loc, "msg": _field_message(error)})
    return out


def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem_response(request, "validation", errors=validation_errors(exc.errors))


def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(request, "not-authenticated")


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ValidationError):
        # ninja turns any error of the body parser into "Cannot parse request body"; ours name the field.
        return on_validation_error(request, exc.__cause__)
    known = NINJA_MESSAGES.get(str(exc.message).split(" (", 1)[0])
    if known is not None:
        return problem_response(request, known[0], status=exc.status_code, detail=str(known[1]))
    slug = {401: "not-authenticated", 403: "forbidden", 404: "not-found", 429: "too-many-requests"}.get(
        exc.status_code, "http-error"
    )
    return problem_response(request, slug, status=exc.status_code, detail=_translated(str(exc.message)))


def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, "not-found")


def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, "forbidden", detail=_translated(str(exc)))


def on_csrf_failed(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, "csrf-failed")


def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """Any app's refusal: its code is the problem type, its message the detail, its field or rows the errors."""
    slug = exc.code if exc.code in PROBLEM_TYPES else "rejected"
    # Apps write their messages for people; gettext covers one that reached us untranslated.
    return problem_response(
        request, slug, status=exc.status, detail=_translated(exc.problem_detail()), errors=exc.problem_errors()
    )


def on_integrity_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Two requests creating the same row at once (the unique constraints decide); the loser retries.
    return problem_response(request, "conflict")


def on_data_too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, "too-large")


def error_problem(request: HttpRequest, slug: str, status: int) -> HttpResponse:
    """The problem document of an error Django answers outside the API's own handlers (a missing route, a 405)."""
    return problem_response(request, slug, status=status)


def register_problem_handlers(api: NinjaAPI) -> None:
    """Make every error the API can raise leave it as a problem document."""
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(CsrfFailed, on_csrf_failed)
    api.add_exception_handler(ApplicationError, on_application_error)
    api.add_exception_handler(IntegrityError, on_integrity_error)
    api.add_exception_handler(RequestDataTooBig, on_data_too_big)


def declare_problems(schema: dict[str, Any], problem_schema: dict[str, Any]) -> dict[str, Any]:
    """Declare in the OpenAPI document every problem status each operation can answer.

    Every operation may answer 404 and 422 (its parameters); authenticated ones 401 and 403; those with
    a body 400 (not JSON), 409 (a concurrent write of the same rows) and 413 (over the upload limit).
    """
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = problem_schema
    by_status = {kind.status: kind for slug, kind in PROBLEM_TYPES.items() if slug != "http-error"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            statuses = {404, 422}
            if operation.get("security"):
                statuses |= {401, 403}
            if "requestBody" in operation:
                statuses |= {400, 409, 413}
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                responses.setdefault(
                    status,
                    {
                        "description": str(by_status[status].title),
                        "content": {CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                    },
                )
    return schema
