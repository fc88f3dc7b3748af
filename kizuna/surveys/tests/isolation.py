"""Partner A's survey for the isolation walk (kizuna/tests/test_isolation.py): sent to partner A only."""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.surveys import services

    survey = services.survey_create(author=cast.author, title="A社だけのアンケート")
    question = services.survey_question_add(survey=survey, kind="likert", text="満足しましたか?")
    services.survey_publish(survey=survey, publisher=cast.author)
    survey.refresh_from_db()
    services.survey_send(survey=survey, sent_by=cast.author, partners=[cast.partner_a])
    return {"survey_id": survey.pk, "survey_question_id": question.pk, "survey_version_id": survey.latest_version_id}
