"""Forwarding to an external LRS: every statement in scope arrives once, oldest first and in batches, after
outages and lost answers too; a partner's forwarder sends only that partner's statements; the settings page is
the principal admin's and never shows the secret back.

The external LRS is real HTTP: a small LRS on loopback in these tests (it keeps statements by id, as an LRS
does, and can be told to fail), and Kizuna's own /xapi/ served by a live server.
"""

import base64
import json
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from kizuna.audit.models import AuditEntry
from kizuna.lrs.forwarding import forward_all, forwarder_run, lrs_forwarder_create
from kizuna.lrs.mirror import own_statements_mirror_all
from kizuna.lrs.models import LrsForwarder, LrsForwardItem, LrsStatement
from kizuna.lrs.services import lrs_credential_create
from kizuna.records import vocab
from kizuna.records.services import Activity, statement_record

from .test_statements import a_statement

SECRET = "s3cret-of-the-company-lrs"  # noqa: S105 (a test password)


class ExternalLrs:
    """A minimal xAPI LRS over real HTTP: POST/PUT statements, each id kept once."""

    def __init__(self) -> None:
        self.statements: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, int]] = []  # (method, statements in the request)
        self.fail_next = 0  # answer this many requests with 503
        self.hang_up_next = 0  # store this many requests' statements, then close without answering
        self.refuse: set[str] = set()  # ids answered with 400
        self.auth = "Basic " + base64.b64encode(f"company:{SECRET}".encode()).decode()
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: Any = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Experience-API-Version", "1.0.3")
                self.end_headers()
                self.wfile.write(data)

            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                parts = urlsplit(self.path)
                if parts.path != "/xapi/statements":
                    return self._answer(404, {"message": "no such resource"})
                if self.headers.get("Authorization") != lrs.auth:
                    return self._answer(401, {"message": "who are you"})
                if self.headers.get("X-Experience-API-Version") != "1.0.3":
                    return self._answer(400, {"message": "version header"})
                if lrs.fail_next:
                    lrs.fail_next -= 1
                    return self._answer(503, {"message": "down for maintenance"})
                payload = json.loads(body)
                batch = payload if isinstance(payload, list) else [payload]
                lrs.requests.append((self.command, len(batch)))
                if self.command == "PUT":
                    assert parse_qs(parts.query)["statementId"] == [batch[0]["id"]]
                if any(st["id"] in lrs.refuse for st in batch):
                    return self._answer(400, {"message": "statement refused"})
                for st in batch:
                    lrs.statements.setdefault(st["id"], st)
                if lrs.hang_up_next:
                    lrs.hang_up_next -= 1
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return None
                if self.command == "PUT":
                    return self._answer(204)
                return self._answer(200, [st["id"] for st in batch])

            do_POST = _handle
            do_PUT = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def external() -> Iterator[ExternalLrs]:
    lrs = ExternalLrs()
    yield lrs
    lrs.close()


def _later(minutes: float = 1) -> Any:
    return timezone.now() + timedelta(minutes=minutes)


def _forwarder(external: ExternalLrs, **kwargs: Any) -> LrsForwarder:
    return lrs_forwarder_create(name="company LRS", endpoint=external.url, username="company", secret=SECRET, **kwargs)


def _post(client: Any, count: int, **changes: Any) -> list[str]:
    ids = []
    for _i in range(count):
        response = client.post("/xapi/statements", a_statement(id=str(uuid.uuid4()), **changes))
        assert response.status_code == 200
        ids += response.json()
    return ids


def test_it_sends_the_history_then_new_statements_oldest_first_in_batches_and_each_once(principal_lrs, external):
    before = _post(principal_lrs, 5)
    forwarder = _forwarder(external, batch_size=2)
    after = _post(principal_lrs, 3)
    assert forward_all(now=timezone.now()) == 0  # history's bound waits for writes already under way
    assert forward_all(now=_later()) == 8
    assert list(external.statements) == before + after
    assert external.requests == [("POST", 2)] * 4  # the history bound includes those stored since
    # Sent as stored here: authority, stored and all.
    sent = external.statements[before[0]]
    assert sent == LrsStatement.objects.get(statement_id=before[0]).data
    assert not LrsForwardItem.objects.exists()
    assert forward_all(now=_later(2)) == 0 and len(external.requests) == 4
    forwarder.refresh_from_db()
    assert forwarder.sent_count == 8 and forwarder.failures == 0 and forwarder.last_sent_at


