"""The field voice API: a rep records an entry once per id; each person lists only what they may see."""

import uuid

from kizuna.catalog import services as catalog
from kizuna.feedback.models import FieldVoice

from .conftest import record_voice


def _post(client, body):
    return client.post("/api/v1/field-voice", body, content_type="application/json")


def test_a_rep_records_field_voice_once_per_id(cast, client):
    catalog.product_create(name="クラウド会計", slug="cloud-accounting")
    client.force_login(cast.rep_a1)
    body = {"id": str(uuid.uuid4()), "kind": "objection", "text": "他社より高い", "product": "cloud-accounting"}
    first = _post(client, body)
    assert first.status_code == 201 and first.json()["product"] == "cloud-accounting"
    assert _post(client, body).json()["id"] == first.json()["id"]
    assert FieldVoice.objects.count() == 1


def test_bad_input_is_a_problem_document_and_nothing_is_stored(cast, client):
    client.force_login(cast.rep_a1)
    response = _post(client, {"id": str(uuid.uuid4()), "kind": "question", "text": "  "})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    response = _post(client, {"id": str(uuid.uuid4()), "kind": "question", "text": "x", "product": "nothing"})
    assert response.status_code == 422
    assert not FieldVoice.objects.exists()


def test_only_reps_record(cast, client):
    client.force_login(cast.manager_a)
    assert _post(client, {"id": str(uuid.uuid4()), "kind": "question", "text": "x"}).status_code == 403


def test_the_list_is_scoped_to_the_caller(cast, client):
    record_voice(cast.rep_a1, "A1の声")
    record_voice(cast.rep_a2, "A2の声")
    record_voice(cast.rep_b1, "Bの声")

    def texts(user):
        client.force_login(user)
        return {item["text"] for item in client.get("/api/v1/field-voice").json()["items"]}

    assert texts(cast.rep_a1) == {"A1の声"}
    assert texts(cast.manager_a) == {"A1の声", "A2の声"}
    assert texts(cast.manager_b) == {"Bの声"}
    assert texts(cast.coach) == {"A1の声", "A2の声", "Bの声"}
