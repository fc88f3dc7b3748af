from datetime import timedelta

import pytest
from django.utils import timezone

from kizuna.catalog import services as catalog
from kizuna.catalog.selectors import assignments_for_rep


@pytest.fixture
def course(cast):
    course = catalog.course_create(author=cast.author, title="クロージング", slug="closing")
    module = catalog.module_create(course=course, title="基本")
    catalog.lesson_create(module=module, kind="article", title="一言目", body="まず感謝を伝えます。")
    catalog.course_publish(course=course, publisher=cast.author)
    course.refresh_from_db()
    return course


def assign(cast, course, **target):
    return catalog.assignment_create(
        course=course, assigned_by=cast.admin, required=True, due_at=timezone.now() + timedelta(days=3), **target
    )


def test_a_partner_wide_assignment_reaches_every_rep_of_that_partner(cast, course):
    assignment = assign(cast, course, partner=cast.partner_a)
    assert list(assignments_for_rep(cast.rep_a1)) == [assignment]
    assert list(assignments_for_rep(cast.rep_a2)) == [assignment]


def test_a_team_assignment_reaches_only_that_teams_reps(cast, course):
    assignment = assign(cast, course, team=cast.team_a1)
    assert list(assignments_for_rep(cast.rep_a1)) == [assignment]
    assert list(assignments_for_rep(cast.rep_a2)) == []


def test_a_rep_assignment_reaches_only_that_rep(cast, course):
    assignment = assign(cast, course, rep=cast.rep_a2)
    assert list(assignments_for_rep(cast.rep_a2)) == [assignment]
    assert list(assignments_for_rep(cast.rep_a1)) == []


def test_nothing_assigned_to_partner_a_reaches_partner_b(cast, course):
    assign(cast, course, partner=cast.partner_a)
    assign(cast, course, team=cast.team_a1)
    assign(cast, course, rep=cast.rep_a1)
    assert list(assignments_for_rep(cast.rep_b1)) == []


def test_people_who_are_not_reps_have_no_assignments(cast, course):
    assign(cast, course, partner=cast.partner_a)
    assert list(assignments_for_rep(cast.manager_a)) == []
    assert list(assignments_for_rep(cast.admin)) == []


def test_the_home_pages_assignment_rows_follow_the_same_rule(cast, article_course):
    from conftest import publish_course
    from kizuna.catalog.selectors import assignments_for_rep, rep_assigned_courses

    lessons = [{"kind": "article", "title": "本文", "body": "本文"}]
    publish_course(cast, slug="team-a1", title="チームA1", lessons=lessons, team=cast.team_a1)
    publish_course(cast, slug="team-a2", title="チームA2", lessons=lessons, team=cast.team_a2)
    publish_course(cast, slug="rep-a2", title="個人A2", lessons=lessons, rep=cast.rep_a2)
    publish_course(cast, slug="partner-b", title="B", lessons=lessons, partner=cast.partner_b)
    for rep in (cast.rep_a1, cast.rep_a2, cast.rep_b1, cast.manager_a):
        expected = sorted(assignments_for_rep(rep).values_list("course_id", "required", "due_at"))
        got = sorted((row[0], row[4], row[5]) for row in rep_assigned_courses(rep))
        assert got == expected, rep.email
    assert {row[0] for row in rep_assigned_courses(cast.rep_a2)} >= {article_course.pk}


def test_changing_an_assignments_terms_keeps_it_and_records_the_new_terms(cast, course):
    from kizuna.records import vocab
    from kizuna.records.models import Statement

    assignment = assign(cast, course, partner=cast.partner_a)
    later = timezone.now() + timedelta(days=10)
    catalog.assignment_update(assignment=assignment, assigned_by=cast.admin, required=True, due_at=later)
    assert list(assignments_for_rep(cast.rep_a1)) == [assignment]
    assignment.refresh_from_db()
    assert assignment.due_at == later
    last = Statement.objects.filter(verb=vocab.ASSIGNED.iri).order_by("-seq").first()
    assert last.context["extensions"][vocab.EXT_DUE.iri] == later.isoformat()
    catalog.assignment_update(assignment=assignment, assigned_by=cast.admin, required=False, due_at=None)
    assignment.refresh_from_db()
    assert not assignment.required and assignment.due_at is None
    with pytest.raises(catalog.CatalogError):
        catalog.assignment_update(assignment=assignment, assigned_by=cast.admin, required=True, due_at=None)
