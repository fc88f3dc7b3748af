import json
from datetime import date
from typing import Any

from django.test import Client

from kizuna.api.services import api_token_create
from kizuna.kpis.models import SalesFigure

from .builders import figures

ITEMS = [
    {
        "rep_email": "rep1@partner-a.example",
        "month": "2026-09",
        "calls": 100,
        "appointments": 20,
        "deals": 5,
        "revenue": 1,
    },
    {
        "rep_email": "rep1@partner-b.example",
        "month": "2026-09",
        "calls": 90,
        "appointments": 9,
        "deals": 1,
        "revenue": 2,
    },
]


def _client(user: Any) -> tuple[Client, dict[str, str]]:
    _token, raw = api_token_create(user=user, name="CRM", created_by=user)
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _put(client: Client, auth: dict[str, str], items: list[dict[str, Any]], method: str = "put") -> Any:
    send = getattr(client, method)
    return send("/api/v1/kpis", data=json.dumps({"items": items}), content_type="application/json", **auth)


def test_put_creates_then_updates_the_same_rows(cast: Any) -> None:
    client, auth = _client(cast.admin)
    first = _put(client, auth, ITEMS)
    assert first.status_code == 200, first.content
    assert first.json() == {"created": 2, "updated": 0}
    second = _put(client, auth, ITEMS, method="post")
    assert second.json() == {"created": 0, "updated": 2}
    assert SalesFigure.objects.count() == 2


def test_one_bad_item_refuses_them_all_with_each_problem_located(cast: Any) -> None:
    client, auth = _client(cast.admin)
    bad = [ITEMS[0], {**ITEMS[1], "rep_email": "nobody@example.com", "month": "2026-9x"}]
    response = _put(client, auth, bad)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    locs = [e["loc"] for e in response.json()["errors"]]
    assert ["body", "items", 1, "rep_email"] in locs and ["body", "items", 1, "month"] in locs
    assert SalesFigure.objects.count() == 0


def test_partner_managers_may_not_load_figures(cast: Any) -> None:
    client, auth = _client(cast.manager_a)
    assert _put(client, auth, ITEMS[:1]).status_code == 404
    assert SalesFigure.objects.count() == 0


def test_a_manager_reads_only_their_own_agency(cast: Any) -> None:
    figures(cast.admin, cast.rep_a1, date(2026, 9, 1), 100, 20, 5)
    figures(cast.admin, cast.rep_b1, date(2026, 9, 1), 100, 10, 1)
    client, auth = _client(cast.manager_b)
    listed = client.get("/api/v1/kpis", **auth).json()
    assert [item["rep"]["email"] for item in listed["items"]] == ["rep1@partner-b.example"]
    assert client.get(f"/api/v1/kpis?partner_id={cast.partner_a.pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/kpis?rep_id={cast.rep_a1.pk}", **auth).status_code == 404


def test_admins_read_every_agency_and_filter_by_month(cast: Any) -> None:
    figures(cast.admin, cast.rep_a1, date(2026, 9, 1), 100, 20, 5)
    figures(cast.admin, cast.rep_a1, date(2026, 8, 1), 100, 10, 5)
    client, auth = _client(cast.admin)
    listed = client.get("/api/v1/kpis?month=2026-08", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["appointments"] == 10
    assert client.get("/api/v1/kpis?month=nope", **auth).status_code == 422


def test_the_endpoints_are_described_in_the_openapi_document(cast: Any) -> None:
    client, auth = _client(cast.admin)
    paths = client.get("/api/v1/openapi.json", **auth).json()["paths"]
    assert {"get", "put", "post"} <= set(paths["/api/v1/kpis"])
