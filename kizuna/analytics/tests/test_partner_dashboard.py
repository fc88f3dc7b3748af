"""The partner dashboard: the manager's own agency only, with its team filter, order and empty states."""

import pytest
from django.urls import reverse

from .builders import add_rep, assign, learn, start

URL = reverse("analytics:partner_dashboard")


def test_the_manager_sees_their_reps_and_courses(client, cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    assign(cast, courses["closing"], partner=cast.partner_a, due_in_days=-1)
    learn(cast.rep_a1, courses["basics"], lessons=2)
    client.force_login(cast.manager_a)

    response = client.get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "営業 一子" in body and "営業 二郎" in body
    assert "製品の基本" in body and "クロージング" in body
    assert reverse("analytics:rep_detail", args=[cast.rep_a1.pk]) in body
    assert "営業 B一" not in body
    summary = response.context["summary"]
    assert (summary.reps, summary.required_count, summary.required_completed, summary.overdue) == (2, 4, 1, 2)
    by_rep = {r.rep_id: r for r in response.context["matrix"].reps}
    assert (by_rep[cast.rep_a1.pk].completed, by_rep[cast.rep_a1.pk].assigned) == (1, 2)
    assert by_rep[cast.rep_a2.pk].overdue == 1


def test_the_team_filter_shows_only_that_team(client, cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    client.force_login(cast.manager_a)

    response = client.get(URL, {"team": cast.team_a2.pk})

    assert response.status_code == 200
    assert [r.rep_id for r in response.context["matrix"].reps] == [cast.rep_a2.pk]
    assert response.context["summary"].reps == 1
    assert f"?team={cast.team_a2.pk}" in response.context["csv_url"]


def test_it_refuses_a_team_of_another_partner(client, cast):
    client.force_login(cast.manager_b)

    assert client.get(URL, {"team": cast.team_a1.pk}).status_code == 404
    assert client.get(URL, {"team": "nonsense"}).status_code == 404


def test_it_sorts_by_overdue_and_by_last_activity(client, cast, courses):
    assign(cast, courses["closing"], rep=cast.rep_a2, due_in_days=-1)
    assign(cast, courses["basics"], partner=cast.partner_a)
    start(cast.rep_a1, courses["basics"])
    client.force_login(cast.manager_a)

    by_name = client.get(URL).context["matrix"].reps
    by_overdue = client.get(URL, {"sort": "overdue"}).context["matrix"].reps
    by_activity = client.get(URL, {"sort": "last_activity"}).context["matrix"].reps
    unknown = client.get(URL, {"sort": "drop table"})

    assert [r.rep_id for r in by_name] == [cast.rep_a1.pk, cast.rep_a2.pk]
    assert [r.rep_id for r in by_overdue] == [cast.rep_a2.pk, cast.rep_a1.pk]
    assert [r.rep_id for r in by_activity] == [cast.rep_a2.pk, cast.rep_a1.pk]  # never active first
    assert unknown.status_code == 200 and unknown.context["sort"] == "name"


def test_it_says_so_when_nothing_is_assigned_yet(client, cast):
    client.force_login(cast.manager_a)

    response = client.get(URL)

    assert response.status_code == 200
    assert "まだコースが割り当てられていません" in response.content.decode()


def test_it_says_so_when_a_team_has_no_reps(client, cast):
    from kizuna.orgs.models import Team

    empty = Team.objects.create(organization=cast.partner_a, name="新設チーム")
    client.force_login(cast.manager_a)

    response = client.get(URL, {"team": empty.pk})

    assert response.status_code == 200
    assert "このチームにはまだ営業担当者がいません" in response.content.decode()


@pytest.mark.parametrize("who", ["rep_a1", "admin", "author", "coach"])
def test_only_partner_managers_have_this_page(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(URL).status_code == 404
    assert client.get(reverse("analytics:partner_dashboard_csv")).status_code == 404


def test_it_needs_sign_in(client, cast):
    assert client.get(URL).status_code == 302


def _dashboard_queries(client, cast, django_assert_num_queries, expected):
    client.force_login(cast.manager_a)
    with django_assert_num_queries(expected):
        response = client.get(URL, {"team": cast.team_a1.pk, "sort": "overdue"})
    assert response.status_code == 200
    return response


# Session, the user with their membership and partner (2), the partner's teams (1), then the dashboard:
# reps, assignments, course progress and the learning days of the last 30 days (4). Nothing per rep or course.
DASHBOARD_QUERIES = 7


def _add_reps(cast, courses, numbers):
    for n in numbers:
        rep = add_rep(cast, n, team=cast.team_a1)
        assign(cast, courses["values"], rep=rep, required=False, due_in_days=None)
        if n % 3 == 0:
            learn(rep, courses["basics"], lessons=2)
        elif n % 3 == 1:
            start(rep, courses["closing"])


def test_the_dashboard_query_count_does_not_grow_with_reps(client, cast, courses, django_assert_num_queries):
    for course in courses.values():
        assign(cast, course, partner=cast.partner_a)
    assign(cast, courses["closing"], team=cast.team_a1, due_in_days=-1)
    learn(cast.rep_a1, courses["basics"], lessons=1)
    _add_reps(cast, courses, range(2))

    small = _dashboard_queries(client, cast, django_assert_num_queries, DASHBOARD_QUERIES)
    assert len(small.context["matrix"].reps) == 3

    _add_reps(cast, courses, range(2, 29))

    large = _dashboard_queries(client, cast, django_assert_num_queries, DASHBOARD_QUERIES)
    assert len(large.context["matrix"].reps) == 30
    assert len(large.context["matrix"].courses) == 3
    assert all(r.overdue == 1 for r in large.context["matrix"].reps)  # the team course is past due for all


def test_a_large_partner_is_drawn_one_page_of_reps_at_a_time(client, cast, courses):
    from kizuna.analytics.views import REPS_PER_PAGE

    assign(cast, courses["basics"], partner=cast.partner_a)
    for n in range(REPS_PER_PAGE + 8):
        add_rep(cast, n, team=cast.team_a2)
    client.force_login(cast.manager_a)
    first = client.get(URL, {"sort": "name"})
    assert len(first.context["matrix"].reps) == REPS_PER_PAGE
    assert first.context["summary"].reps == REPS_PER_PAGE + 10  # the summary counts everyone
    html = first.content.decode()
    assert "page=2" in html and "sort=name" in html
    second = client.get(URL, {"sort": "name", "page": 2})
    assert len(second.context["matrix"].reps) == 10
    assert not {r.rep_id for r in first.context["matrix"].reps} & {r.rep_id for r in second.context["matrix"].reps}


def test_on_a_phone_the_summary_comes_first_the_filters_above_the_list_and_the_csv_last(client, cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    client.force_login(cast.manager_a)
    body = client.get(URL).content.decode()
    order = [body.index(s) for s in ('class="stats"', 'id="h-reps"', 'name="sort"', "営業 一子", ".csv")]
    assert order == sorted(order)
