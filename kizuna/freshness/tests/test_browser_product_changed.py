"""In a real browser on a phone (375×667, Japanese): the principal's admin marks a product changed from the
freshness page, reopening its certification; the linked lesson goes to the top of the list, flagged, and its
author is notified."""

from typing import Any

import pytest

from kizuna.certification.models import Certification
from kizuna.certification.services import certification_create, requirement_add
from kizuna.freshness.models import Freshness
from kizuna.notifications.models import Notification
from kizuna.tests.browser_support import PHONE, sign_in

from .helpers import linked_lesson, product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_marks_a_product_changed_and_its_content_is_flagged(cast, live_server, browser):
    prod = product()
    lesson = linked_lesson(cast, prod)
    linked_lesson(cast, product(name="安心プラン", slug="anshin"))
    cert = certification_create(name="クラウドPro販売", slug="cloud-pro-sales", product=prod, created_by=cast.admin)
    requirement_add(certification=cert, kind="course", label="料金コース", course=lesson.module.course)

    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    context.set_default_timeout(30000)  # the shared test machine is slow at times
    page: Any = context.new_page()
    base = live_server.url
    sign_in(page, base, cast.admin.email)
    page.goto(f"{base}/studio/freshness/")
    page.get_by_role("link", name="クラウドPro").click()
    page.wait_for_load_state()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("変更した内容").fill("4月から月額料金が変わります")
    page.get_by_label("クラウドPro販売").check()
    page.locator("#product-changed button[type=submit]").click()
    page.wait_for_load_state()

    first = page.locator("#freshness-list > li").first
    assert first.get_attribute("data-id") == str(lesson.pk)
    assert "製品が変更されました" in first.inner_text()
    assert Freshness.objects.get(kind="lesson", object_id=lesson.pk).flagged_at is not None
    assert Notification.objects.filter(recipient=cast.author, kind__startswith="freshness.").exists()
    assert Certification.objects.get(pk=cert.pk).version == 2
