"""A missing page on a phone at 375×667: in Japanese, inside Kizuna's layout, with a way back."""

from typing import Any

import pytest

from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_who_follows_a_dead_link_reads_why_in_japanese_and_gets_back(
    cast: Any, live_server: Any, phone: Any
) -> None:
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/me/")
    with page.expect_navigation():  # a dead link followed from a page of ours
        page.evaluate("location.href = '/learn/lessons/999999/'")
    assert page.get_by_role("heading", name="ページが見つかりません").is_visible()
    assert page.locator("header.topbar").is_visible() and page.locator("nav.tabbar").is_visible()
    assert "Not Found" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with page.expect_navigation():
        page.get_by_role("link", name="前のページに戻る").click()
    assert page.url == f"{base}/me/"
    page.go_back()
    with page.expect_navigation():
        page.get_by_role("link", name="ホームに戻る").click()
    assert page.url == f"{base}/"
