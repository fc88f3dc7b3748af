"""Web Push: a rep subscribes a phone, and what they switched on reaches it signed (VAPID) and encrypted
(RFC 8291), in their language, outside their quiet hours; a gone phone is forgotten."""

import json
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils.translation import gettext_noop

from kizuna.notifications.models import PushPreferences, PushSubscription
from kizuna.notifications.push import vapid, vapid_public_key
from kizuna.notifications.push_services import push_deliver, push_preferences_set, push_subscription_save
from kizuna.notifications.services import notification_send

from .push_receiver import PushReceiver, b64url

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def subscribe(client: Client, endpoint: str, p256dh: str, auth: str) -> Any:
    body = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
    return client.post("/notifications/push/subscribe/", json.dumps(body), content_type="application/json")


def review_received(recipient: Any, pk: int = 1) -> None:
    notification_send(
        recipient=recipient,
        kind="coaching.review_received",
        title=gettext_noop("%(reviewer)s reviewed your roleplay"),
        params={"reviewer": "中村 大輔"},
        url="/roleplay/",
        email=False,
        dedupe_key=f"review:{pk}",
    )


@pytest.fixture
def rep_phone(cast: Any, push_receiver: PushReceiver, client: Client) -> Any:
    endpoint, browser = push_receiver.new_browser("rep-a1")
    client.force_login(cast.rep_a1)
    assert subscribe(client, endpoint, browser.p256dh, b64url(browser.auth)).status_code == 201
    return endpoint


