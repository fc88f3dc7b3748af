"""A rep on a phone taps a glossary term in a lesson, reads it in a bottom sheet, and asks about it (375×667)."""

import pytest

from conftest import publish_course
from kizuna.plain import services
from kizuna.plain.models import WordQuestion
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_taps_a_glossary_term_and_reads_its_plain_explanation(cast, live_server, phone):
    services.term_save(
        editor=cast.author,
        term_ja="ヨミ",
        explanation_ja="今月に契約になりそうなお客様の見込み",
        example_ja="今月のヨミは5件です。",
        is_jargon=True,
    )
    course = publish_course(
        cast,
        slug="yomi",
        title="見込みの講座",
        lessons=[{"kind": "article", "title": "ヨミの出し方", "body": "毎週金曜にヨミを出します。"}],
    )
    lesson = course.latest_version.lessons.get()
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")

    page.locator(".article .glossary-term", has_text="ヨミ").tap()
    sheet = page.locator("#glossary-sheet")
    sheet.wait_for(state="visible")
    assert "今月に契約になりそうなお客様の見込み" in sheet.inner_text()
    box = sheet.bounding_box()
    assert box["y"] + box["height"] >= 667 - 2  # a bottom sheet: it sits on the bottom edge
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    sheet.get_by_role("button", name="それでもわからない").tap()
    page.locator(".messages").get_by_text("作成者に送りました").wait_for()
    question = WordQuestion.objects.get()
    assert (question.word, question.sentence) == ("ヨミ", "毎週金曜にヨミを出します。")
