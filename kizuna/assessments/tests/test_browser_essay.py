"""In a real browser: a rep on a phone (375×667) takes a quiz with a description and an essay; their manager grades
the essay on a desktop, and the rep's score is final."""

import pytest

from kizuna.assessments import services
from kizuna.assessments.models import Attempt
from kizuna.records.models import LessonProgress
from kizuna.tests.browser_support import sign_in

from .conftest import make_quiz, quiz_lesson
from .test_browser_quiz import no_sideways_scroll, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BANK = """\
$CATEGORY: $course$/top/営業研修/商談

::読む前に::次の 2 問は、お客様に「高い」と言われた場面です。

::反論の順番::最初にするのは?{=傾聴 ~値引き}

::最初の一言::「高い」と言われたときの**最初の一言**を書いてください。{}
"""


def test_a_rep_answers_an_essay_on_a_phone_and_their_manager_grades_it(cast, live_server, phone, browser):
    bank = services.bank_create(slug="moodle", title="Moodle", author=cast.author)
    services.gift_import(bank=bank, source=BANK)
    quiz = make_quiz(cast, list(bank.questions.order_by("position")), pass_mark=60)
    lesson = quiz_lesson(cast, quiz)
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    page.get_by_role("button", name="確認テストを始める").click()
    page.wait_for_load_state()
    # The description is shown between questions, as text, and is not counted as a question.
    assert "「高い」と言われた場面です" in page.locator(".description-item").inner_text()
    assert page.locator("#quiz-status").inner_text().replace(" ", "").endswith("0/2")
    page.get_by_label("傾聴").check()
    page.get_by_label("あなたの回答").fill("お忙しいところ、率直なご意見をありがとうございます。")
    wait_until(page, "document.getElementById('quiz-answered').textContent === '2'")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="提出する").click()
    page.wait_for_load_state()
    assert "採点待ち" in page.locator("#result").inner_text()
    assert "率直なご意見" in page.content()
    assert no_sideways_scroll(page)
    attempt = Attempt.objects.get()
    assert attempt.grading_pending and attempt.score is None

    # The manager (desktop) finds it under "essays to grade" and grades it with the rubric.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP").new_page()
    sign_in(desk, base, cast.manager_a.email)
    desk.goto(f"{base}/quizzes/grading/")
    desk.get_by_role("link", name="KIZUNA 確認テスト").click()
    desk.wait_for_load_state()
    assert "率直なご意見" in desk.locator(".essay-text").inner_text()
    desk.get_by_label("4. 十分にできている").check()
    desk.get_by_label("営業担当者へのフィードバック(任意)").fill("感謝から入れていて良いです。")
    desk.get_by_role("button", name="採点を保存").click()
    desk.wait_for_load_state()
    assert "100%" in desk.locator("#grading-final").inner_text()
    desk.context.close()

    # The rep sees the final score and the feedback.
    page.reload()
    assert "100%" in page.locator("#result").inner_text()
    assert "感謝から入れていて良いです。" in page.content()
    assert no_sideways_scroll(page)
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at is not None
