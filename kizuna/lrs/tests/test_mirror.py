"""Kizuna's own statements are served by the LRS as the records app stores them, each once, per partner."""

import json
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from kizuna.lrs.mirror import own_statements_mirror, own_statements_mirror_all
from kizuna.records import vocab
from kizuna.records.services import Activity, statement_record, statement_to_xapi, statement_void

from .test_statements import a_statement

LESSON = Activity(iri="https://kizuna.example/lessons/7", type=vocab.TYPE_LESSON, name={"ja-JP": "値引きの断り方"})


def _own(rep):
    st, _created = statement_record(actor=rep, verb=vocab.EXPERIENCED, activity=LESSON)
    return st


def _later():
    return timezone.now() + timedelta(minutes=1)


def test_an_own_statement_is_served_exactly_as_stored_to_its_partner_and_the_principal(
    cast, principal_lrs, partner_a_lrs, partner_b_lrs
):
    st = _own(cast.rep_a1)
    assert own_statements_mirror_all(now=_later()) == 1
    for client in (principal_lrs, partner_a_lrs):
        response = client.get("/xapi/statements", {"statementId": str(st.id)})
        assert response.status_code == 200
        assert response.json() == json.loads(json.dumps(statement_to_xapi(st)))
    assert partner_b_lrs.get("/xapi/statements", {"statementId": str(st.id)}).status_code == 404
    agent = {"objectType": "Agent", "account": {"homePage": settings.SITE_URL, "name": str(cast.rep_a1.public_id)}}
    found = partner_a_lrs.get("/xapi/statements", {"agent": json.dumps(agent), "verb": vocab.EXPERIENCED.iri})
    assert [s["id"] for s in found.json()["statements"]] == [str(st.id)]
    assert partner_b_lrs.get("/xapi/statements", {"agent": json.dumps(agent)}).json()["statements"] == []


def test_each_statement_is_copied_once_and_one_sent_to_the_lrs_under_the_same_id_is_kept(cast, principal_lrs):
    sent = a_statement()
    [sent_id] = principal_lrs.post("/xapi/statements", sent).json()
    first = _own(cast.rep_a1)
    twin, _created = statement_record(
        actor=cast.rep_a2, verb=vocab.EXPERIENCED, activity=LESSON, statement_id=uuid.UUID(sent_id)
    )
    assert own_statements_mirror_all(now=_later()) == 1
    assert own_statements_mirror_all(now=_later()) == 0
    body = principal_lrs.get("/xapi/statements", {"statementId": sent_id}).json()
    assert body["actor"] == sent["actor"]  # what the other system sent stays as it sent it
    assert principal_lrs.get("/xapi/statements", {"statementId": str(first.id)}).status_code == 200
    assert twin.id


def test_a_statement_still_settling_waits_and_consistent_through_says_so(cast, principal_lrs):
    st = _own(cast.rep_a1)
    assert own_statements_mirror(now=timezone.now()) == 0  # stored less than the settling time ago
    response = principal_lrs.get("/xapi/statements")
    assert str(st.id) not in {s["id"] for s in response.json()["statements"]}
    through = response["X-Experience-API-Consistent-Through"]
    assert datetime.fromisoformat(through.replace("Z", "+00:00")) <= st.stored
    own_statements_mirror(now=_later())
    assert principal_lrs.get("/xapi/statements", {"statementId": str(st.id)}).status_code == 200


def test_a_voided_own_statement_is_voided_in_the_store_too(cast, principal_lrs):
    st = _own(cast.rep_a1)
    statement_void(actor=cast.rep_a1, statement_id=st.id)
    own_statements_mirror_all(now=_later())
    assert principal_lrs.get("/xapi/statements", {"statementId": str(st.id)}).status_code == 404
    assert principal_lrs.get("/xapi/statements", {"voidedStatementId": str(st.id)}).status_code == 200


def test_a_late_commit_behind_the_cursor_is_still_copied(cast, principal_lrs):
    late = _own(cast.rep_a1)
    ahead = _own(cast.rep_a2)
    # As if `late` had committed after a pass had copied `ahead`: the cursor is past it, the store lacks it.
    own_statements_mirror_all(now=_later())
    from kizuna.lrs.models import LrsStatement

    LrsStatement.objects.filter(statement_id=late.id).delete()
    assert own_statements_mirror_all(now=_later()) == 1
    assert principal_lrs.get("/xapi/statements", {"statementId": str(late.id)}).status_code == 200
    assert ahead.id
