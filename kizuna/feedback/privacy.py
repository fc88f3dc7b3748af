"""Feedback's part of a person's data: their field voice entries and lesson feedback."""

from typing import Any

from django.db.models import Q

from kizuna.accounts.personal_data import (
    ERASED_ACTIVITY_NAME,
    STAFF_ACTION,
    Contribution,
    Erasure,
    Excluded,
    Part,
    register,
)

from . import vocab
from .models import FieldVoice, LessonFeedback


def _free_text_statements() -> Q:
    return Q(object_type__in=[vocab.TYPE_FIELD_VOICE.iri, vocab.TYPE_CONTENT_FEEDBACK.iri])


def _erase(user: Any) -> None:
    from kizuna.records.privacy import statements_object_rename

    from .services import field_voice_iri

    # A field voice statement is named by the entry's own text.
    voices = FieldVoice.objects.filter(rep=user).only("key")
    statements_object_rename(object_iris=[field_voice_iri(v) for v in voices], name=ERASED_ACTIVITY_NAME)


register(
    Contribution(
        app="feedback",
        parts=(
            Part(
                "field_voice",
                FieldVoice,
                "rep",
                Erasure.SCRUB,
                omit=("answered_by", "content_by"),
                scrub={"text": "", "normalized": ""},
            ),
            Part("lesson_feedback", LessonFeedback, "rep", Erasure.SCRUB, omit=("handled_by",), scrub={"comment": ""}),
        ),
        excluded=(
            Excluded(FieldVoice, "answered_by", STAFF_ACTION),
            Excluded(FieldVoice, "content_by", STAFF_ACTION),
            Excluded(LessonFeedback, "handled_by", STAFF_ACTION),
        ),
        erase=_erase,
        free_text_statements=_free_text_statements,
    )
)
