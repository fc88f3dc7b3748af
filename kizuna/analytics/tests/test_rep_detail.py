"""One rep's progress per course and lesson: for principal admins and coaches, and the rep's own manager."""

import pytest
from django.urls import reverse

from .builders import assign, learn


def _url(rep):
    return reverse("analytics:rep_detail", args=[rep.pk])


def test_the_manager_sees_their_reps_courses_and_lessons(client, cast, courses):
    assign(cast, courses["closing"], partner=cast.partner_a)
    learn(cast.rep_a1, courses["closing"], lessons=1)
    client.force_login(cast.manager_a)

    response = client.get(_url(cast.rep_a1))

    assert response.status_code == 200
    body = response.content.decode()
    assert "営業 一子" in body and "クロージング" in body
    assert "クロージング 1" in body and "クロージング 4" in body  # lesson titles
    assert response.context["back_url"] == reverse("analytics:partner_dashboard")
    (course,) = response.context["courses"]
    assert course.percent == 25 and course.lessons_completed == 1


@pytest.mark.parametrize("who", ["admin", "coach"])
def test_principal_admins_and_coaches_see_any_rep(client, cast, who):
    client.force_login(getattr(cast, who))

    response = client.get(_url(cast.rep_b1))

    assert response.status_code == 200
    assert response.context["back_url"] == reverse("analytics:partner_dashboard_for", args=[cast.partner_b.pk])


def test_it_refuses_partner_b_manager(client, cast):
    client.force_login(cast.manager_b)

    assert client.get(_url(cast.rep_a1)).status_code == 404


@pytest.mark.parametrize("who", ["author", "rep_a1", "rep_a2"])
def test_authors_and_reps_get_404_even_for_themselves(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(_url(cast.rep_a1)).status_code == 404


def test_a_manager_is_not_a_rep_here(client, cast):
    client.force_login(cast.admin)

    assert client.get(_url(cast.manager_a)).status_code == 404


def test_a_rep_with_nothing_to_do_gets_a_friendly_note(client, cast):
    client.force_login(cast.manager_a)

    response = client.get(_url(cast.rep_a2))

    assert response.status_code == 200
    assert "まだコースが割り当てられていません" in response.content.decode()


def test_it_runs_a_fixed_number_of_queries(client, cast, courses, django_assert_num_queries):
    for course in courses.values():
        assign(cast, course, partner=cast.partner_a)
        learn(cast.rep_a1, course, lessons=1)
    client.force_login(cast.manager_a)
    # Session, the user with their membership (2); the rep (1); assignments, progress, courses, lessons,
    # lesson progress (5).
    with django_assert_num_queries(8):
        client.get(_url(cast.rep_a1))