def test_when_the_lrs_is_down_the_statements_wait_and_go_after_a_growing_wait(principal_lrs, external):
    forwarder = _forwarder(external)
    ids = _post(principal_lrs, 3)
    external.fail_next = 2
    first = _later()
    assert forwarder_run(forwarder_id=forwarder.pk, now=first) == 0
    forwarder.refresh_from_db()
    assert forwarder.failures == 1 and "503" in forwarder.last_error and forwarder.last_error_at == first
    assert forwarder.next_attempt_at == first + timedelta(seconds=30)
    assert forwarder_run(forwarder_id=forwarder.pk, now=first + timedelta(seconds=10)) == 0  # not yet
    assert forwarder_run(forwarder_id=forwarder.pk, now=first + timedelta(seconds=31)) == 0
    forwarder.refresh_from_db()
    assert forwarder.failures == 2 and forwarder.next_attempt_at == first + timedelta(seconds=31 + 60)
    assert external.statements == {}
    assert forwarder_run(forwarder_id=forwarder.pk, now=first + timedelta(seconds=92)) == 3
    assert list(external.statements) == ids
    forwarder.refresh_from_db()
    assert forwarder.failures == 0 and forwarder.next_attempt_at is None
    assert "503" in forwarder.last_error  # the last error stays visible, with its time


def test_a_batch_whose_answer_is_lost_is_sent_again_and_the_lrs_keeps_each_statement_once(principal_lrs, external):
    forwarder = _forwarder(external)
    ids = _post(principal_lrs, 4)
    external.hang_up_next = 1  # stored there, but the answer never arrives (as if the worker were killed)
    moment = _later()
    assert forwarder_run(forwarder_id=forwarder.pk, now=moment) == 0
    assert LrsForwardItem.objects.filter(forwarder=forwarder).count() == 4
    assert forwarder_run(forwarder_id=forwarder.pk, now=moment + timedelta(minutes=1)) == 4
    assert external.requests == [("POST", 4), ("POST", 4)]
    assert list(external.statements) == ids


def test_a_statement_the_lrs_refuses_is_counted_and_skipped_and_the_others_arrive(principal_lrs, external):
    forwarder = _forwarder(external)
    ids = _post(principal_lrs, 3)
    external.refuse = {ids[1]}
    assert forwarder_run(forwarder_id=forwarder.pk, now=_later()) == 2
    assert set(external.statements) == {ids[0], ids[2]}
    assert external.requests == [("POST", 3), ("PUT", 1), ("PUT", 1), ("PUT", 1)]
    forwarder.refresh_from_db()
    assert forwarder.refused_count == 1 and forwarder.sent_count == 2 and ids[1] in forwarder.last_error
    assert not LrsForwardItem.objects.exists()


def test_wrong_credentials_keep_everything_waiting(principal_lrs, external):
    forwarder = lrs_forwarder_create(name="x", endpoint=external.url, username="company", secret="wrong")
    _post(principal_lrs, 2)
    assert forwarder_run(forwarder_id=forwarder.pk, now=_later()) == 0
    forwarder.refresh_from_db()
    assert "401" in forwarder.last_error and forwarder.failures == 1
    assert LrsForwardItem.objects.filter(forwarder=forwarder).count() == 2


def test_a_paused_forwarder_collects_and_sends_once_resumed(principal_lrs, external):
    forwarder = _forwarder(external)
    LrsForwarder.objects.filter(pk=forwarder.pk).update(active=False)
    ids = _post(principal_lrs, 2)
    assert forward_all(now=_later()) == 0 and external.requests == []
    LrsForwarder.objects.filter(pk=forwarder.pk).update(active=True)
    assert forward_all(now=_later()) == 2 and list(external.statements) == ids


def test_a_partners_forwarder_sends_only_that_partners_statements_ours_and_received(
    cast, partner_a_lrs, partner_b_lrs, external
):
    lesson = Activity(iri="https://kizuna.example/lessons/9", type=vocab.TYPE_LESSON, name={"ja-JP": "商談"})
    a_sent = _post(partner_a_lrs, 2)
    b_sent = _post(partner_b_lrs, 2)
    own_a, _created = statement_record(actor=cast.rep_a1, verb=vocab.EXPERIENCED, activity=lesson)
    own_b, _created = statement_record(actor=cast.rep_b1, verb=vocab.EXPERIENCED, activity=lesson)
    _forwarder(external, partner_code="partner-a")
    everything = lrs_forwarder_create(
        name="all", endpoint=external.url.replace("/xapi/", "/other/"), username="company", secret=SECRET
    )
    own_statements_mirror_all(now=_later())
    forward_all(now=_later(2))
    assert set(external.statements) == {*a_sent, str(own_a.id)}
    assert not set(external.statements) & {*b_sent, str(own_b.id)}
    # The forwarder of every agency's statements is still trying (its address answers 404).
    everything.refresh_from_db()
    assert "404" in everything.last_error


