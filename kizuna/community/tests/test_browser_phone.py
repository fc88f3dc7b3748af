"""The community's main path in a real browser at 375×667: a rep asks and is shown a similar question while
typing the title, another rep answers, and the asker chooses it as the accepted answer."""

import time
from typing import Any

import pytest

from kizuna.community import services
from kizuna.community.models import Answer, Question
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def wait_until(page: Any, script: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(100)


def test_a_rep_asks_sees_a_duplicate_another_answers_and_it_is_accepted(cast, live_server, phone):
    page, base = phone, live_server.url
    existing = services.question_ask(
        author=cast.rep_b1, title="値引きを求められたときの返し方", body="他社の方が安いと言われました。"
    )

    # Rep A1 asks from the phone; the similar question appears while the title is typed.
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/community/")
    assert no_sideways_scroll(page)
    page.locator("a[href='/community/ask/']").first.click()
    page.wait_for_url("**/community/ask/")
    page.locator("#id_title").press_sequentially("お客様に値引きをお願いされたら", delay=20)
    wait_until(page, f"() => !!document.querySelector('#similar a[href=\"/community/questions/{existing.pk}/\"]')")
    assert page.locator("#similar").get_by_text(existing.title).is_visible()
    assert no_sideways_scroll(page)
    page.fill("#id_body", "**今月中**の契約が条件だそうです。")
    page.locator("form.community-form button[type=submit]").click()
    page.wait_for_url("**/community/questions/*/")
    question = Question.objects.exclude(pk=existing.pk).get()
    assert question.author == cast.rep_a1

    # Rep A2 answers it.
    page.context.clear_cookies()
    sign_in(page, base, cast.rep_a2.email)
    page.goto(f"{base}/community/questions/{question.pk}/")
    page.fill("#id_body", "値引きの代わりに導入支援を厚くする提案が効きました。")
    page.locator("#answer-form button[type=submit]").click()
    page.wait_for_url(f"**/community/questions/{question.pk}/*")
    answer = Answer.objects.get(question=question)
    assert page.locator(f"#answer-{answer.pk}").get_by_text("導入支援を厚くする").is_visible()
    assert no_sideways_scroll(page)

    # The asker chooses it as the accepted answer.
    page.context.clear_cookies()
    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/community/questions/{question.pk}/")
    page.locator(f"#answer-{answer.pk} button[value=accept]").click()
    page.wait_for_url(f"**/community/questions/{question.pk}/*")
    assert page.locator(f"#answer-{answer.pk}.is-accepted").is_visible()
    assert Question.objects.get(pk=question.pk).accepted_answer_id == answer.pk
    assert no_sideways_scroll(page)
