"""The one application error: what a service refuses, said so that a person can act on it.

Every app's error subclasses `ApplicationError` (`CatalogError`, `CoachingError`, …). A service raises it
with a message already in the user's language (gettext at the raise), optionally the form field it is
about, and a machine code. The edges convert it once each:

- pages: `add_to_form(form, error)` puts it on the field (or the form), `message_user(request, error)`
  shows it as a page message;
- the JSON API: `kizuna.api.problems` answers any `ApplicationError` as an RFC 7807 problem whose
  `type` ends with the error's `code`, whose `status` is the error's `status`, whose `detail` is
  `problem_detail()` (the message) and whose `errors` are `problem_errors()` (the field's message).

A subclass sets `code` (and `status`) when the API has a more precise problem type for it, and overrides
the two `problem_*` methods when its refusal has more to say than one message (a list of bad rows).
"""

from collections.abc import Iterable
from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from .quotes import nest_quotes


class ApplicationError(Exception):
    """A change or request that cannot be done; `message` is safe to show, in the user's language."""

    #: The problem type of the JSON API (a slug of `kizuna.api.problems.PROBLEM_TYPES`).
    code: ClassVar[str] = "rejected"
    #: The HTTP status the JSON API answers with.
    status: ClassVar[int] = 422

    def __init__(self, message: Any = "", *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        # Messages quote titles in 「」, and titles may quote too: 「『高いね』と言われたら」, not 「「…」」.
        text = nest_quotes(str(message))
        # A message with a link (safe HTML made with format_html) stays safe: only its brackets changed.
        self.message = mark_safe(text) if isinstance(message, SafeData) else text  # noqa: S308
        self.field = field
        if code is not None:
            self.code = code  # type: ignore[misc]

    def __str__(self) -> str:
        return self.message

    def problem_detail(self) -> str:
        """The `detail` of the API's problem document; empty: the problem type's own detail."""
        return self.message

    def problem_errors(self) -> list[dict[str, Any]] | None:
        """The `errors` of the API's problem document ([{loc, msg}]): the field's message, if it names one."""
        if self.field is None:
            return None
        return [{"loc": ["body", self.field], "msg": self.message}]


def problems_text(problems: Iterable[str]) -> str:
    """Join problem messages into one, keeping a message's link (safe HTML) working and escaping the others."""
    problems = list(problems)
    if not any(isinstance(p, SafeData) for p in problems):
        return " ".join(problems)
    return mark_safe(" ".join(str(conditional_escape(p)) for p in problems))  # noqa: S308 - each part escaped


def add_to_form(form: Any, error: ApplicationError, *, field: str | None = None) -> None:
    """Show the error on its field when the form has that field, else on `field`, else above the form."""
    # getattr and str: also an error class not yet moved onto ApplicationError, whose str is its message.
    named = getattr(error, "field", None)
    form.add_error(named if named in getattr(form, "fields", {}) else field, str(error))


def message_user(request: HttpRequest, error: ApplicationError) -> None:
    """Show the error as an error message on the next page."""
    messages.error(request, str(error))
