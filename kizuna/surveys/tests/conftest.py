"""Helpers for survey tests: a published survey with one question of each kind."""

from typing import Any

import pytest


def build_survey(cast: Any, *, title: str = "研修の満足度アンケート") -> Any:
    from kizuna.surveys import services

    survey = services.survey_create(author=cast.author, title=title, intro="3分で終わります。")
    services.survey_question_add(survey=survey, kind="likert", text="研修は役に立ちましたか?")
    services.survey_question_add(survey=survey, kind="nps", text="同僚にこの研修を勧めますか?")
    services.survey_question_add(
        survey=survey, kind="single", text="一番役立った章は?", options=["製品", "価格", "事例"]
    )
    services.survey_question_add(
        survey=survey, kind="multiple", text="今後ほしい内容は?", options=["動画", "ロープレ", "事例"], required=False
    )
    services.survey_question_add(survey=survey, kind="text", text="ご意見をどうぞ", required=False)
    services.survey_publish(survey=survey, publisher=cast.author)
    survey.refresh_from_db()
    return survey


def answers(
    version: Any, *, likert: str = "4", nps: str = "9", single: str = "0", multiple=("1",), text: str = ""
) -> dict:
    q = {item["kind"]: item["key"] for item in version.questions}
    return {
        f"q-{q['likert']}": [likert],
        f"q-{q['nps']}": [nps],
        f"q-{q['single']}": [single],
        f"q-{q['multiple']}": list(multiple),
        f"q-{q['text']}": [text],
    }


@pytest.fixture
def survey(cast: Any) -> Any:
    return build_survey(cast)


@pytest.fixture
def sent_survey(cast: Any, survey: Any) -> Any:
    """The survey sent to partner A only."""
    from kizuna.surveys import services

    services.survey_send(survey=survey, sent_by=cast.author, partners=[cast.partner_a])
    return survey
