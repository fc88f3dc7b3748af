"""An author on a phone sees the jargon warning beside the lesson body and fixes it in place (375×667)."""

import pytest

from kizuna.catalog import services as catalog
from kizuna.plain import services
from kizuna.plain.models import Term
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_author_sees_a_jargon_warning_and_fixes_it(cast, live_server, phone):
    services.term_save(
        editor=cast.author,
        term_ja="ROI",
        explanation_ja="かけたお金に対するもうけ",
        plain_ja="費用対効果",
        is_jargon=True,
    )
    services.term_save(editor=cast.author, term_ja="ヨミ", is_jargon=True)
    course = catalog.course_create(author=cast.author, title="見込みの講座", slug="yomi")
    module = catalog.module_create(course=course, title="はじめに")
    page, base = phone, live_server.url
    sign_in(page, base, cast.author.email)

    page.goto(f"{base}/studio/modules/{module.pk}/lessons/new/?kind=article")
    page.get_by_label("本文(Markdown)").fill("今期はROIを上げます。毎週ヨミを出します。")
    assist = page.locator(".plain-assist")
    assist.locator("mark", has_text="ROI").wait_for()
    assert "費用対効果" in assist.inner_text()
    assert assist.locator(".kind-jargon_without_explanation mark", has_text="ヨミ").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The author rewrites the first sentence plainly and explains ヨミ in place.
    page.get_by_label("本文(Markdown)").fill("今期は費用対効果を上げます。毎週ヨミを出します。")
    assist.locator("mark", has_text="ROI").wait_for(state="detached")
    assist.get_by_label("「ヨミ」のやさしい説明").fill("今月に契約になりそうなお客様の見込み")
    assist.get_by_role("button", name="用語集に追加").click()
    assist.locator(".kind-jargon_without_explanation").wait_for(state="detached")
    assert Term.objects.get(term_ja="ヨミ").explanation_ja == "今月に契約になりそうなお客様の見込み"

    page.get_by_label("タイトル").fill("見込みの出し方")
    page.get_by_role("button", name="レッスンを追加").click()
    page.wait_for_load_state()
    assert page.locator("#publish .problems").count() == 0
    # The lesson list shows the level stored when the text was saved, next to the principal's target.
    badge = page.locator(".plain-band").first
    assert "レベル" in badge.inner_text() and "目標 3.5" in badge.inner_text()
