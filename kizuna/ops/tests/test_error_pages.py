"""Every error a person can meet is a page in their language inside the layout, with a way back;
the API and other JSON callers get an RFC 7807 problem instead (DEBUG is off in tests)."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.utils import translation

from kizuna.ops import error_pages

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    return response.content.decode()


def test_a_missing_page_is_in_japanese_inside_the_layout_with_a_way_home(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = _page(response)
    assert "ページが見つかりません" in html
    assert 'class="topbar"' in html and 'href="/"' in html
    assert "Not Found" not in html


def test_a_missing_page_is_in_english_for_a_person_who_reads_english(client):
    response = client.get("/no-such-page/", headers={"accept-language": "en"})
    html = _page(response)
    assert "Page not found" in html and "Back to the home page" in html


def test_a_missing_page_offers_the_page_the_person_came_from(client):
    response = client.get("/no-such-page/", headers={"referer": "http://testserver/learn/"})
    assert 'href="http://testserver/learn/"' in _page(response)


def test_it_never_offers_a_way_back_to_another_site(client):
    response = client.get("/no-such-page/", headers={"referer": "https://evil.example/"})
    assert "evil.example" not in _page(response)


def test_a_signed_in_person_sees_their_navigation_on_the_error_page(client, cast):
    client.force_login(cast.rep_a1)
    html = _page(client.get("/no-such-page/"))
    assert 'class="tabbar"' in html


def test_a_refused_page_is_a_403_page_in_the_layout(rf):
    from django.core.exceptions import PermissionDenied

    request = rf.get("/x/")
    request.user = AnonymousUser()
    with translation.override("ja"):
        response = error_pages.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "このページを開く権限がありません" in _page(response)


def test_a_csrf_failure_is_a_page_in_japanese_that_never_mentions_debug(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.rep_a1)
    response = client.post("/me/", {"name": "x"})
    assert response.status_code == 403
    html = _page(response)
    assert "ページの有効期限が切れました" in html
    assert "DEBUG" not in html and "CSRF verification failed" not in html
    assert 'class="topbar"' in html


def test_a_csrf_failure_on_the_api_is_a_problem_document(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.rep_a1)
    response = client.put("/api/v1/kpis", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_a_wrong_method_on_a_page_is_a_405_page_that_keeps_the_allow_header(client, cast):
    client.force_login(cast.rep_a1)
    response = client.get("/notifications/read-all/")
    assert response.status_code == 405
    assert "Allow" in response
    assert "この方法では開けません" in _page(response)


def test_a_wrong_method_on_the_api_is_a_problem_document(client, cast):
    client.force_login(cast.rep_a1)
    response = client.delete("/api/v1/me")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["status"] == 405


def test_a_request_over_the_size_limit_is_a_413_page(client, cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(cast.rep_a1)
    response = client.post("/me/", {"name": "x" * 5000})
    assert response.status_code == 413
    assert "送信された内容が大きすぎます" in _page(response)


def test_a_missing_api_route_is_a_problem_document_not_a_page(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["type"].endswith("/api/v1/problems/not-found")


def test_a_json_caller_gets_a_problem_document_outside_the_api_too(client):
    response = client.get("/no-such-page/", headers={"accept": "application/json"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_bad_request_is_a_400_page(rf):
    from django.core.exceptions import SuspiciousOperation

    request = rf.get("/x/")
    request.user = AnonymousUser()
    with translation.override("en"):
        response = error_pages.bad_request(request, SuspiciousOperation())
    assert response.status_code == 400
    assert "could not be read" in _page(response)


def test_the_500_page_is_in_the_layout_and_needs_no_database(django_assert_max_num_queries):
    request = RequestFactory().get("/x/")
    with translation.override("ja"), django_assert_max_num_queries(0):
        response = error_pages.server_error(request)
    assert response.status_code == 500
    html = _page(response)
    assert "問題が発生しました" in html and 'class="topbar"' in html


def test_the_500_page_still_answers_when_the_layout_cannot_be_drawn(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template storage unreachable")

    monkeypatch.setattr(error_pages.loader, "get_template", broken)
    request = RequestFactory().get("/x/")
    with translation.override("ja"):
        response = error_pages.server_error(request)
    assert response.status_code == 500
    assert "問題が発生しました" in _page(response)


@pytest.mark.urls("kizuna.ops.tests.urls_failing")
def test_an_error_raised_by_a_view_is_a_500_page_in_the_layout(client):
    client.raise_request_exception = False
    response = client.get("/fails/")
    assert response.status_code == 500
    html = _page(response)
    assert "問題が発生しました" in html and "RuntimeError" not in html


def test_too_many_sign_in_posts_is_a_page_in_japanese_not_allauths_english(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    for _ in range(2):
        response = client.post("/accounts/login/", {"login": "a@example.com", "password": "x"})
    assert response.status_code == 429
    html = _page(response)
    assert "試行が多すぎます" in html and "Too Many Requests" not in html


def test_a_csrf_failure_of_a_page_script_asking_for_json_is_a_problem_document(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.rep_a1)
    response = client.post("/notifications/read-all/", headers={"accept": "application/json"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["type"].endswith("/api/v1/problems/csrf-failed")
