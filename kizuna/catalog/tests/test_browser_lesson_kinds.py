"""In a real browser at 375×667: an author adds a quiz lesson from the course editor, and reps see it named a quiz."""

import pytest

from kizuna.assessments.kinds import register_kinds
from kizuna.assessments.tests.conftest import make_bank, make_quiz
from kizuna.catalog import services as catalog
from kizuna.catalog.models import Lesson
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_author_adds_a_quiz_lesson_from_the_course_editor(cast, live_server, phone):
    register_kinds()  # another app's test may have left a stand-in
    bank = make_bank(cast)
    quiz = make_quiz(cast, list(bank.questions.filter(type__in=["single", "truefalse"])), title="料金の確認テスト")
    course = catalog.course_create(author=cast.author, title="料金の基本", slug="pricing")
    module = catalog.module_create(course=course, title="料金")
    catalog.lesson_create(module=module, kind="article", title="料金の考え方", body="月額制です。")
    catalog.course_publish(course=course, publisher=cast.author)
    catalog.assignment_create(course=course, assigned_by=cast.admin, required=False, partner=cast.partner_a)
    page, base = phone, live_server.url
    sign_in(page, base, cast.author.email)

    page.goto(f"{base}/studio/courses/{course.pk}/")
    assert fits_the_phone(page)
    page.locator(f"#module-{module.pk}").get_by_role("link", name="＋ 確認テスト").click()
    page.wait_for_load_state()
    page.get_by_label("タイトル").fill("料金の確認")
    page.get_by_label("内容").select_option(label="料金の確認テスト(2問)")
    assert fits_the_phone(page)
    page.get_by_role("button", name="レッスンを追加").click()
    page.wait_for_load_state()

    lesson = Lesson.objects.get(kind="quiz")
    assert (lesson.module, lesson.content_id) == (module, quiz.pk)
    row = page.locator(f"#lesson-{lesson.pk}")
    assert row.locator(".badge.kind-quiz").inner_text() == "確認テスト"
    assert fits_the_phone(page)
    page.locator("#publish").get_by_role("button", name="公開").click()
    page.wait_for_load_state()
    assert "バージョン 2 として公開しました。" in page.content()

    rep = page.context.browser.new_context(viewport={"width": 375, "height": 667}, locale="ja-JP")
    rpage = rep.new_page()
    sign_in(rpage, base, cast.rep_a1.email)
    rpage.goto(f"{base}/learn/courses/{course.pk}/")
    badges = rpage.locator(".lesson-row .badge[class*=kind-]").all_inner_texts()
    assert badges == ["記事", "確認テスト"]
    assert fits_the_phone(rpage)
    rep.close()


def test_an_author_puts_a_quiz_into_a_course_from_the_quiz_screen(cast, live_server, phone):
    register_kinds()
    bank = make_bank(cast)
    quiz = make_quiz(cast, list(bank.questions.filter(type="single")), title="料金の確認テスト")
    course = catalog.course_create(author=cast.author, title="料金の基本", slug="pricing")
    catalog.module_create(course=course, title="はじめに")
    module = catalog.module_create(course=course, title="確認")
    page, base = phone, live_server.url
    sign_in(page, base, cast.author.email)

    page.goto(f"{base}/studio/quizzes/{quiz.pk}/")
    page.get_by_role("link", name="＋ コースで使う").click()
    page.wait_for_load_state()
    assert page.get_by_label("レッスンのタイトル").input_value() == "料金の確認テスト"
    page.get_by_label("コースと章").select_option(label="確認")
    assert fits_the_phone(page)
    page.get_by_role("button", name="コースに追加").click()
    page.wait_for_load_state()

    lesson = Lesson.objects.get()
    assert (lesson.module, lesson.kind, lesson.content_id) == (module, "quiz", quiz.pk)
    assert page.url.endswith(f"/studio/courses/{course.pk}/#lesson-{lesson.pk}")
    assert "「料金の基本」にレッスンを追加しました。" in page.content()
    assert page.locator(f"#lesson-{lesson.pk} .badge.kind-quiz").inner_text() == "確認テスト"
