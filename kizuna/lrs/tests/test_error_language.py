"""The LRS's refusals are written for the integrator in their language: Accept-Language ja or en (Japanese by
default, as every page), the JSON path of the fault untranslated, the status as the specification demands."""

from django.test import Client

from .test_statements import a_statement


def test_a_refusal_speaks_the_language_the_request_accepts(principal_lrs):
    body = a_statement(result={"score": {"scaled": 2}})
    english = principal_lrs.post("/xapi/statements", body, **{"Accept-Language": "en"})
    japanese = principal_lrs.post("/xapi/statements", body, **{"Accept-Language": "ja-JP,ja;q=0.9"})
    assert english.status_code == japanese.status_code == 400
    assert english.json()["message"] == "statement.result.score.scaled: must be between -1 and 1"
    assert japanese.json()["message"] == "statement.result.score.scaled: -1 から 1 の間にしてください"


def test_parameters_and_authentication_are_refused_in_the_requesters_language(principal_lrs):
    wrong = principal_lrs.get("/xapi/statements", {"colour": "blue"}, **{"Accept-Language": "en"})
    assert wrong.status_code == 400 and wrong.json()["message"] == "Unknown parameters: colour."
    wrong = principal_lrs.get("/xapi/statements", {"colour": "blue"}, **{"Accept-Language": "ja"})
    assert wrong.json()["message"] == "不明なパラメーター: colour。"
    anonymous = Client().get("/xapi/statements", headers={"X-Experience-API-Version": "1.0.3", "Accept-Language": "ja"})
    assert anonymous.status_code == 401
    assert anonymous.json()["message"] == "HTTP Basic(LRS 認証情報のキーとシークレット)で認証してください。"
    missing = principal_lrs.get("/xapi/statements", {"statementId": "3"}, **{"Accept-Language": "en"})
    assert missing.json()["message"] == "The statementId parameter must be a UUID."


def test_without_accept_language_the_refusal_is_in_japanese(principal_lrs):
    response = principal_lrs.post("/xapi/statements", a_statement(result=None))
    assert response.status_code == 400
    assert response.json()["message"].endswith("null にはできません")
