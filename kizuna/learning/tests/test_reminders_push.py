"""Due-date reminders reach the phone too, for reps who subscribed one and kept the kind switched on."""

from typing import Any

import pytest

from conftest import publish_course
from kizuna.learning.reminders import reminders_send
from kizuna.notifications.push_services import push_preferences_set, push_subscription_save
from kizuna.notifications.tests.push_receiver import PushReceiver, b64url

pytestmark = pytest.mark.django_db


def test_a_subscribed_rep_gets_due_soon_and_overdue_on_their_phone_once(
    cast: Any,
    push_receiver: PushReceiver,
    django_capture_on_commit_callbacks: Any,  # noqa: F811
) -> None:
    endpoint, browser = push_receiver.new_browser("rep-a1")
    push_subscription_save(user=cast.rep_a1, endpoint=endpoint, p256dh=browser.p256dh, auth=b64url(browser.auth))
    for slug, days in (("soon", 2), ("late", -1)):
        lessons = [{"kind": "article", "title": "本文", "body": "本文"}]
        publish_course(cast, slug=slug, title=f"コース {slug}", lessons=lessons, due_in_days=days)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send()
        reminders_send()
    assert push_receiver.errors == []
    titles = sorted(d.message["title"] for d in push_receiver.deliveries)
    assert titles == ["【期限超過】コース late", "【期限間近】コース soon"]
    assert all(d.message["url"].startswith("/learn/") for d in push_receiver.deliveries)


def test_a_rep_who_switched_assignments_off_gets_only_the_email(
    cast: Any,
    push_receiver: PushReceiver,
    django_capture_on_commit_callbacks: Any,  # noqa: F811
) -> None:
    endpoint, browser = push_receiver.new_browser("rep-a1")
    push_subscription_save(user=cast.rep_a1, endpoint=endpoint, p256dh=browser.p256dh, auth=b64url(browser.auth))
    push_preferences_set(user=cast.rep_a1, switched_on={"updates"}, quiet_start=None, quiet_end=None)
    lessons = [{"kind": "article", "title": "本文", "body": "本文"}]
    publish_course(cast, slug="soon", title="コース soon", lessons=lessons, due_in_days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send()["due_soon"] == 2
    assert push_receiver.deliveries == []
