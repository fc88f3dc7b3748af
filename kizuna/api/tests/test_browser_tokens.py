"""In a real browser at 375×667: an admin makes a token that works and then revokes it; the signed-in
rep's page records a statement through the API with the session and its CSRF token."""

import uuid
from typing import Any

import pytest
from django.test import Client

from kizuna.records.models import Statement
from kizuna.tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_admin_makes_a_token_on_a_phone_and_revokes_it(cast, live_server, phone):
    page, base = phone, live_server.url
    sign_in(page, base, cast.admin.email)
    page.goto(f"{base}/tokens/")
    assert no_horizontal_scroll(page)
    page.fill("input[name=email]", cast.rep_a1.email)
    page.fill("input[name=name]", "営業日報アプリ")
    page.get_by_role("button", name="作成", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("今すぐコピーしてください").is_visible()
    raw = page.input_value("#new-token")
    assert raw.startswith("kz_")
    assert no_horizontal_scroll(page)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").json()["email"] == cast.rep_a1.email

    page.goto(f"{base}/tokens/")
    assert raw not in page.content()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="無効にする").click()
    page.wait_for_load_state()
    assert page.get_by_text("を無効にしました").is_visible()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 401


def test_the_reps_browser_records_a_statement_with_its_session(cast, live_server, phone, article_course):
    page, base = phone, live_server.url
    sign_in(page, base, cast.rep_a1.email)
    lesson = article_course.latest_version.lessons.order_by("position").first()
    sid = str(uuid.uuid4())
    post = """async ([url, body, withToken]) => {
        const token = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
        const headers = {"Content-Type": "application/json"};
        if (withToken) headers["X-CSRFToken"] = token;
        const r = await fetch(url, {method: "POST", headers, body: JSON.stringify(body), credentials: "same-origin"});
        return [r.status, await r.json()];
    }"""
    url = f"{base}/api/v1/lessons/{lesson.pk}/statements"
    body = {"id": sid, "verb": {"id": "http://adlnet.gov/expapi/verbs/progressed"}, "result": {"duration": "PT15S"}}
    status, problem = page.evaluate(post, [url, body, False])
    assert status == 403 and problem["type"].endswith("/csrf-failed")
    status, answer = page.evaluate(post, [url, body, True])
    assert status == 200 and answer["stored"] is True
    assert Statement.objects.get(id=sid).actor_id == cast.rep_a1.pk
