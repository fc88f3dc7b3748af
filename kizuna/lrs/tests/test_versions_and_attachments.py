"""xAPI 2.0 where the version header asks for it, and statements with attachments in multipart/mixed."""

import hashlib
import json
import uuid

from kizuna.lrs.tests.test_statements import a_statement

CONTEXT_AGENTS = {
    "contextAgents": [
        {
            "objectType": "contextAgent",
            "agent": {"mbox": "mailto:coach@example.com"},
            "relevantTypes": ["http://example.com/types/coach"],
        }
    ]
}


def test_context_agents_are_accepted_in_2_0_only(principal_lrs):
    assert principal_lrs.post("/xapi/statements", a_statement(context=CONTEXT_AGENTS)).status_code == 400
    principal_lrs.version = "2.0.0"
    response = principal_lrs.post("/xapi/statements", a_statement(context=CONTEXT_AGENTS))
    assert response.status_code == 200
    assert response["X-Experience-API-Version"] == "2.0.0"
    [sid] = response.json()
    assert principal_lrs.get("/xapi/statements", {"statementId": sid}).json()["version"] == "2.0.0"
    coach = json.dumps({"mbox": "mailto:coach@example.com"})
    found = principal_lrs.get("/xapi/statements", {"agent": coach, "related_agents": "true"}).json()
    assert [s["id"] for s in found["statements"]] == [sid]


def test_a_request_without_a_version_is_refused_in_the_version_the_integration_last_spoke(principal_lrs):
    principal_lrs.version = "7.0"
    response = principal_lrs.get("/xapi/statements")
    assert response.status_code == 400 and response["X-Experience-API-Version"] == "2.0.0"  # new: the newest
    principal_lrs.version = "1.0.3"
    assert principal_lrs.get("/xapi/statements").status_code == 200
    principal_lrs.version = "7.0"
    assert principal_lrs.get("/xapi/statements")["X-Experience-API-Version"] == "1.0.3"


def test_in_2_0_an_existing_state_is_not_overwritten_blindly(principal_lrs):
    principal_lrs.version = "2.0.0"
    url = '/xapi/activities/state?activityId=http://example.com/a&agent={"mbox":"mailto:a@example.com"}&stateId=s'
    assert principal_lrs.put(url, {"v": 1}).status_code == 204
    assert principal_lrs.put(url, {"v": 2}).status_code == 409
    etag = principal_lrs.get(url)["ETag"]
    assert principal_lrs.put(url, {"v": 2}, **{"If-Match": etag}).status_code == 204


def _multipart(statement: dict, content: bytes, sha2: str) -> tuple[bytes, str]:
    boundary = "kizunaboundary"
    body = (
        (
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n{json.dumps(statement)}\r\n"
            f"--{boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {sha2}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f'multipart/mixed; boundary="{boundary}"'


def test_an_attachment_is_stored_checked_by_its_sha2_and_returned(principal_lrs):
    content = "研修の記録".encode()
    sha2 = hashlib.sha256(content).hexdigest()
    attachment = {
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A note"},
        "contentType": "text/plain",
        "length": len(content),
        "sha2": sha2,
    }
    statement = a_statement(id=str(uuid.uuid4()), attachments=[attachment])
    # Declared but not sent: refused.
    assert principal_lrs.post("/xapi/statements", statement).status_code == 400
    body, content_type = _multipart(statement, content + b"x", sha2)
    assert principal_lrs.post("/xapi/statements", body, content_type=content_type).status_code == 400
    body, content_type = _multipart(statement, content, sha2)
    assert principal_lrs.post("/xapi/statements", body, content_type=content_type).status_code == 200
    response = principal_lrs.get("/xapi/statements", {"statementId": statement["id"], "attachments": "true"})
    assert response["Content-Type"].startswith("multipart/mixed")
    assert content in response.content and sha2.encode() in response.content
