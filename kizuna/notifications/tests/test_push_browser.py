"""At phone size in Chromium: a rep turns on notifications for their phone, chooses what is sent, and a push
reaches the phone's push service (a receiver on loopback standing in for the browser vendor's, which the test
machine cannot reach), signed and decryptable with the keys the browser gave."""

import json
from typing import Any

import pytest
from django.utils.translation import gettext_noop

from kizuna.notifications.models import PushPreferences, PushSubscription
from kizuna.notifications.services import notification_send
from kizuna.tests.browser_support import sign_in

from .push_receiver import PushReceiver, b64url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser's push service is the one thing replaced: subscribe() answers with the loopback endpoint and the
# keys the receiver holds, as Chromium would with its vendor's endpoint and keys of its own.
FAKE_PUSH_SERVICE = """
(() => {
  const subscription = %s;
  // Kept across pages, as the browser keeps a subscription.
  const current = () => localStorage.getItem("fake-push") && {
    endpoint: subscription.endpoint,
    toJSON: () => subscription,
    unsubscribe: () => Promise.resolve(localStorage.removeItem("fake-push") || true),
  };
  PushManager.prototype.subscribe = function (options) {
    localStorage.setItem("fake-push-key-length", new Uint8Array(options.applicationServerKey).length);
    localStorage.setItem("fake-push", "1");
    return Promise.resolve(current());
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current() || null); };
})();
"""


def test_a_rep_turns_on_phone_notifications_and_a_push_reaches_the_phone(
    cast: Any, live_server: Any, phone: Any, push_receiver: PushReceiver
) -> None:
    endpoint, browser = push_receiver.new_browser("rep-a1")
    keys = {"p256dh": browser.p256dh, "auth": b64url(browser.auth)}
    page, base = phone, live_server.url
    page.context.grant_permissions(["notifications"], origin=base)
    page.add_init_script(FAKE_PUSH_SERVICE % json.dumps({"endpoint": endpoint, "expirationTime": None, "keys": keys}))
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/notifications/")
    page.get_by_role("link", name="このスマートフォンへの通知").click()
    page.get_by_role("button", name="このスマートフォンで通知をオンにする").click()
    page.get_by_text("このスマートフォンへの通知をオンにしました。").wait_for()
    assert page.evaluate("localStorage.getItem('fake-push-key-length')") == "65"
    assert PushSubscription.objects.get(user=cast.rep_a1).endpoint == endpoint
    assert page.get_by_role("button", name="このスマートフォンで通知をオフにする").is_visible()
    assert not page.get_by_role("button", name="このスマートフォンで通知をオンにする").is_visible()

    # What to send: no community answers; quiet from 23:00 to 06:00.
    page.get_by_label("コミュニティの質問への回答").uncheck()
    page.fill("input[name=quiet_start]", "23:00")
    page.fill("input[name=quiet_end]", "06:00")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("スマートフォン通知の設定を保存しました。").wait_for()
    assert PushPreferences.objects.get(user=cast.rep_a1).community is False
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    PushPreferences.objects.filter(user=cast.rep_a1).update(quiet_start=None, quiet_end=None)  # whatever the hour
    notification_send(
        recipient=cast.rep_a1,
        kind="coaching.review_received",
        title=gettext_noop("%(reviewer)s reviewed your roleplay"),
        params={"reviewer": "中村 大輔"},
        url="/roleplay/",
        email=False,
    )
    assert push_receiver.errors == []
    assert [d.message["title"] for d in push_receiver.deliveries] == [
        "中村 大輔さんがあなたのロープレをレビューしました"
    ]

    page.get_by_role("button", name="このスマートフォンで通知をオフにする").click()
    page.get_by_text("このスマートフォンへの通知をオフにしました。").wait_for()
    assert not PushSubscription.objects.exists()
