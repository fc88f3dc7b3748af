"""Partner A's field voice entry and lesson feedback, for the isolation walk (kizuna/tests/test_isolation.py)."""

import uuid
from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from conftest import publish_course
    from kizuna.feedback import services

    course = publish_course(
        cast,
        slug="feedback-a-only",
        title="A社向け",
        lessons=[{"kind": "article", "title": "A社の記事", "body": "本文"}],
    )
    lesson = course.latest_version.lessons.get()
    voice = services.field_voice_record(
        rep=cast.rep_a1, kind="question", text="A社のお客様の質問", submission_id=uuid.uuid4()
    )
    feedback = services.lesson_feedback_submit(
        rep=cast.rep_a1, lesson=lesson, worked=True, comment="A社の感想", submission_id=uuid.uuid4()
    )
    return {"voice_id": voice.pk, "feedback_id": feedback.pk, "feedback_lesson_id": lesson.pk}
