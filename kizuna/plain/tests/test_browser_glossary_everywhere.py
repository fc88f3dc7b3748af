"""On a phone (375×667) a rep taps a glossary term in a quiz question and in a scenario choice and reads its plain
explanation in the bottom sheet; tapping the term in a choice does not choose it, tapping the choice still does."""

import pytest
from playwright.sync_api import expect

from conftest import publish_course
from kizuna.plain import services
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lessons(cast):
    from kizuna.assessments.kinds import register_kinds
    from kizuna.assessments.tests.conftest import make_bank, make_quiz
    from kizuna.catalog.services import product_create
    from kizuna.scenarios.services import scenario_import
    from kizuna.scenarios.tests.helpers import example_data

    register_kinds()
    services.term_save(
        editor=cast.author, term_ja="料金体系", explanation_ja="お金をどう払うかの決まり", is_jargon=True
    )
    services.term_save(editor=cast.author, term_ja="画面", explanation_ja="スマホやパソコンに映っているページ")
    single = make_bank(cast).questions.get(type="single")
    product_create(name="クラウド勤怠 KIZUNA", slug="kizuna-attendance")
    scenario = scenario_import(example_data(), author=cast.author)
    course = publish_course(
        cast,
        slug="words",
        title="ことばの講座",
        lessons=[
            {"kind": "quiz", "title": "確認テスト", "content_id": make_quiz(cast, [single]).pk},
            {"kind": "scenario", "title": "最初のひとこと", "content_id": scenario.pk},
        ],
    )
    return list(course.latest_version.lessons.order_by("position"))


def test_a_rep_taps_terms_in_a_quiz_question_and_in_a_scenario_choice(cast, live_server, phone, lessons):
    quiz, scenario = lessons
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    sheet = page.locator("#glossary-sheet")

    page.goto(f"{base}/learn/lessons/{quiz.pk}/")
    page.get_by_role("button", name="確認テストを始める").tap()
    term = page.locator(".question-text .glossary-term", has_text="料金体系")
    expect(term).to_have_count(1)
    term.tap()
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("お金をどう払うかの決まり")
    sheet.get_by_role("button", name="閉じる").tap()
    expect(sheet).to_be_hidden()

    page.goto(f"{base}/learn/lessons/{scenario.pk}/")
    page.locator("#scenario-start").tap()
    page.locator("#start").tap()
    choice = page.locator(".scenario-choice", has_text="どの画面で")
    choice.locator(".glossary-term", has_text="画面").tap()
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("スマホやパソコンに映っているページ")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    sheet.get_by_role("button", name="閉じる").tap()
    expect(sheet).to_be_hidden()
    expect(page.locator("#commentary")).to_have_count(0)  # the term's tap chose nothing
    choice.tap(position={"x": 8, "y": 8})  # the choice itself, away from the term
    expect(page.locator("#commentary")).to_be_visible()
