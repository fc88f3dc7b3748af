"""Schemathesis over the whole OpenAPI document: every operation, every check, as an admin and as a rep."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from conftest import publish_course
from kizuna.api.services import api_token_create

# Operations whose schema-valid requests may still be refused with 422 by a rule OpenAPI cannot state:
# a rep's e-mail must exist and a month must have started (kpis), the product code must exist (field voice),
# the statement must fit the lesson (statements), and which of two parameters is required depends on the
# caller's role (progress report: partner_id for the principal's staff; entitlements: rep or partner).
CONTEXTUAL_422 = [
    ("PUT", "/api/v1/kpis"),
    ("POST", "/api/v1/kpis"),
    ("POST", "/api/v1/field-voice"),
    ("POST", "/api/v1/lessons/{lesson_id}/statements"),
    ("GET", "/api/v1/reports/progress"),
    ("GET", "/api/v1/entitlements"),
]
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # schemathesis' default, plus 422 below
CONFIG = schemathesis.Config.from_dict(
    {
        "operations": [
            {
                "include-method": method,
                "include-path": path,
                "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
            }
            for method, path in CONTEXTUAL_422
        ]
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG)


@pytest.fixture(autouse=True)
def _connection_kept(db: Any) -> Iterator[None]:
    # As Django's test client does: the test's transaction must outlive each request's connection handling.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def world(cast: Any) -> Any:
    """The cast with a course, a statement, sales figures, field voice and a community question."""
    from kizuna.community import services as community
    from kizuna.feedback import services as feedback
    from kizuna.kpis import services as kpis

    publish_course(
        cast, slug="basics", title="製品の基本", lessons=[{"kind": "article", "title": "想い", "body": "本文"}]
    )
    kpis.sales_figures_upsert(
        rows=[
            (
                0,
                {
                    "rep_email": cast.rep_a1.email,
                    "month": "2026-10",
                    "product": None,
                    "calls": 10,
                    "appointments": 3,
                    "deals": 1,
                    "revenue": 100000,
                },
            )
        ],
        by=cast.admin,
        source="api",
    )
    feedback.field_voice_record(rep=cast.rep_a1, kind="question", text="価格は？", submission_id=uuid.uuid4())
    community.question_ask(author=cast.rep_a1, title="値引きを求められたときの返し方", body="教えてください")
    return cast


def _token(user: Any, admin: Any) -> str:
    _made, raw = api_token_create(user=user, name="schemathesis", created_by=admin)
    return raw


@pytest.fixture
def admin_token(world: Any) -> str:
    return _token(world.admin, world.admin)


@pytest.fixture
def rep_token(world: Any) -> str:
    return _token(world.rep_a1, world.admin)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_openapi_document_for_an_admin(case: Any, admin_token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"})


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_openapi_document_for_a_rep(case: Any, rep_token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {rep_token}"})
