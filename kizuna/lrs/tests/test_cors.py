"""Content on another site (a cmi5 AU hosted elsewhere, an authoring tool's package) calls the LRS from the browser."""

import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kizuna.lrs.services import lrs_credential_create

from .conftest import LrsClient


def test_a_preflight_is_answered_without_credentials_and_names_what_the_spec_sends(client):
    response = client.options(
        "/xapi/statements",
        headers={
            "Origin": "https://content.example",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization,content-type,x-experience-api-version",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert {"GET", "PUT", "POST", "HEAD"} <= set(response["Access-Control-Allow-Methods"].split(", "))
    allowed = {h.lower() for h in response["Access-Control-Allow-Headers"].split(", ")}
    assert {"authorization", "content-type", "x-experience-api-version"} <= allowed
    # Cookies are never what authenticates here, so they are never asked for.
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.django_db
def test_answers_and_refusals_alike_may_be_read_by_a_page_elsewhere(cast):
    credential, secret = lrs_credential_create(name="company LRS")
    lrs = LrsClient(credential.key, secret)
    assert lrs.get("/xapi/statements", {"limit": "1"})["Access-Control-Allow-Origin"] == "*"
    refused = LrsClient(credential.key, "wrong").get("/xapi/statements")
    assert refused.status_code == 401
    assert refused["Access-Control-Allow-Origin"] == "*"


class _OtherSite:
    """A page on another origin (its own port on 127.0.0.1), as a hosted AU would be."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                body = b"<!doctype html><title>AU</title><p>elsewhere</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_page_on_another_site_stores_and_reads_a_statement_in_chromium(cast, live_server, phone):
    credential, secret = lrs_credential_create(name="hosted course")
    other = _OtherSite()
    try:
        phone.goto(other.url)
        statement_id = str(uuid.uuid4())
        result = phone.evaluate(
            """async ([endpoint, key, secret, id]) => {
                const headers = {
                    "Authorization": "Basic " + btoa(key + ":" + secret),
                    "X-Experience-API-Version": "1.0.3",
                    "Content-Type": "application/json",
                };
                const statement = {
                    id,
                    actor: {mbox: "mailto:learner@content.example", name: "Learner"},
                    verb: {id: "http://adlnet.gov/expapi/verbs/experienced", display: {"en-US": "experienced"}},
                    object: {id: "https://content.example/courses/1"},
                };
                const put = await fetch(endpoint + "statements?statementId=" + id,
                    {method: "PUT", headers, body: JSON.stringify(statement)});
                const get = await fetch(endpoint + "statements?statementId=" + id, {headers});
                return {
                    put: put.status,
                    get: get.status,
                    version: get.headers.get("X-Experience-API-Version"),
                    stored: (await get.json()).id,
                };
            }""",
            [f"{live_server.url}/xapi/", credential.key, secret, statement_id],
        )
    finally:
        other.close()
    assert result == {"put": 204, "get": 200, "version": "1.0.3", "stored": statement_id}
