"""A rep answers a survey on a phone (375×667): taps the scale, picks a choice, is told what is missing, sends."""

import pytest

from kizuna.surveys.models import SurveyResponse
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_rep_answers_a_survey_on_a_phone(cast, sent_survey, live_server, phone):
    page, base = phone, live_server.url
    version = sent_survey.latest_version
    likert, nps, single = (q["key"] for q in version.questions[:3])

    sign_in(page, base, cast.rep_a1.email)
    page.goto(f"{base}/surveys/")
    assert page.get_by_text("未回答").is_visible()
    page.get_by_role("link", name="研修の満足度アンケート").click()
    page.wait_for_url(f"**/surveys/answer/{version.pk}/")
    assert no_sideways_scroll(page)  # the 0–10 scale wraps instead of widening the page
    page.locator(f"#q-{likert} .survey-point", has_text="4").click()
    page.get_by_role("button", name="回答を送信").click()
    assert page.locator(f"#q-{nps} .errorlist").inner_text() == "この質問に回答してください。"
    assert page.locator(f"#q-{likert} input[value='4']").is_checked()  # kept
    point = page.locator(f"#q-{nps} .survey-point", has_text="10")
    assert point.bounding_box()["height"] >= 44
    point.click()
    page.locator(f"#q-{single}").get_by_label("価格").check()
    page.get_by_label("ご意見をどうぞ").fill("事例をもっと増やしてほしいです。")
    page.get_by_role("button", name="回答を送信").click()
    page.wait_for_url("**/surveys/")
    assert page.get_by_text("ご回答ありがとうございました。").is_visible()
    response = SurveyResponse.objects.get(rep=cast.rep_a1)
    assert response.answers[nps] == 10 and response.answers[single] == "価格"
