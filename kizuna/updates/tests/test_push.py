"""A published flash update reaches the phones of its audience that asked for updates, and nobody else's."""

from typing import Any

import pytest

from kizuna.notifications.push_services import push_subscription_save
from kizuna.notifications.tests.push_receiver import PushReceiver, b64url
from kizuna.updates import services

from .conftest import post_update

pytestmark = pytest.mark.django_db


def test_publishing_an_update_pushes_it_to_subscribed_reps_of_its_audience(
    cast: Any,
    push_receiver: PushReceiver,
    django_capture_on_commit_callbacks: Any,  # noqa: F811
) -> None:
    for name, rep in (("a1", cast.rep_a1), ("b1", cast.rep_b1)):
        endpoint, browser = push_receiver.new_browser(name)
        push_subscription_save(user=rep, endpoint=endpoint, p256dh=browser.p256dh, auth=b64url(browser.auth))
    update = post_update(cast, publish=False, audience="selected", partners=[cast.partner_a])
    with django_capture_on_commit_callbacks(execute=True):
        services.update_publish(update=update, publisher=cast.coach)
    assert push_receiver.errors == []
    assert [(d.path, d.message["title"]) for d in push_receiver.deliveries] == [
        ("/push/a1", "新しいフラッシュ更新：本日から新料金プラン")
    ]
    assert push_receiver.deliveries[0].message["url"] == f"/updates/{update.pk}/"
