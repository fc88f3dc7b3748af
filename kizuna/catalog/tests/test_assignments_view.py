"""The admin assigns published courses to a partner, a team or one rep, and deletes assignments."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kizuna.catalog import services as catalog
from kizuna.catalog.models import Assignment
from kizuna.records.models import Statement

DUE = (date.today() + timedelta(days=14)).isoformat()


@pytest.fixture
def course(article_course):
    Assignment.objects.filter(course=article_course).delete()
    return article_course


def post(client, **data):
    return client.post(reverse("catalog:assignments"), {"required": "on", "due_on": DUE, **data})


def test_it_assigns_a_course_to_a_whole_partner(cast, course, signed_in):
    response = post(signed_in(cast.admin), course=course.pk, target="partner", partner=cast.partner_a.pk)
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.partner, assignment.team, assignment.rep) == (cast.partner_a, None, None)
    assert assignment.required
    assert assignment.assigned_by == cast.admin
    local_due = timezone.localtime(assignment.due_at)
    assert (local_due.date().isoformat(), local_due.hour, local_due.minute) == (DUE, 23, 59)


def test_it_assigns_a_course_to_a_team(cast, course, signed_in):
    post(signed_in(cast.admin), course=course.pk, target="team", team=cast.team_a1.pk, partner=cast.partner_b.pk)
    assignment = Assignment.objects.get()
    assert (assignment.partner, assignment.team, assignment.rep) == (cast.partner_a, cast.team_a1, None)


def test_it_assigns_a_course_to_one_rep_found_by_e_mail(cast, course, signed_in):
    post(signed_in(cast.admin), course=course.pk, target="rep", rep_email="REP2@partner-a.example")
    assignment = Assignment.objects.get()
    assert (assignment.partner, assignment.team, assignment.rep) == (cast.partner_a, None, cast.rep_a2)


def test_it_records_who_assigned_what(cast, course, signed_in):
    assigned = Statement.objects.filter(actor=cast.admin, verb__endswith="verbs/assigned")
    before = assigned.count()
    post(signed_in(cast.admin), course=course.pk, target="partner", partner=cast.partner_a.pk)
    assert assigned.count() == before + 1


def test_it_refuses_a_required_course_without_a_due_date_in_japanese(cast, course, signed_in):
    response = signed_in(cast.admin).post(
        reverse("catalog:assignments"),
        {"course": course.pk, "target": "partner", "partner": cast.partner_a.pk, "required": "on", "due_on": ""},
    )
    assert response.status_code == 200
    assert "必須のコースには期限を設定してください。" in response.content.decode()
    assert not Assignment.objects.exists()


def test_it_assigns_an_optional_course_without_a_due_date(cast, course, signed_in):
    post(signed_in(cast.admin), course=course.pk, target="partner", partner=cast.partner_a.pk, required="", due_on="")
    assignment = Assignment.objects.get()
    assert not assignment.required
    assert assignment.due_at is None


def test_it_refuses_an_unknown_rep_e_mail(cast, course, signed_in):
    response = post(signed_in(cast.admin), course=course.pk, target="rep", rep_email="manager@partner-a.example")
    assert "このメールアドレスの営業担当者はいません" in response.content.decode()
    assert not Assignment.objects.exists()


def test_it_refuses_a_target_kind_without_its_target(cast, course, signed_in):
    response = post(signed_in(cast.admin), course=course.pk, target="team", partner=cast.partner_a.pk)
    assert "チームを選んでください。" in response.content.decode()
    assert not Assignment.objects.exists()


def test_it_offers_only_published_courses(cast, course, signed_in):
    draft = catalog.course_create(author=cast.author, title="未公開のコース", slug="unpublished")
    client = signed_in(cast.admin)
    response = client.get(reverse("catalog:assignments"))
    assert list(response.context["form"].fields["course"].queryset) == [course]
    response = post(client, course=draft.pk, target="partner", partner=cast.partner_a.pk)
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_it_lists_assignments_and_filters_them_by_partner(cast, course, signed_in):
    due = timezone.make_aware(datetime(2030, 1, 31, 23, 59))
    catalog.assignment_create(course=course, assigned_by=cast.admin, required=True, due_at=due, team=cast.team_a1)
    catalog.assignment_create(course=course, assigned_by=cast.admin, required=False, partner=cast.partner_b)
    client = signed_in(cast.admin)

    everything = client.get(reverse("catalog:assignments"))
    assert len(everything.context["page"].object_list) == 2
    body = everything.content.decode()
    assert "東京第1チーム" in body and "パートナーB株式会社" in body
    assert "必須" in body and "任意" in body
    assert "2030年1月31日" in body

    only_b = client.get(reverse("catalog:assignments"), {"partner": cast.partner_b.pk})
    assert [a.partner for a in only_b.context["page"].object_list] == [cast.partner_b]


def test_it_answers_404_when_filtering_by_something_that_is_not_a_partner(cast, course, signed_in):
    assert signed_in(cast.admin).get(reverse("catalog:assignments"), {"partner": cast.principal.pk}).status_code == 404


def test_it_deletes_an_assignment(cast, course, signed_in):
    assignment = catalog.assignment_create(course=course, assigned_by=cast.admin, required=False, rep=cast.rep_a1)
    response = signed_in(cast.admin).post(reverse("catalog:assignment_delete", args=[assignment.pk]))
    assert response.status_code == 302
    assert not Assignment.objects.exists()


def test_deleting_needs_post(cast, course, signed_in):
    assignment = catalog.assignment_create(course=course, assigned_by=cast.admin, required=False, rep=cast.rep_a1)
    assert signed_in(cast.admin).get(reverse("catalog:assignment_delete", args=[assignment.pk])).status_code == 405
    assert Assignment.objects.exists()
