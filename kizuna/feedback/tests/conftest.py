"""Helpers of the feedback tests: field voice entries and lesson feedback written through the real services."""

import uuid
from typing import Any

from kizuna.feedback import services
from kizuna.feedback.models import FieldVoice


def record_voice(rep: Any, text: str = "導入後のサポート体制はどうなっていますか?", **kwargs: Any) -> FieldVoice:
    values: dict[str, Any] = {"kind": "question", "submission_id": uuid.uuid4()}
    values.update(kwargs)
    return services.field_voice_record(rep=rep, text=text, **values)


def give_feedback(
    rep: Any, lesson: Any, *, worked: bool = False, comment: str = "価格の説明が通じませんでした。"
) -> Any:
    return services.lesson_feedback_submit(
        rep=rep, lesson=lesson, worked=worked, comment=comment, submission_id=uuid.uuid4()
    )
