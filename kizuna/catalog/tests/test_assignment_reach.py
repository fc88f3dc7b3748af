"""The one rule of which assignments reach which rep, in its database form and its Python forms."""

import pytest

from conftest import make_person
from kizuna.catalog import services as catalog
from kizuna.catalog.models import Assignment
from kizuna.catalog.selectors import (
    AssignmentReach,
    assignments_reaching_q,
    partner_assignments,
    rep_assigned_courses,
)


@pytest.fixture
def assigned(cast):
    """Assign one course each to: partner A, A's first team, A's second rep alone, B's team, partner B."""
    course = catalog.course_create(author=cast.author, title="クロージング", slug="closing")
    module = catalog.module_create(course=course, title="基本")
    catalog.lesson_create(module=module, kind="article", title="一言目", body="まず感謝を伝えます。")
    catalog.course_publish(course=course, publisher=cast.author)
    course.refresh_from_db()
    targets = {
        "partner A": {"partner": cast.partner_a},
        "team A1": {"team": cast.team_a1},
        "rep A2": {"rep": cast.rep_a2},
        "team B1": {"team": cast.team_b1},
        "partner B": {"partner": cast.partner_b},
    }
    return {
        name: catalog.assignment_create(course=course, assigned_by=cast.admin, required=False, due_at=None, **target).pk
        for name, target in targets.items()
    }


def reps(cast):
    """Return (rep, partner id, team id, the assignments that must reach them by name)."""
    rep_without_team = make_person("rep0@partner-a.example", "営業 零", cast.partner_a, "rep")
    return [
        (cast.rep_a1, cast.partner_a.pk, cast.team_a1.pk, {"partner A", "team A1"}),
        (cast.rep_a2, cast.partner_a.pk, cast.team_a2.pk, {"partner A", "rep A2"}),
        (rep_without_team, cast.partner_a.pk, None, {"partner A"}),
        (cast.rep_b1, cast.partner_b.pk, cast.team_b1.pk, {"partner B", "team B1"}),
    ]


def test_an_assignment_reaches_the_reps_of_its_partner_its_team_or_the_one_rep_named(cast, assigned):
    names = {pk: name for name, pk in assigned.items()}
    reach = AssignmentReach()
    for a in Assignment.objects.all():
        reach.add(partner_id=a.partner_id, team_id=a.team_id, rep_id=a.rep_id, item=names[a.pk])
    dashboards = partner_assignments(partner_ids=[cast.partner_a.pk, cast.partner_b.pk])
    for rep, partner_id, team_id, expected in reps(cast):
        where = {"partner_id": partner_id, "team_id": team_id, "rep_id": rep.pk}
        in_sql = Assignment.objects.filter(assignments_reaching_q(**where)).values_list("pk", flat=True)
        assert {names[pk] for pk in in_sql} == expected, rep.email
        assert set(reach.reaching(**where)) == expected, rep.email
        assert len(dashboards.reaching(**where)) == len(expected), rep.email
        assert len(rep_assigned_courses(rep)) == len(expected), rep.email


def test_the_index_tells_partner_wide_assignments_from_the_teams_and_reps_named(cast, assigned):
    reach = partner_assignments(partner_ids=[cast.partner_a.pk])
    assert len(reach.partner_wide(cast.partner_a.pk)) == 1
    assert reach.partner_wide(cast.partner_b.pk) == []
    assert reach.targeted() == ({cast.team_a1.pk}, {cast.rep_a2.pk})
