"""At phone size: after wrong passwords the sign-in page says how long to wait, then the person gets in."""

import pytest

from kizuna.accounts import signin_throttle
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wrong_passwords_make_the_page_say_how_long_to_wait_then_the_person_gets_in(
    cast, live_server, phone, monkeypatch
):
    now = [1_800_000_000.0]
    monkeypatch.setattr(signin_throttle, "_now", lambda: now[0])
    page, base = phone, live_server.url
    for _ in range(3):
        sign_in(page, base, cast.rep_a1.email, password="wrong-password")
    sign_in(page, base, cast.rep_a1.email)
    message = page.get_by_text("秒後にもう一度お試しください")
    assert message.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    now[0] += 9  # the 8 seconds have passed
    sign_in(page, base, cast.rep_a1.email)
    assert "/accounts/login/" not in page.url
