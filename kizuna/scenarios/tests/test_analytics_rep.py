"""One rep's attempts and paths at one version: their own agency's manager and the principal's admins and coaches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .analytics_world import build_world
from .helpers import APOLOGY_PATH, play


@pytest.fixture
def world(cast, complaint):
    return build_world(cast, complaint)


def page(client, user, world, rep, query=""):
    client.force_login(user)
    return client.get(reverse("scenarios:scenario_rep_analytics", args=[world.scenario.pk, rep.pk]) + query)


def test_the_manager_sees_each_attempt_with_its_path_beside_the_top_reps_choices(cast, world, client):
    response = page(client, cast.manager_a, world, cast.rep_a2)
    assert response.status_code == 200
    finished, unfinished = sorted(response.context["attempts"], key=lambda a: a["attempt"].finished_at is None)
    assert finished["alignment"] == 40 and (finished["matches"], finished["compared"]) == (2, 5)
    first = finished["steps"][0]
    assert (first["node"], first["matched"]) == ("opening", False)
    assert "詳しくお聞かせいただけますか" in first["reference"]  # what the top rep chose instead
    assert unfinished["attempt"].finished_at is None and len(unfinished["steps"]) == 1
    html = response.content.decode()
    assert "「申し訳ございません。すぐに確認いたします。」" in html
    assert reverse("scenarios:partner_scenario_analytics", args=[world.scenario.pk]) + "?version=1" in html


def test_partner_b_and_authors_and_reps_get_404_for_partner_as_rep(cast, world, client):
    for user in (cast.manager_b, cast.rep_b1, cast.rep_a1, cast.rep_a2, cast.author):
        assert page(client, user, world, cast.rep_a2).status_code == 404, user.email
    # Partner A's manager cannot open partner B's rep either.
    assert page(client, cast.manager_a, world, cast.rep_b1).status_code == 404
    for user in (cast.admin, cast.coach):
        response = page(client, user, world, cast.rep_b1)
        assert response.status_code == 200 and len(response.context["attempts"]) == 5
        assert reverse("scenarios:partner_scenario_analytics_for", args=[world.scenario.pk, cast.partner_b.pk]) in (
            response.content.decode()
        )


def test_a_scenario_partner_b_has_never_seen_is_404_even_for_its_own_rep(cast, client, product):
    from kizuna.scenarios.services import scenario_import, scenario_publish

    from .helpers import tiny_graph

    scenario = scenario_import(tiny_graph(slug="unassigned"), author=cast.author)
    scenario_publish(scenario=scenario, publisher=cast.author)
    client.force_login(cast.manager_b)
    url = reverse("scenarios:scenario_rep_analytics", args=[scenario.pk, cast.rep_b1.pk])
    assert client.get(url).status_code == 404


def test_the_page_runs_the_same_number_of_queries_whatever_the_number_of_attempts(cast, world, client):
    client.force_login(cast.manager_a)
    url = reverse("scenarios:scenario_rep_analytics", args=[world.scenario.pk, cast.rep_a2.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(4):
        play(cast.rep_a2, world.version, APOLOGY_PATH, lesson=world.lesson)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["attempts"]) == 6
    assert len(large.captured_queries) == len(small.captured_queries) == 7
