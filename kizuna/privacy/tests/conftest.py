"""A learning history for a rep, spread over many apps, with texts that name whose it is."""

import uuid
from typing import Any

import pytest


def give_history(cast: Any, rep: Any, course: Any, tag: str) -> None:
    from kizuna.community.services import question_ask
    from kizuna.feedback.services import field_voice_record, lesson_feedback_submit
    from kizuna.gamification.services import kudos_send
    from kizuna.records.services import lesson_complete, lesson_launch

    lesson = course.latest_version.lessons.order_by("pk").first()
    lesson_launch(rep=rep, lesson=lesson)
    lesson_complete(rep=rep, lesson=lesson)
    field_voice_record(rep=rep, kind="question", text=f"{tag}が聞いた質問", submission_id=uuid.uuid4())
    lesson_feedback_submit(rep=rep, lesson=lesson, worked=True, comment=f"{tag}の感想", submission_id=uuid.uuid4())
    question_ask(author=rep, title=f"{tag}の質問", body=f"{tag}の本文")
    kudos_send(sender=cast.coach, rep=rep, message=f"{tag}へのサンクス")


@pytest.fixture
def histories(cast: Any, article_course: Any) -> Any:
    give_history(cast, cast.rep_a1, article_course, "一子")
    give_history(cast, cast.rep_a2, article_course, "二郎")
    return cast
