"""Webhooks are signed, retried with back-off while the receiver is down, and can be sent again from the log."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from kizuna.certification import webhooks
from kizuna.certification.errors import CertificationError
from kizuna.certification.models import WebhookDelivery

from .helpers import finish_course, product_certification


class Receiver:
    """A sales system on loopback that records what it receives; `up` False answers 503."""

    def __init__(self) -> None:
        self.up = True
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.up:
                    receiver.received.append((dict(self.headers), body))
                self.send_response(204 if receiver.up else 503)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/kizuna"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _certify(cast, course, django_capture_on_commit_callbacks):
    product_certification(cast, course)
    with django_capture_on_commit_callbacks(execute=True):
        finish_course(cast.rep_a1, course)


def test_a_grant_is_delivered_signed_with_an_idempotency_key(
    cast, article_course, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = webhooks.webhook_endpoint_create(
        url=receiver.url, events=["entitlement.granted"], created_by=cast.admin
    )
    _certify(cast, article_course, django_capture_on_commit_callbacks)
    ((headers, body),) = receiver.received
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Kizuna-Signature"] == expected
    event = json.loads(body)
    assert event["type"] == "entitlement.granted"
    assert event["data"]["entitlement"]["code"] == "sell-cloud-pro"
    assert event["data"]["rep"]["email"] == "rep1@partner-a.example"
    assert headers["Idempotency-Key"] == event["id"] == headers["X-Kizuna-Event-Id"]
    assert abs(int(headers["X-Kizuna-Timestamp"]) - timezone.now().timestamp()) < 60
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 1


def test_a_receiver_down_for_an_hour_gets_the_event_when_it_comes_back(
    cast, article_course, receiver, django_capture_on_commit_callbacks
):
    webhooks.webhook_endpoint_create(url=receiver.url, events=["entitlement.granted"], created_by=cast.admin)
    receiver.up = False
    _certify(cast, article_course, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 1
    start = timezone.now()
    waits = []
    clock = start
    # The sweep runs every five minutes; the receiver stays down for an hour.
    while clock < start + timedelta(hours=1):
        clock += timedelta(minutes=5)
        if webhooks.webhook_deliveries_due(now=clock):
            delivery.refresh_from_db()
            waits.append(delivery.next_attempt_at - clock)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert waits == sorted(waits) and waits[-1] > waits[0]  # exponential back-off
    assert receiver.received == []
    receiver.up = True
    clock = delivery.next_attempt_at
    assert webhooks.webhook_deliveries_due(now=clock) == 1
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert len(receiver.received) == 1
    assert webhooks.webhook_deliveries_due(now=clock + timedelta(days=1)) == 0


def test_replay_sends_the_same_event_again(
    cast, article_course, receiver, django_capture_on_commit_callbacks, signed_in
):
    endpoint, _secret = webhooks.webhook_endpoint_create(
        url=receiver.url, events=list(webhooks.WebhookEndpoint.EVENTS), created_by=cast.admin
    )
    _certify(cast, article_course, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    client = signed_in(cast.admin)
    page = client.get(f"/settings/webhooks/{endpoint.pk}/")
    assert page.status_code == 200 and str(delivery.event_id) in page.content.decode()
    response = client.post(f"/settings/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/replay/")
    assert response.status_code == 302
    assert len(receiver.received) == 2
    assert receiver.received[0][1] == receiver.received[1][1]
    assert receiver.received[0][0]["Idempotency-Key"] == receiver.received[1][0]["Idempotency-Key"]
    assert delivery.attempt_log.count() == 2


def test_only_http_urls_are_accepted_and_the_secret_is_shown_once(cast, signed_in):
    with pytest.raises(CertificationError):
        webhooks.webhook_endpoint_create(
            url="file:///etc/passwd", events=["entitlement.granted"], created_by=cast.admin
        )
    client = signed_in(cast.admin)
    response = client.post(
        "/settings/webhooks/", {"url": "https://crm.example/hook", "events": ["entitlement.expired"]}
    )
    assert "whsec_" in response.content.decode()
    assert "whsec_" not in client.get("/settings/webhooks/").content.decode()


def test_webhook_pages_refuse_everyone_but_the_admin(cast, signed_in, receiver):
    endpoint, _secret = webhooks.webhook_endpoint_create(
        url=receiver.url, events=["entitlement.granted"], created_by=cast.admin
    )
    for person in (cast.manager_a, cast.manager_b, cast.rep_a1, cast.coach, cast.author):
        client = signed_in(person)
        assert client.get("/settings/webhooks/").status_code == 404
        assert client.get(f"/settings/webhooks/{endpoint.pk}/").status_code == 404


def test_a_failed_attempt_enqueues_its_retry_for_later_on_a_backend_that_can_defer(
    cast, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    from kizuna.certification.models import WebhookDelivery as Delivery

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    endpoint, _secret = webhooks.webhook_endpoint_create(
        url="http://127.0.0.1:9/down", events=["entitlement.granted"], created_by=cast.admin
    )
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event_id=cast.rep_a1.public_id,
        event_type="entitlement.granted",
        body="{}",
        created_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.webhook_delivery_attempt(delivery=delivery)
    delivery.refresh_from_db()
    (result,) = default_task_backend.results
    assert result.task.run_after == delivery.next_attempt_at
    assert timedelta(seconds=25) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=30)
