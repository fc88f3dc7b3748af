"""Answers match the OpenAPI document: the schemas it names are the ones the endpoints return."""

from django.test import Client

from kizuna.kpis import services as kpis


def _figure(cast):
    row = {"rep_email": cast.rep_a1.email, "month": "2026-09", "calls": 10, "appointments": 2, "deals": 1}
    kpis.sales_figures_upsert(rows=[(0, {**row, "revenue": 5})], by=cast.admin, source="api")


def test_the_kpi_list_gives_each_reps_public_id(cast, api_as):
    _figure(cast)
    item = api_as(cast.admin).get("/kpis").json()["items"][0]
    assert item["rep"]["public_id"] == str(cast.rep_a1.public_id)


def test_the_kpi_lists_rep_schema_is_its_own_not_the_entitlements_one(db):
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(schemas["SalesRepRef"]["required"]) == {"id", "public_id", "name", "email"}
    assert "partner_id" in schemas["RepRef"]["properties"]  # the entitlements' rep keeps its name
