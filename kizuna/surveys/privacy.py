"""Surveys' part of a person's data: their answers; erasure removes the free-text ones."""

from typing import Any

from django.conf import settings
from django.db.models import Q

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from . import vocab
from .models import QuestionKind, Survey, SurveyResponse, SurveySend, SurveyVersion


def _text_keys(version: SurveyVersion) -> set[str]:
    return {q["key"] for q in version.questions if q.get("kind") == QuestionKind.TEXT}


def _erase(user: Any) -> None:
    from kizuna.records.privacy import statements_result_rewrite

    for response in SurveyResponse.objects.filter(rep=user).select_related("version"):
        texts = _text_keys(response.version)
        if texts & set(response.answers):
            response.answers = {k: v for k, v in response.answers.items() if k not in texts}
            response.save(update_fields=["answers"])

    # The `completed` statement carries every answer and the projection is rebuilt from it: drop the texts there
    # too, or a rebuild would bring them back.
    versions = {v.pk: _text_keys(v) for v in SurveyVersion.objects.filter(responses__rep=user).distinct()}

    def without_texts(st: Any) -> dict[str, Any] | None:
        version_id = ((st.context or {}).get("extensions") or {}).get(vocab.EXT_SURVEY_VERSION.iri)
        result = st.result or {}
        answers = (result.get("extensions") or {}).get(vocab.EXT_SURVEY_ANSWERS.iri)
        texts = versions.get(version_id, set())
        if not isinstance(answers, dict) or not texts & set(answers):
            return None
        kept = {k: v for k, v in answers.items() if k not in texts}
        return {**result, "extensions": {**result["extensions"], vocab.EXT_SURVEY_ANSWERS.iri: kept}}

    statements_result_rewrite(actor=user, where=Q(object_type=vocab.TYPE_SURVEY.iri), rewrite=without_texts)


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
