"""In a real browser on a phone (375×667, Japanese): a manager asks the support desk from the page they are on,
with a screenshot; the operations team answers from its queue; the manager is notified and reads the answer."""

from typing import Any

import pytest

from kizuna.support.models import Ticket
from kizuna.tests.browser_support import PHONE, sign_in

from .helpers import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    return context.new_page()


def _fits(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_manager_asks_the_support_desk_and_gets_an_answer(cast, live_server, browser, tmp_path):
    base = live_server.url
    shot = tmp_path / "screen.png"
    shot.write_bytes(png().read())

    manager = _phone(browser)
    sign_in(manager, base, cast.manager_a.email)
    manager.goto(f"{base}/compliance/")
    manager.locator("#ask-support").click()
    manager.wait_for_load_state()
    assert _fits(manager)
    assert manager.locator(".support-page").inner_text() == "/compliance/"
    manager.select_option("select[name=category]", "how_to")
    manager.fill("input[name=subject]", "遵守状況の見方")
    manager.fill("textarea[name=body]", "期限超過の人数はどこで確認できますか。")
    manager.set_input_files("input[name=screenshot]", str(shot))
    manager.locator("#ask button[type=submit]").click()
    manager.wait_for_load_state()
    ticket = Ticket.objects.get()
    assert ticket.page_url == "/compliance/" and ticket.screenshot
    # The picture has no size until it has loaded: wait for it (up to Playwright's timeout), then check.
    manager.locator("img.support-shot").wait_for(state="visible")

    admin = _phone(browser)
    sign_in(admin, base, cast.admin.email)
    admin.goto(f"{base}/support/queue/")
    assert _fits(admin)
    admin.locator(f"#queue [data-ticket='{ticket.pk}'] a").click()
    admin.wait_for_load_state()
    admin.fill("#reply textarea[name=body]", "遵守状況のページで「未達のみ」を押すと、期限超過の方だけが表示されます。")
    admin.locator("#reply button[type=submit]").click()
    admin.wait_for_load_state()
    assert admin.locator("#ticket-status").inner_text() == "回答済み"

    manager.goto(f"{base}/notifications/")
    manager.locator("[data-kind='support.answered'] button.notification-open").click()
    manager.wait_for_load_state()
    assert manager.get_by_text("未達のみ").first.is_visible() and _fits(manager)
    manager.locator("form[action$='/close/'] button[type=submit]").click()
    manager.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
