"""The writing assistant sits in every editor of text a rep reads (issue 18: articles, quiz questions and
explanations, scenario moments and commentary, flash updates, survey questions, live session descriptions)."""

import pytest
from django.urls import reverse


def _article(cast):
    from kizuna.catalog import services as catalog

    course = catalog.course_create(author=cast.author, title="講座", slug="assist-everywhere")
    module = catalog.module_create(course=course, title="はじめに")
    return reverse("catalog:studio_lesson_new", args=[module.pk]) + "?kind=article"


def _question(cast):
    from kizuna.assessments.services import bank_create
    from kizuna.assessments.types import type_choices

    bank = bank_create(slug="assist-bank", title="問題集", author=cast.author)
    first_type = type_choices()[0][0]  # the form of each type is the same template
    return reverse("assessments:studio_question_new", args=[bank.pk]) + f"?type={first_type}"


def _scenario(cast):
    from kizuna.scenarios.services import scenario_import
    from kizuna.scenarios.tests.helpers import tiny_graph

    return reverse("scenarios:studio_scenario", args=[scenario_import(tiny_graph(), author=cast.author).pk])


def _update(cast):
    return reverse("updates:update_new")


def _survey(cast):
    from kizuna.surveys.services import survey_create

    return reverse("surveys:studio_survey", args=[survey_create(author=cast.author, title="アンケート").pk])


def _live(cast):
    return reverse("live:live_session_new")


@pytest.mark.parametrize("editor", [_article, _question, _scenario, _update, _survey, _live], ids=lambda f: f.__name__)
def test_every_editor_of_text_a_rep_reads_carries_the_assistant(cast, signed_in, editor):
    response = signed_in(cast.author).get(editor(cast))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-plain-assist="{reverse("plain:check")}"' in page
