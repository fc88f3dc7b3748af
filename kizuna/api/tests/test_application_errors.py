"""Every app's refusal (an ApplicationError) leaves the JSON API as one kind of problem, converted in one place."""

from typing import Any

import pytest
from django.urls import get_resolver
from django.utils import translation
from ninja import NinjaAPI
from ninja.testing import TestClient

from kizuna.api.problems import PROBLEM_TYPES, register_problem_handlers
from kizuna.catalog.services import CatalogError
from kizuna.feedback.services import FeedbackError
from kizuna.kpis.services import KpiImportError, RowError
from kizuna.ops.errors import ApplicationError
from kizuna.records.services import NotALearner, StatementError


class HypotheticalError(ApplicationError):
    """An app's error the API edge has never heard of."""


class GoneError(ApplicationError):
    code = "not-found"
    status = 404


def _every_subclass(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_every_subclass(sub) for sub in found)) if found else found


def _call_raising(error: Exception) -> Any:
    """Answer one request whose endpoint raises `error`, through the problem handlers of the real API."""
    api = NinjaAPI(urls_namespace=f"errors-{id(error)}")
    register_problem_handlers(api)

    @api.post("/refuse", auth=None)
    def refuse(request: Any) -> None:
        raise error

    with translation.override("en"):
        return TestClient(api).post("/refuse", json={})


def _problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].endswith(f"/api/v1/problems/{slug}")
    with translation.override("en"):
        assert body["title"] == str(PROBLEM_TYPES[slug].title)
    return body


def test_every_application_error_names_a_problem_type_of_its_own_status():
    get_resolver().url_patterns  # noqa: B018 (imports every app's views, and so every app's errors)
    errors = _every_subclass(ApplicationError) - {HypotheticalError, GoneError}
    names = {cls.__name__ for cls in errors}
    assert {"CatalogError", "StatementError", "OrgsError", "KpiImportError", "NotALearner"} <= names
    for cls in errors:
        assert cls.code in PROBLEM_TYPES, cls
        assert PROBLEM_TYPES[cls.code].status == cls.status, cls


def test_an_apps_refusal_is_a_422_problem_whose_detail_is_its_message():
    body = _problem(_call_raising(HypotheticalError("Choose a date after today.")), 422, "rejected")
    assert body["detail"] == "Choose a date after today."
    assert body["instance"] == "/refuse"
    assert "errors" not in body


def test_the_errors_code_and_status_choose_the_problem_type():
    body = _problem(_call_raising(CatalogError("A product with this code already exists.")), 422, "content-rejected")
    assert body["detail"] == "A product with this code already exists."
    body = _problem(_call_raising(StatementError("Send a score between 0 and 1.")), 422, "statement-rejected")
    assert body["detail"] == "Send a score between 0 and 1."
    _problem(_call_raising(GoneError("This take was deleted.")), 404, "not-found")


def test_an_error_without_a_message_gets_its_problem_types_own_detail():
    body = _problem(_call_raising(NotALearner()), 403, "not-a-learner")
    assert body["detail"] == "Learning is recorded for reps only; this account is not a rep."


def test_an_error_about_a_field_lists_it_in_errors():
    body = _problem(_call_raising(FeedbackError("Write what the customer said.", field="text")), 422, "validation")
    assert body["detail"] == "Write what the customer said."
    assert body["errors"] == [{"loc": ["body", "text"], "msg": "Write what the customer said."}]


def test_refused_kpi_rows_are_listed_by_their_place_in_the_items():
    error = KpiImportError([RowError(0, "calls", "Enter a whole number."), RowError(1, "file", "Too many rows.")])
    body = _problem(_call_raising(error), 422, "validation")
    assert body["detail"] == "No figures were stored: fix the items listed in “errors” and send them all again."
    assert body["errors"] == [
        {"loc": ["body", "items", 0, "calls"], "msg": "Enter a whole number."},
        {"loc": ["body", "items"], "msg": "Too many rows."},
    ]


def test_an_unknown_code_falls_back_to_the_general_refusal():
    body = _problem(_call_raising(HypotheticalError("No.", code="no-such-type")), 422, "rejected")
    assert body["detail"] == "No."


@pytest.mark.django_db
def test_the_general_refusal_describes_itself(client):
    response = client.get("/api/v1/problems/rejected")
    assert response.status_code == 200
    assert response.json()["status"] == 422
