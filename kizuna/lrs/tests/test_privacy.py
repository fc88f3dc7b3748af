"""What other systems sent about a person is part of their data: in their export, and anonymized when erased."""

import io
import json
import zipfile
from typing import Any

from django.conf import settings

from kizuna.privacy.exports import export_write
from kizuna.privacy.services import person_erase

from .test_statements import a_statement

DOC = "/xapi/activities/state"


def _about(rep: Any, principal_lrs: Any) -> dict[str, Any]:
    """Three statements naming the rep (by e-mail as another system spells it, by account, as instructor) and one not."""
    mbox = {"objectType": "Agent", "name": "田中 花子", "mbox": "mailto:" + rep.email.upper()}
    account = {"objectType": "Agent", "account": {"homePage": settings.SITE_URL, "name": str(rep.public_id)}}
    bodies = [
        a_statement(actor=mbox),
        a_statement(actor=account),
        a_statement(context={"instructor": mbox}),
        a_statement(),
    ]
    ids = [principal_lrs.post("/xapi/statements", body).json()[0] for body in bodies]
    state = {"activityId": "http://example.com/activities/1", "agent": json.dumps(mbox), "stateId": "bookmark"}
    assert principal_lrs.put(DOC + "?" + "&".join(f"{k}={v}" for k, v in state.items()), {"page": 3}).status_code == 204
    return {"ids": ids, "mbox": mbox, "state": state}


def _agent_query(principal_lrs: Any, agent: dict[str, Any], **params: str) -> set[str]:
    found = principal_lrs.get("/xapi/statements", {"agent": json.dumps(agent), **params}).json()["statements"]
    return {st["id"] for st in found}


def test_the_persons_export_holds_the_statements_that_name_them(cast, principal_lrs):
    sent = _about(cast.rep_a1, principal_lrs)
    out = io.BytesIO()
    export_write(user=cast.rep_a1, out=out)
    with zipfile.ZipFile(out) as zf:
        exported = json.loads(zf.read("lrs_statements.xapi.json"))
    assert {st["id"] for st in exported} == set(sent["ids"][:3])


def test_erasing_a_person_anonymizes_them_in_every_statement_and_deletes_their_documents(cast, principal_lrs):
    rep = cast.rep_a1
    sent = _about(rep, principal_lrs)
    opaque = {"objectType": "Agent", "account": {"homePage": settings.SITE_URL, "name": str(rep.public_id)}}
    email = rep.email
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    person_erase(person=rep, by=cast.admin, reason="本人からの依頼", confirmation=email)

    assert _agent_query(principal_lrs, sent["mbox"], related_agents="true") == set()
    assert _agent_query(principal_lrs, opaque, related_agents="true") == set(sent["ids"][:3])
    assert _agent_query(principal_lrs, opaque) == set(sent["ids"][:2])  # the instructor is a related agent only
    everything = json.dumps(principal_lrs.get("/xapi/statements").json(), ensure_ascii=False)
    assert email.lower() not in everything.lower() and "田中 花子" not in everything
    assert "ext@example.com" in everything  # someone else's statement is untouched
    state = "&".join(f"{k}={v}" for k, v in sent["state"].items())
    assert principal_lrs.get(DOC + "?" + state).status_code == 404
