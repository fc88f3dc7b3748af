"""Surveys' part of a person's data: their answers; erasure removes the free-text ones."""

from typing import Any

from django.conf import settings
from django.db.models import Q

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from . import vocab
from .models import QuestionKind, Survey, SurveyResponse, SurveySend, SurveyVersion


def _erase(user: Any) -> None:
    for response in SurveyResponse.objects.filter(rep=user).select_related("version"):
        texts = {q["key"] for q in response.version.questions if q.get("kind") == QuestionKind.TEXT}
        if texts & set(response.answers):
            response.answers = {k: v for k, v in response.answers.items() if k not in texts}
            response.save(update_fields=["answers"])


def _free_text_statements() -> Q:
    return Q(
        object_type=vocab.TYPE_INTERACTION.iri,
        object_definition__interactionType="fill-in",
        object_iri__startswith=f"{settings.SITE_URL}/xapi/activities/survey/",
    )


register(
    Contribution(
        app="surveys",
        parts=(Part("survey_answers", SurveyResponse, "rep", Erasure.SCRUB),),
        excluded=(
            Excluded(Survey, "created_by", STAFF_ACTION),
            Excluded(SurveyVersion, "published_by", STAFF_ACTION),
            Excluded(SurveySend, "sent_by", STAFF_ACTION),
        ),
        erase=_erase,
        free_text_statements=_free_text_statements,
    )
)
