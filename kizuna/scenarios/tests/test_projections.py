"""Attempts and choice counts are projections: rebuilding them from the statements gives the same rows."""

import uuid

from kizuna.scenarios import projections
from kizuna.scenarios.models import Attempt, NodeChoiceCount
from kizuna.scenarios.projections import ATTEMPT_FIELDS, COUNT_FIELDS
from kizuna.scenarios.services import attempt_start, choice_make

from .helpers import APOLOGY_PATH, REFERENCE_PATH, play


def snapshot():
    return (
        sorted(Attempt.objects.values_list(*ATTEMPT_FIELDS), key=str),
        sorted(NodeChoiceCount.objects.values_list(*COUNT_FIELDS)),
    )


def test_rebuild_gives_the_live_rows(cast, complaint_version, scenario_lesson):
    from kizuna.scenarios.models import ScenarioVersion

    lesson_version = ScenarioVersion.objects.get(pk=scenario_lesson.content_id)
    play(cast.rep_a1, complaint_version, REFERENCE_PATH)
    play(cast.rep_a1, complaint_version, APOLOGY_PATH)
    play(cast.rep_a2, lesson_version, ["blame-other", "own-it"], lesson=scenario_lesson)  # unfinished
    play(cast.rep_b1, complaint_version, ["blame-other", "hand-over"])
    play(cast.coach, complaint_version, REFERENCE_PATH)  # the principal's plays are not counted per partner
    registration = attempt_start(rep=cast.rep_a2, version=complaint_version)
    sid = uuid.uuid4()
    for _ in range(2):  # a retried request
        choice_make(rep=cast.rep_a2, registration=registration, node_key="opening", choice=0, statement_id=sid)
    live = snapshot()
    assert len(live[0]) == 6
    assert live[1]
    counted = projections.rebuild()
    assert counted == len(live[0]) + len(live[1])
    assert snapshot() == live


def test_choice_counts_are_per_partner_and_leave_out_the_principal(cast, complaint_version):
    play(cast.rep_a1, complaint_version, REFERENCE_PATH)
    play(cast.rep_a2, complaint_version, ["apologize-first"])
    play(cast.rep_b1, complaint_version, ["apologize-first"])
    play(cast.coach, complaint_version, ["apologize-first"])
    counts = {
        (row.node_key, row.choice_key, row.partner_id): row.count
        for row in NodeChoiceCount.objects.filter(node_key="opening")
    }
    assert counts == {
        ("opening", "ask-details", cast.partner_a.pk): 1,
        ("opening", "apologize-first", cast.partner_a.pk): 1,
        ("opening", "apologize-first", cast.partner_b.pk): 1,
    }


def test_a_partners_rebuild_gives_the_full_rebuilds_rows_and_leaves_the_other_agency(cast, complaint_version):
    from kizuna.records.tests.partner_rebuild import Table, assert_partner_rebuild, partner_rows, rep_rows

    play(cast.rep_a1, complaint_version, REFERENCE_PATH)
    play(cast.rep_a2, complaint_version, ["apologize-first"])  # the agency's counts add up over its reps
    play(cast.rep_b1, complaint_version, ["apologize-first"])
    assert_partner_rebuild(
        cast,
        ("scenarios",),
        [Table(Attempt, ATTEMPT_FIELDS, rep_rows()), Table(NodeChoiceCount, COUNT_FIELDS, partner_rows)],
    )
