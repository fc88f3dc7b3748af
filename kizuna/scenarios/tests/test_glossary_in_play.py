"""Glossary terms are tappable wherever a rep reads a scenario: its description, each moment, each choice, the
coach's "why" after a choice, and the end's debrief and paths. The page hands glossary.js the terms it uses."""

import uuid

import pytest
from django.urls import reverse

from kizuna.plain import services as plain
from kizuna.plain.tests.glossary_pages import block_with, sheet_terms

from .helpers import APOLOGY_PATH, play

TERMS = {
    "締め日": "給料を計算するために、働いた時間を区切る日",  # the first moment (and the description)
    "画面": "パソコンやスマホに映っているページ",  # a choice at the first moment
    "謝罪": "謝ること",  # the coach's "why" on 「申し訳ございません」
}


@pytest.fixture
def glossary(cast):
    for term, explanation in TERMS.items():
        plain.term_save(editor=cast.author, term_ja=term, explanation_ja=explanation, is_jargon=True)


def _start(client, lesson):
    from kizuna.scenarios.models import Attempt

    client.post(
        reverse("scenarios:scenario_play", args=[lesson.content_id]),
        {"statement_id": str(uuid.uuid4()), "lesson": lesson.pk},
    )
    return Attempt.objects.get(lesson_id=lesson.pk)


def test_a_moment_and_its_choices_are_marked(cast, signed_in, scenario_lesson, glossary):
    client = signed_in(cast.rep_a1)
    attempt = _start(client, scenario_lesson)
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk])).content.decode()
    assert sheet_terms(page) == {"締め日": TERMS["締め日"], "画面": TERMS["画面"]}
    assert block_with(page, "締め日")["class"] == "scenario-line"
    choice = block_with(page, "どの画面で")
    assert choice["tag"] == "button" and "scenario-choice" in choice["class"]  # glossary.js puts a span in it
    assert f'action="{reverse("plain:word_ask", args=[scenario_lesson.pk])}"' in page


def test_the_coachs_why_and_the_start_page_are_marked(cast, signed_in, scenario_lesson, glossary):
    client = signed_in(cast.rep_a1)
    attempt = _start(client, scenario_lesson)
    client.post(
        reverse("scenarios:scenario_choose", args=[attempt.pk]),
        {"node": "opening", "choice": "apologize-first", "statement_id": str(uuid.uuid4())},
    )
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk]) + "?after=0").content.decode()
    assert sheet_terms(page) == {"謝罪": TERMS["謝罪"]}
    assert block_with(page, "謝罪は事実がわかってから")["class"] == "scenario-commentary-text"
    start = client.get(
        reverse("scenarios:scenario_play", args=[scenario_lesson.content_id]) + f"?lesson={scenario_lesson.pk}"
    ).content.decode()
    assert sheet_terms(start) == {"締め日": TERMS["締め日"]}  # the description
    assert block_with(start, "給与の締め日に") is not None


def test_the_end_marks_terms_in_the_paths_and_the_coachs_why(cast, signed_in, scenario_lesson, glossary):
    from kizuna.catalog.selectors import access_lesson_for_user
    from kizuna.scenarios.models import ScenarioVersion

    version = ScenarioVersion.objects.get(pk=scenario_lesson.content_id)
    attempt = play(cast.rep_a1, version, APOLOGY_PATH, lesson=access_lesson_for_user(cast.rep_a1, scenario_lesson.pk))
    page = signed_in(cast.rep_a1).get(reverse("scenarios:scenario_attempt", args=[attempt.pk])).content.decode()
    # At the first step the rep apologised: the coach's why on it (謝罪) and the top rep's choice (画面).
    assert {"謝罪", "画面"} <= set(sheet_terms(page))
    assert block_with(page, "謝罪は事実がわかってから") is not None
    assert block_with(page, "どの画面で") is not None
