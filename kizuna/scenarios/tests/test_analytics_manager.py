"""A partner manager's top-rep alignment screens: their own agency's reps and teams, nobody else's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person, publish_course
from kizuna.scenarios import analytics_selectors as analytics
from kizuna.scenarios import selectors

from .analytics_world import APOLOGY_ALIGNMENT, build_world
from .helpers import REFERENCE_PATH, play, tiny_graph


@pytest.fixture
def world(cast, complaint):
    return build_world(cast, complaint)


def page(client, user, name, *args, query=""):
    client.force_login(user)
    return client.get(reverse(name if ":" in name else f"scenarios:{name}", args=args) + query)


def test_the_manager_sees_each_of_their_reps_and_teams_with_alignment_and_values(cast, world, client):
    response = page(client, cast.manager_a, "partner_scenario_analytics", world.scenario.pk)
    assert response.status_code == 200
    breakdown = response.context["breakdown"]
    reps = {r.name: r for r in breakdown.reps}
    assert set(reps) == {cast.rep_a1.name, cast.rep_a2.name}
    assert (reps[cast.rep_a1.name].alignment, reps[cast.rep_a1.name].finished) == (100, 3)
    assert (reps[cast.rep_a2.name].alignment, reps[cast.rep_a2.name].in_progress) == (40, 1)
    values = {v["name"]: v["percent"] for v in reps[cast.rep_a1.name].profile}
    assert values == {"顧客第一": 100, "当事者意識": 100}
    teams = {t.team: t for t in breakdown.teams}
    assert teams[cast.team_a2.name].alignment == round(100 * APOLOGY_ALIGNMENT)
    html = response.content.decode()
    assert cast.rep_b1.name not in html and cast.partner_b.name not in html
    assert reverse("scenarios:scenario_rep_analytics", args=[world.scenario.pk, cast.rep_a2.pk]) in html


def test_the_figures_agree_with_the_core_selectors(cast, world):
    breakdown = analytics.partner_breakdown(user=cast.manager_a, version=world.version, partner=cast.partner_a)
    core = selectors.alignment_by_rep(user=cast.manager_a, version=world.version)
    assert [(r.rep_id, r.finished, r.alignment) for r in breakdown.reps] == [
        (r["rep_id"], r["attempts"], round(100 * r["alignment"])) for r in core
    ]
    teams = {t["team"]: t for t in selectors.alignment_by_team(user=cast.manager_a, version=world.version)}
    for team in breakdown.teams:
        assert (team.reps, team.finished, team.alignment) == (
            teams[team.team]["reps"],
            teams[team.team]["attempts"],
            round(100 * teams[team.team]["alignment"]),
        )


def test_the_moments_where_the_agency_leaves_the_top_rep_come_first(cast, world, client):
    moments = page(client, cast.manager_a, "partner_scenario_analytics", world.scenario.pk).context["moments"]
    assert moments[0]["key"] == "opening"
    assert moments[0]["reference_percent"] == 60  # 3 of 5 answers: rep_a2 apologised in both of their attempts
    assert moments[0]["instead"]["key"] == "apologize-first"
    # Partner B's manager reads only partner B's answers.
    moments_b = page(client, cast.manager_b, "partner_scenario_analytics", world.scenario.pk).context["moments"]
    assert {m["answers"] for m in moments_b if m["key"] == "opening"} == {5}


def test_the_list_shows_the_agencys_scenarios_with_its_own_figures(cast, world, client):
    response = page(client, cast.manager_a, "partner_scenarios")
    (summary,) = response.context["summaries"]
    assert (summary.scenario, summary.finished, summary.reps) == (world.scenario, 4, 2)
    assert summary.alignment == 85  # (3 × 100% + 40%) / 4
    assert reverse("scenarios:partner_scenario_analytics", args=[world.scenario.pk]) in response.content.decode()


def test_a_scenario_assigned_only_to_partner_a_is_404_for_partner_b(cast, complaint, client):
    from kizuna.scenarios.services import scenario_import

    scenario = scenario_import(tiny_graph(slug="a-only"), author=cast.author)
    course = publish_course(
        cast, slug="a-only", title="A専用", lessons=[{"kind": "scenario", "title": "s", "content_id": scenario.pk}]
    )
    lesson = course.latest_version.lessons.get()
    assert page(client, cast.manager_a, "partner_scenario_analytics", scenario.pk).status_code == 200
    assert page(client, cast.manager_b, "partner_scenario_analytics", scenario.pk).status_code == 404
    assert scenario not in page(client, cast.manager_b, "partner_scenarios").context["summaries"]
    # Not even once partner B's rep has somehow an attempt elsewhere: B sees only B's scenarios.
    play(cast.rep_a1, selectors.ScenarioVersion.objects.get(pk=lesson.content_id), ["ask", "calc"], lesson=lesson)
    assert page(client, cast.manager_b, "partner_scenario_analytics", scenario.pk).status_code == 404


def test_reps_authors_and_unknown_scenarios_get_404(cast, world, client):
    for user in (cast.rep_a1, cast.rep_b1, cast.author, cast.admin):
        assert page(client, user, "partner_scenario_analytics", world.scenario.pk).status_code == 404
        assert page(client, user, "partner_scenarios").status_code == 404
    assert page(client, cast.manager_a, "partner_scenario_analytics", 999999).status_code == 404
    assert (
        page(client, cast.manager_a, "partner_scenario_analytics", world.scenario.pk, query="?version=9").status_code
        == 404
    )


def test_opening_the_principals_partner_url_sends_a_manager_to_their_own_page(cast, world, client):
    own = page(client, cast.manager_a, "partner_scenario_analytics_for", world.scenario.pk, cast.partner_a.pk)
    assert own.status_code == 302
    assert own["Location"] == reverse("scenarios:partner_scenario_analytics", args=[world.scenario.pk])
    other = page(client, cast.manager_a, "partner_scenario_analytics_for", world.scenario.pk, cast.partner_b.pk)
    assert other.status_code == 404


def test_the_page_runs_the_same_number_of_queries_whatever_the_number_of_reps(cast, world, client):
    client.force_login(cast.manager_a)
    url = reverse("scenarios:partner_scenario_analytics", args=[world.scenario.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(6):
        rep = make_person(f"extra{n}@partner-a.example", f"追加 {n}", cast.partner_a, "rep", cast.team_a2)
        play(rep, world.version, REFERENCE_PATH, lesson=world.lesson)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["breakdown"].reps) == 8
    assert len(large.captured_queries) == len(small.captured_queries) == 8
