"""In a real browser at 375×667: a rep passes a micro lesson's check, and takes a quiz whose answers save as they go."""

import time
from typing import Any

import pytest

from kizuna.assessments.models import Attempt
from kizuna.records.models import LessonProgress
from kizuna.tests.browser_support import sign_in

from .conftest import make_quiz, quiz_lesson

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_until(page: Any, script: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({script})"):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(100)


def no_sideways_scroll(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_a_rep_passes_a_micro_lessons_check_on_a_phone(cast, live_server, phone, questions):
    quiz = make_quiz(cast, [questions["single"], questions["truefalse"]], pass_mark=100)
    lesson = quiz_lesson(cast, quiz, kind="micro")
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    assert page.locator("video#player").count() == 1
    page.get_by_label("月額制").check()
    page.get_by_label("正しい").check()
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="答え合わせをする").click()
    page.wait_for_load_state()
    assert "100%" in page.locator("#result").inner_text()
    assert "ユーザー数に応じた" in page.content()  # the explanation
    assert no_sideways_scroll(page)
    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at is not None


def test_a_quiz_saves_each_answer_as_the_rep_goes(cast, live_server, phone, questions):
    quiz = make_quiz(cast, [questions["truefalse"], questions["short"]], pass_mark=50)
    lesson = quiz_lesson(cast, quiz)
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    page.get_by_role("button", name="確認テストを始める").click()
    page.wait_for_load_state()
    page.get_by_label("正しい").check()
    wait_until(page, "document.getElementById('quiz-saved').textContent.includes('保存しました')")
    attempt = Attempt.objects.get()
    assert attempt.answers.get().answer == {"choice": "true"}
    # A dropped connection or a reload loses nothing.
    page.reload()
    assert page.get_by_label("正しい").is_checked()
    page.get_by_label("あなたの回答").fill("ｵｰﾄｸﾛｰｽﾞ")
    page.get_by_role("button", name="提出する").click()
    page.wait_for_load_state()
    assert "100%" in page.locator("#result").inner_text()
    assert no_sideways_scroll(page)


def test_answers_given_without_a_connection_are_kept_and_sent_when_it_is_back(cast, live_server, phone, questions):
    quiz = make_quiz(cast, [questions["single"], questions["truefalse"]], pass_mark=50, time_limit_minutes=20)
    lesson = quiz_lesson(cast, quiz)
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/learn/lessons/{lesson.pk}/")
    page.get_by_role("button", name="確認テストを始める").click()
    page.wait_for_load_state()
    assert page.locator("#quiz-timer strong").inner_text().startswith(("19:", "20:"))  # the countdown
    page.context.set_offline(True)
    page.get_by_label("月額制").check()
    wait_until(page, "document.querySelector('[data-question] .q-state[data-state=offline]')")
    assert "接続" in page.locator("#quiz-saved").inner_text()
    attempt = Attempt.objects.get()
    assert not attempt.answers.exists()
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_until(page, "document.querySelector('.q-state[data-state=saved]')")
    assert attempt.answers.get().answer == {"choice": "1"}
    # Answered offline again, then the page is reloaded before the connection came back: nothing is lost.
    page.route("**/attempt/", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.get_by_label("正しい").check()
    # Kept in IndexedDB beside the offline outbox (not in localStorage any more).
    wait_until(
        page,
        "KizunaOffline.all('drafts').then(ds => ds.length === 1 && Object.keys(ds[0].pending).length > 0)",
    )
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('kizuna-quiz-')).length") == 0
    page.unroute("**/attempt/")
    page.reload()
    assert page.get_by_label("正しい").is_checked()
    wait_until(page, "document.querySelectorAll('.q-state[data-state=saved]').length === 2")
    assert attempt.answers.count() == 2
    wait_until(page, "KizunaOffline.all('drafts').then(ds => ds.length === 0)")  # all sent: nothing kept
    # A double tap on submit counts once.
    page.get_by_role("button", name="提出する").dblclick()
    page.wait_for_url(f"**/learn/attempts/{attempt.pk}/")
    assert "100%" in page.locator("#result").inner_text()
    assert Attempt.objects.count() == 1