@pytest.mark.django_db(transaction=True)
def test_kizunas_own_lrs_accepts_what_is_forwarded(live_server, cast):
    credential, secret = lrs_credential_create(name="receiver")
    sender = Client()
    auth = "Basic " + base64.b64encode(f"{credential.key}:{secret}".encode()).decode()
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3"}
    sent = sender.post(
        "/xapi/statements", [a_statement(), a_statement()], content_type="application/json", headers=headers
    )
    assert sent.status_code == 200
    forwarder = lrs_forwarder_create(
        name="ourselves", endpoint=f"{live_server.url}/xapi/", username=credential.key, secret=secret
    )
    assert forwarder_run(forwarder_id=forwarder.pk, now=_later()) == 2
    forwarder.refresh_from_db()
    assert forwarder.last_error == "" and forwarder.sent_count == 2
    # Kizuna's LRS recognised both by id: nothing was stored twice.
    assert LrsStatement.objects.count() == 2


# --- the settings page -------------------------------------------------------------------------------------


def test_the_principal_admin_sets_up_forwarding_and_the_secret_is_never_shown_back(cast, external):
    client = Client()
    client.force_login(cast.admin)
    response = client.post(
        "/settings/lrs/forwarding/",
        {
            "name": "会社の LRS",
            "endpoint": external.url,
            "username": "company",
            "secret": SECRET,
            "version": "1.0.3",
            "batch_size": "100",
            "partner": "partner-a",
        },
        follow=True,
    )
    assert response.status_code == 200
    forwarder = LrsForwarder.objects.get()
    assert forwarder.partner == cast.partner_a and forwarder.secret == SECRET
    page = response.content.decode()
    assert "会社の LRS" in page and SECRET not in page
    entry = AuditEntry.objects.get(action="lrs_forwarder.create")
    assert entry.after["endpoint"] == external.url and SECRET not in json.dumps(entry.after)
    # Saving without a secret keeps the saved one; pausing is recorded in the trail.
    response = client.post(
        f"/settings/lrs/forwarding/{forwarder.pk}/",
        {
            "name": "会社の LRS",
            "endpoint": external.url,
            "username": "company",
            "secret": "",
            "version": "1.0.3",
            "batch_size": "50",
        },
        follow=True,
    )
    forwarder.refresh_from_db()
    assert forwarder.secret == SECRET and forwarder.batch_size == 50 and not forwarder.active
    assert SECRET not in response.content.decode()
    entry = AuditEntry.objects.get(action="lrs_forwarder.update")
    assert entry.after == {"batch_size": 50, "active": False} and entry.before == {"batch_size": 100, "active": True}
    client.post(f"/settings/lrs/forwarding/{forwarder.pk}/delete/")
    assert not LrsForwarder.objects.exists()
    assert AuditEntry.objects.filter(action="lrs_forwarder.delete").exists()


def test_it_refuses_a_bad_address_with_a_message_and_saves_nothing(cast):
    client = Client()
    client.force_login(cast.admin)
    response = client.post(
        "/settings/lrs/forwarding/",
        {
            "name": "x",
            "endpoint": "ftp://lrs.example/",
            "username": "u",
            "secret": "p",
            "version": "1.0.3",
            "batch_size": "100",
        },
    )
    assert response.status_code == 200 and not LrsForwarder.objects.exists()
    assert response.context["form"].errors


def test_only_the_principal_admin_reaches_the_forwarding_pages(cast, external):
    forwarder = _forwarder(external)
    for person in (cast.author, cast.coach, cast.manager_a, cast.rep_a1):
        client = Client()
        client.force_login(person)
        assert client.get("/settings/lrs/forwarding/").status_code == 404
        assert client.get(f"/settings/lrs/forwarding/{forwarder.pk}/").status_code == 404
        assert client.post(f"/settings/lrs/forwarding/{forwarder.pk}/delete/").status_code == 404
    assert LrsForwarder.objects.exists()


def test_the_page_shows_how_it_goes_and_the_last_error(cast, principal_lrs, external):
    forwarder = _forwarder(external)
    _post(principal_lrs, 2)
    external.fail_next = 1
    forwarder_run(forwarder_id=forwarder.pk, now=_later())
    client = Client()
    client.force_login(cast.admin)
    page = client.get(f"/settings/lrs/forwarding/{forwarder.pk}/").content.decode()
    assert "down for maintenance" in page and "503" in page
    listing = client.get("/settings/lrs/forwarding/").content.decode()
    assert "company LRS" in listing and SECRET not in listing
