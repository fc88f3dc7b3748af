"""GET /api/v1/entitlements answers what a rep or an agency may do now, only to those who may see them."""

from django.test import Client

from kizuna.api.services import api_token_create

from .helpers import finish_course, product_certification


def _get(cast, user, **params):
    _token, raw = api_token_create(user=user, name="sales", created_by=cast.admin)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/entitlements", params)


def test_a_certified_rep_may_sell_and_an_uncertified_one_may_not(cast, article_course):
    product_certification(cast, article_course)
    finish_course(cast.rep_a1, article_course)
    body = _get(cast, cast.admin, rep=str(cast.rep_a1.public_id)).json()
    assert [e["code"] for e in body["entitlements"]] == ["sell-cloud-pro"]
    assert body["entitlements"][0]["certification"]["slug"] == "cloud-pro"
    assert body["entitlements"][0]["expires_at"] is not None
    assert _get(cast, cast.admin, rep="rep2@partner-a.example").json()["entitlements"] == []


def test_a_partner_manager_sees_their_agency(cast, article_course):
    product_certification(cast, article_course)
    finish_course(cast.rep_a1, article_course)
    response = _get(cast, cast.manager_a, partner=cast.partner_a.pk)
    assert response.status_code == 200
    items = {i["rep"]["email"]: [e["code"] for e in i["entitlements"]] for i in response.json()["items"]}
    assert items == {"rep1@partner-a.example": ["sell-cloud-pro"], "rep2@partner-a.example": []}


def test_it_refuses_partner_b_manager(cast, article_course):
    product_certification(cast, article_course)
    finish_course(cast.rep_a1, article_course)
    assert _get(cast, cast.manager_b, partner=cast.partner_a.pk).status_code == 404
    assert _get(cast, cast.manager_b, rep=cast.rep_a1.email).status_code == 404
    assert _get(cast, cast.rep_b1, rep=cast.rep_a1.email).status_code == 404
    assert _get(cast, cast.rep_a2, partner=cast.partner_a.pk).status_code == 404


def test_a_rep_sees_their_own_and_a_question_without_rep_or_partner_is_refused(cast, article_course):
    assert _get(cast, cast.rep_a1, rep=cast.rep_a1.email).json()["entitlements"] == []
    response = _get(cast, cast.admin)
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert Client().get("/api/v1/entitlements", {"rep": cast.rep_a1.email}).status_code == 401
