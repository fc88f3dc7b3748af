"""The daily "your review is ready" push: for reps with a phone subscribed and questions due today, only."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kizuna.assessments.services import review_due_pushes_send
from kizuna.notifications.push_services import push_subscription_save
from kizuna.notifications.tests.push_receiver import PushReceiver, b64url

from .conftest import make_quiz, quiz_lesson
from .test_review import take_quiz

pytestmark = pytest.mark.django_db


def test_reps_with_questions_due_get_one_push_with_the_count(
    cast: Any,
    questions: Any,
    push_receiver: PushReceiver,
    django_capture_on_commit_callbacks: Any,  # noqa: F811
) -> None:
    lesson = quiz_lesson(cast, make_quiz(cast, [questions["single"], questions["truefalse"]], pass_mark=50))
    answers = [(questions["single"], {"choice": "1"}), (questions["truefalse"], {"choice": "true"})]
    take_quiz(cast, lesson, cast.rep_a1, answers, at=timezone.now() - timedelta(days=30))
    for name, rep in (("a1", cast.rep_a1), ("a2", cast.rep_a2)):  # rep_a2 has nothing due
        endpoint, browser = push_receiver.new_browser(name)
        push_subscription_save(user=rep, endpoint=endpoint, p256dh=browser.p256dh, auth=b64url(browser.auth))
    with django_capture_on_commit_callbacks(execute=True):
        assert review_due_pushes_send() == 1
    assert push_receiver.errors == []
    [delivery] = push_receiver.deliveries
    assert delivery.path == "/push/a1"
    assert delivery.message["title"] == "今日の復習が待っています"
    assert delivery.message["body"] == "今日の復習問題：2問"
    assert delivery.message["url"] == "/review/"