def test_a_subscribed_rep_gets_a_signed_encrypted_push_in_their_language(
    cast: Any, push_receiver: PushReceiver, rep_phone: str, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    cast.rep_a1.language = "en"
    cast.rep_a1.save()
    with django_capture_on_commit_callbacks(execute=True):
        review_received(cast.rep_a1)
    assert push_receiver.errors == []
    [delivery] = push_receiver.deliveries
    assert delivery.message == {
        "title": "中村 大輔 reviewed your roleplay",
        "body": "",
        "url": "/roleplay/",
        "tag": "review:1",
        "lang": "en",
    }
    assert delivery.vapid_key == vapid_public_key()  # signed with this deployment's key
    assert delivery.claims["sub"] == settings.WEBPUSH_CONTACT
    assert PushSubscription.objects.get(endpoint=rep_phone).last_sent_at is not None


def test_a_japanese_rep_gets_it_in_japanese(
    cast: Any, push_receiver: PushReceiver, rep_phone: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review_received(cast.rep_a1)
    assert push_receiver.errors == []
    assert push_receiver.deliveries[0].message["title"] == "中村 大輔さんがあなたのロープレをレビューしました"
    assert push_receiver.deliveries[0].message["lang"] == "ja"


def test_kinds_not_registered_for_the_phone_are_not_pushed(
    cast: Any, push_receiver: PushReceiver, rep_phone: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=cast.rep_a1, kind="gamification.kudos", title=gettext_noop("Notifications"))
    assert push_receiver.deliveries == []


def test_a_kind_the_rep_switched_off_is_not_pushed(
    cast: Any, push_receiver: PushReceiver, rep_phone: str, django_capture_on_commit_callbacks: Any
) -> None:
    push_preferences_set(user=cast.rep_a1, switched_on={"community", "review"}, quiet_start=None, quiet_end=None)
    with django_capture_on_commit_callbacks(execute=True):
        review_received(cast.rep_a1)
    assert push_receiver.deliveries == []


def test_in_quiet_hours_the_push_waits_for_their_end(
    cast: Any, push_receiver: PushReceiver, rep_phone: str, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    push_preferences_set(user=cast.rep_a1, switched_on={"coaching"}, quiet_start=time(22, 0), quiet_end=time(7, 0))
    message = {"kind": "coaching.review_received", "title": "Notifications", "body": "", "params": {}, "url": "/"}
    message["tag"] = "t"
    assert (
        push_deliver(recipient=cast.rep_a1, message=message, now=datetime(2026, 3, 2, 23, 30, tzinfo=TOKYO)) == "held"
    )
    assert push_receiver.deliveries == []
    held = DBTaskResult.objects.get(task_path__endswith="push_task")
    assert held.run_after == datetime(2026, 3, 3, 7, 0, tzinfo=TOKYO)
    # After the quiet hours it goes out.
    assert push_deliver(recipient=cast.rep_a1, message=message, now=datetime(2026, 3, 3, 7, 0, tzinfo=TOKYO)) == "sent"
    assert len(push_receiver.deliveries) == 1


@pytest.mark.parametrize(
    ("start", "end", "hour", "quiet"),
    [
        (22, 7, 23, True),
        (22, 7, 6, True),
        (22, 7, 7, False),
        (22, 7, 12, False),
        (12, 13, 12, True),
        (12, 13, 11, False),
    ],
)
def test_quiet_hours_wrap_midnight(cast: Any, start: int, end: int, hour: int, quiet: bool) -> None:
    from kizuna.notifications.push import quiet_until

    preferences = PushPreferences(user=cast.rep_a1, quiet_start=time(start), quiet_end=time(end))
    assert (quiet_until(preferences, datetime(2026, 3, 2, hour, 0, tzinfo=TOKYO)) is not None) is quiet


def test_a_phone_the_push_service_says_is_gone_is_forgotten(
    cast: Any, push_receiver: PushReceiver, rep_phone: str, django_capture_on_commit_callbacks: Any
) -> None:
    push_receiver.status = 410
    with django_capture_on_commit_callbacks(execute=True):
        review_received(cast.rep_a1)
    assert not PushSubscription.objects.filter(endpoint=rep_phone).exists()


def test_an_unreachable_push_service_loses_nothing_else(cast: Any, push_receiver: PushReceiver, rep_phone: str) -> None:
    push_receiver.close()
    message = {"kind": "coaching.review_received", "title": "x", "body": "", "params": {}, "url": "/", "tag": "t"}
    assert push_deliver(recipient=cast.rep_a1, message=message) == "none"
    assert PushSubscription.objects.filter(endpoint=rep_phone).exists()


def test_it_refuses_a_subscription_with_bad_keys_and_stores_nothing(
    cast: Any, push_receiver: PushReceiver, client: Client
) -> None:
    endpoint, browser = push_receiver.new_browser("bad")
    client.force_login(cast.rep_a1)
    for p256dh, auth in [("abc", b64url(browser.auth)), (browser.p256dh, "short"), (browser.p256dh, "***")]:
        response = subscribe(client, endpoint, p256dh, auth)
        assert response.status_code == 400
        assert response.json()["error"] == "このブラウザから届いた登録内容は使えません。"
    assert client.post("/notifications/push/subscribe/", "not json", content_type="application/json").status_code == 400
    assert client.post("/notifications/push/subscribe/", "[]", content_type="application/json").status_code == 400
    assert not PushSubscription.objects.exists()


def test_it_refuses_plain_http_endpoints_in_production(cast: Any, settings: Any, client: Client) -> None:
    settings.WEBPUSH_ALLOW_HTTP_ENDPOINTS = False
    client.force_login(cast.rep_a1)
    browser_key = "B" + "A" * 86
    response = subscribe(client, "http://10.0.0.1/push/x", browser_key, b64url(b"0" * 16))
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_a_phone_subscribed_again_by_another_person_moves_to_them(cast: Any, push_receiver: PushReceiver) -> None:
    endpoint, browser = push_receiver.new_browser("shared")
    for rep in (cast.rep_a1, cast.rep_a2):
        push_subscription_save(user=rep, endpoint=endpoint, p256dh=browser.p256dh, auth=b64url(browser.auth))
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [cast.rep_a2.pk]


def test_unsubscribing_removes_only_ones_own_phone(cast: Any, rep_phone: str, client: Client) -> None:
    other = Client()
    other.force_login(cast.rep_b1)
    body = json.dumps({"endpoint": rep_phone})
    assert (
        other.post("/notifications/push/unsubscribe/", body, content_type="application/json").json()["removed"] is False
    )
    assert PushSubscription.objects.filter(endpoint=rep_phone).exists()
    assert client.post("/notifications/push/unsubscribe/", body, content_type="application/json").json()["removed"]
    assert not PushSubscription.objects.exists()


def test_the_settings_page_saves_switches_and_quiet_hours(cast: Any, client: Client) -> None:
    client.force_login(cast.rep_a1)
    page = client.get("/notifications/push/")
    assert page.status_code == 200 and vapid_public_key() in page.content.decode()
    response = client.post(
        "/notifications/push/preferences/",
        {"updates": "on", "review": "on", "quiet_start": "21:30", "quiet_end": "06:45"},
    )
    assert response.status_code == 302
    saved = PushPreferences.objects.get(user=cast.rep_a1)
    assert (saved.updates, saved.review, saved.assignments, saved.community, saved.coaching) == (
        True,
        True,
        False,
        False,
        False,
    )
    assert (saved.quiet_start, saved.quiet_end) == (time(21, 30), time(6, 45))


def test_half_quiet_hours_are_refused_in_the_reps_language_and_nothing_is_saved(cast: Any, client: Client) -> None:
    client.force_login(cast.rep_a1)
    response = client.post("/notifications/push/preferences/", {"updates": "on", "quiet_start": "21:30"})
    assert response.status_code == 400
    assert "静かな時間の開始と終了を両方" in response.content.decode()
    response = client.post("/notifications/push/preferences/", {"quiet_start": "25:99", "quiet_end": "x"})
    assert response.status_code == 400
    assert not PushPreferences.objects.exists()


def test_without_a_configured_key_one_is_made_once_and_kept(settings: Any, tmp_path: Any) -> None:
    settings.WEBPUSH_VAPID_PRIVATE_KEY = ""
    settings.VAR_DIR = tmp_path
    first = vapid_public_key()
    assert vapid_public_key() == first
    key_file = tmp_path / "vapid_private.pem"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert vapid().private_pem() == key_file.read_bytes()


def test_the_key_webpush_vapid_prints_is_the_one_the_setting_then_uses(settings: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("webpush_vapid", stdout=out)
    private_line, public_line = out.getvalue().splitlines()
    settings.WEBPUSH_VAPID_PRIVATE_KEY = private_line.removeprefix("WEBPUSH_VAPID_PRIVATE_KEY=")
    assert public_line == f"# public key: {vapid_public_key()}"
