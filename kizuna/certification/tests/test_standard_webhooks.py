"""Deliveries follow the Standard Webhooks specification: the reference library verifies them, a captured
delivery re-sent with a new timestamp does not verify, and secrets rotate without a gap."""

import base64
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from kizuna.certification import webhooks
from kizuna.certification.models import WebhookDelivery

from .test_webhooks import _certify, receiver  # noqa: F401 (the fixture)


def _lower(received):
    """The received requests with header names in lower case (HTTP header names are case-insensitive)."""
    return [({name.lower(): value for name, value in headers.items()}, body) for headers, body in received]


@pytest.fixture
def delivered(cast, article_course, receiver, django_capture_on_commit_callbacks):  # noqa: F811
    """An endpoint for every event, one grant delivered to it; returns (endpoint, secret, receiver)."""
    endpoint, secret = webhooks.webhook_endpoint_create(
        url=receiver.url, events=list(webhooks.WebhookEndpoint.EVENTS), created_by=cast.admin
    )
    _certify(cast, article_course, django_capture_on_commit_callbacks)
    return endpoint, secret, receiver


def test_a_new_secret_is_whsec_and_32_random_bytes_in_base64(cast):
    _endpoint, secret = webhooks.webhook_endpoint_create(
        url="https://crm.example/hooks", events=["entitlement.granted"], created_by=cast.admin
    )
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32


def test_the_standard_webhooks_library_verifies_a_delivery(delivered):
    _endpoint, secret, hooks = delivered
    ((headers, body),) = _lower(hooks.received)
    event = Webhook(secret).verify(body, headers)
    assert event["type"] == "entitlement.granted"
    assert headers["webhook-id"] == event["id"]
    assert re.fullmatch(r"v1,[A-Za-z0-9+/]+=*", headers["webhook-signature"])


def test_a_captured_delivery_resent_with_a_fresh_timestamp_fails_verification(delivered):
    _endpoint, secret, hooks = delivered
    ((headers, body),) = _lower(hooks.received)
    replayed = {**headers, "webhook-timestamp": str(int(timezone.now().timestamp()) + 60)}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, replayed)


def test_a_changed_body_fails_verification(delivered):
    _endpoint, secret, hooks = delivered
    ((headers, body),) = _lower(hooks.received)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace(b"granted", b"revoked"), headers)


def test_the_deprecated_body_signature_header_is_still_sent(delivered):
    _endpoint, secret, hooks = delivered
    ((headers, body),) = _lower(hooks.received)
    assert headers["x-kizuna-signature"] == webhooks.webhook_signature(secret, body)
    assert headers["x-kizuna-timestamp"] == headers["webhook-timestamp"]


def test_a_replay_sends_the_same_webhook_id_with_a_new_valid_signature(delivered):
    _endpoint, secret, hooks = delivered
    delivery = WebhookDelivery.objects.get()
    webhooks.webhook_delivery_replay(delivery=delivery, now=timezone.now() + timedelta(seconds=5))
    (first_headers, first_body), (again_headers, again_body) = _lower(hooks.received)
    assert again_headers["webhook-id"] == first_headers["webhook-id"] == str(delivery.event_id)
    assert again_headers["webhook-timestamp"] != first_headers["webhook-timestamp"]
    assert Webhook(secret).verify(again_body, again_headers)["id"] == str(delivery.event_id)


def test_after_a_rotation_both_secrets_verify_until_the_old_one_is_retired(delivered):
    endpoint, old_secret, hooks = delivered
    new_secret = webhooks.webhook_secret_rotate(endpoint=endpoint)
    assert new_secret != old_secret
    webhooks.webhook_delivery_replay(delivery=WebhookDelivery.objects.get())
    headers, body = _lower(hooks.received)[-1]
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(new_secret).verify(body, headers)
    Webhook(old_secret).verify(body, headers)

    webhooks.webhook_secret_retire(endpoint=endpoint)
    webhooks.webhook_delivery_replay(delivery=WebhookDelivery.objects.get())
    headers, body = _lower(hooks.received)[-1]
    Webhook(new_secret).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old_secret).verify(body, headers)


def test_the_admin_rotates_and_retires_the_secret_on_the_settings_page(cast, signed_in):
    endpoint, old_secret = webhooks.webhook_endpoint_create(
        url="https://crm.example/hooks", events=["entitlement.granted"], created_by=cast.admin
    )
    client = signed_in(cast.admin)
    page = client.post(f"/settings/webhooks/{endpoint.pk}/secret/rotate/").content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret in page and endpoint.previous_secret == old_secret
    assert "古いシークレットを無効にする" in page
    assert endpoint.secret not in client.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()

    response = client.post(f"/settings/webhooks/{endpoint.pk}/secret/retire/")
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.previous_secret == ""


def test_a_second_rotation_before_retiring_is_refused_and_keeps_both_secrets(cast, signed_in):
    endpoint, old_secret = webhooks.webhook_endpoint_create(
        url="https://crm.example/hooks", events=["entitlement.granted"], created_by=cast.admin
    )
    client = signed_in(cast.admin)
    client.post(f"/settings/webhooks/{endpoint.pk}/secret/rotate/")
    endpoint.refresh_from_db()
    new_secret = endpoint.secret
    response = client.post(f"/settings/webhooks/{endpoint.pk}/secret/rotate/", follow=True)
    assert "作成する前に、古いシークレットを無効にしてください" in response.content.decode()
    endpoint.refresh_from_db()
    assert (endpoint.secret, endpoint.previous_secret) == (new_secret, old_secret)


@pytest.mark.parametrize("action", ["rotate", "retire"])
def test_only_the_admin_may_rotate_or_retire(cast, signed_in, action):
    endpoint, secret = webhooks.webhook_endpoint_create(
        url="https://crm.example/hooks", events=["entitlement.granted"], created_by=cast.admin
    )
    for person in (cast.coach, cast.manager_a, cast.rep_a1):
        assert signed_in(person).post(f"/settings/webhooks/{endpoint.pk}/secret/{action}/").status_code in (403, 404)
    endpoint.refresh_from_db()
    assert endpoint.secret == secret
