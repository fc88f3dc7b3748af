"""A request that meets a busy database answers 503 with Retry-After, in the person's language; other errors pass."""

import json

from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import translation

from kizuna.ops.locks import is_lock_timeout
from kizuna.ops.middleware import DatabaseBusyMiddleware


def _busy(path: str):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    middleware = DatabaseBusyMiddleware(lambda r: None)
    with translation.override("ja"):
        return middleware.process_exception(request, OperationalError("database is locked"))


def test_a_lock_timeout_on_the_api_is_a_503_problem_with_retry_after(db):
    response = _busy("/api/v1/lessons/1/statements")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/problem+json"
    assert "データは失われていません" in json.loads(response.content)["detail"]


def test_a_lock_timeout_on_a_page_is_a_503_page_with_a_way_to_try_again(db):
    response = _busy("/learn/lessons/1/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "再読み込み" in response.content.decode()


def test_other_database_errors_are_not_taken_for_a_busy_database():
    assert not is_lock_timeout(OperationalError("no such table: records_statement"))
    assert not is_lock_timeout(ValueError("database is locked"))
    assert is_lock_timeout(OperationalError("database is locked"))
