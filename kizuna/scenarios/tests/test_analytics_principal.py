"""The principal's top-rep alignment screens: partners side by side, and how each partner chose at every moment."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from kizuna.scenarios.services import choice_update, scenario_publish

from .analytics_world import build_world
from .helpers import REFERENCE_PATH, play


@pytest.fixture
def world(cast, complaint):
    return build_world(cast, complaint)


def page(client, user, name, *args, query=""):
    client.force_login(user)
    return client.get(reverse(name if ":" in name else f"scenarios:{name}", args=args) + query)


def test_the_principal_sees_alignment_per_partner_with_partner_names_only(cast, world, client):
    for user in (cast.admin, cast.coach, cast.author):
        response = page(client, user, "principal_scenario_analytics", world.scenario.pk)
        assert response.status_code == 200
        partners = {p["partner"]: p for p in response.context["partners"]}
        assert partners[cast.partner_a.name]["alignment_percent"] == 85
        assert partners[cast.partner_b.name]["alignment_percent"] == 40
        html = response.content.decode()
        for rep in (cast.rep_a1, cast.rep_a2, cast.rep_b1, cast.coach):
            assert rep.name not in html  # aggregates: no rep, and the coach's own play never counts
    assert response.context["finished"] == 9  # 4 of partner A, 5 of partner B


def test_admins_and_coaches_open_a_partner_down_to_its_reps_but_authors_do_not(cast, world, client):
    link = reverse("scenarios:partner_scenario_analytics_for", args=[world.scenario.pk, cast.partner_b.pk])
    assert (
        link in page(client, cast.coach, "scenarios:principal_scenario_analytics", world.scenario.pk).content.decode()
    )
    assert (
        link
        not in page(client, cast.author, "scenarios:principal_scenario_analytics", world.scenario.pk).content.decode()
    )
    response = page(client, cast.admin, "partner_scenario_analytics_for", world.scenario.pk, cast.partner_b.pk)
    assert [r.name for r in response.context["breakdown"].reps] == [cast.rep_b1.name]
    assert (
        page(client, cast.author, "partner_scenario_analytics_for", world.scenario.pk, cast.partner_b.pk).status_code
        == 404
    )


def test_every_moment_shows_each_partners_choices_and_the_top_reps(cast, world, client):
    tables = page(client, cast.admin, "principal_scenario_analytics", world.scenario.pk).context["tables"]
    assert [t["key"] for t in tables] == [
        "opening",
        "vague-apology",
        "details",
        "escalated",
        "manual-sent",
        "fixed",
        "trust",
    ]
    opening = tables[0]
    assert opening["reference"]["key"] == "ask-details" and opening["reference"]["letter"] == "B"
    rows = {r["partner"]["name"]: r for r in opening["rows"]}
    # Partner A: 3 of 5 answers like the top rep (rep_a2 apologised twice); partner B apologised 5 times.
    assert [c["percent"] for c in rows[cast.partner_a.name]["cells"]] == [40, 60, 0]
    assert [c["percent"] for c in rows[cast.partner_b.name]["cells"]] == [100, 0, 0]
    assert opening["all"]["answers"] == 10  # the coach's reference play is not a partner's answer
    assert rows[cast.partner_b.name]["lowest"] and rows[cast.partner_b.name]["diverges"]
    assert not rows[cast.partner_a.name]["diverges"]


def test_the_places_where_a_partner_diverges_most_are_highlighted(cast, world, client):
    response = page(client, cast.admin, "principal_scenario_analytics", world.scenario.pk)
    highlights = response.context["highlights"]
    assert len(highlights) == 3
    assert {h["lowest"]["partner"]["name"] for h in highlights} == {cast.partner_b.name}
    assert {h["key"] for h in highlights} == {"opening", "details", "fixed"}
    assert [h["lowest"]["reference_percent"] for h in highlights] == [0, 0, 0]
    opening = next(h for h in highlights if h["key"] == "opening")
    assert opening["lowest"]["instead"]["key"] == "apologize-first"
    html = response.content.decode()
    assert "「申し訳ございません。すぐに確認いたします。」" in html and 'href="#moment-opening"' in html


def test_versions_are_never_mixed_and_the_page_says_which_is_shown(cast, world, client):
    # The author rewrites one commentary and publishes v2; a rep plays v2 (principal staff play it without a lesson).
    choice = world.scenario.nodes.get(key="opening").choices.get(key="apologize-first")
    choice_update(choice=choice, text=choice.text, next_node=choice.next_node, commentary="新しい解説", score=1)
    v2 = scenario_publish(scenario=world.scenario, publisher=cast.author)
    play(cast.rep_a1, v2, REFERENCE_PATH)
    latest = page(client, cast.admin, "principal_scenario_analytics", world.scenario.pk)
    assert latest.context["version"] == v2
    assert latest.context["finished"] == 1 and latest.context["tables"][0]["all"]["answers"] == 1
    assert "v2" in latest.content.decode() and 'id="version-shown"' in latest.content.decode()
    older = page(client, cast.admin, "principal_scenario_analytics", world.scenario.pk, query="?version=1")
    assert older.context["version"] == world.version and older.context["finished"] == 9
    assert "?version=2" in older.content.decode()  # "this is not the latest version" links to it
    options = [(o.version.number, o.finished) for o in older.context["options"]]
    assert options == [(2, 1), (1, 9)]
    for bad in ("?version=3", "?version=x"):
        assert page(client, cast.admin, "principal_scenario_analytics", world.scenario.pk, query=bad).status_code == 404


def test_the_charts_are_svg_images_with_their_own_relaxed_policy(cast, world, client):
    html = page(client, cast.admin, "principal_scenario_analytics", world.scenario.pk).content.decode()
    chart = reverse("scenarios:principal_scenario_alignment_svg", args=[world.scenario.pk])
    moment = reverse("scenarios:principal_scenario_node_svg", args=[world.scenario.pk, "opening"])
    assert f'src="{chart}?version=1"' in html and f'src="{moment}?version=1"' in html
    for url in (chart, moment):
        response = client.get(url)
        assert response["Content-Type"].startswith("image/svg+xml")
        assert b"<svg" in response.content and cast.partner_b.name.encode() in response.content
        assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert (
        "'unsafe-inline'"
        not in client.get(reverse("scenarios:principal_scenario_analytics", args=[world.scenario.pk]))[
            "Content-Security-Policy"
        ]
    )
    assert (
        client.get(reverse("scenarios:principal_scenario_node_svg", args=[world.scenario.pk, "won"])).status_code == 404
    )


def test_partner_people_get_404_for_every_principal_screen(cast, world, client):
    for user in (cast.manager_a, cast.rep_a1, cast.manager_b, cast.rep_b1):
        for name, args in (
            ("principal_scenarios", []),
            ("principal_scenario_analytics", [world.scenario.pk]),
            ("scenarios:principal_scenario_alignment_svg", [world.scenario.pk]),
            ("scenarios:principal_scenario_node_svg", [world.scenario.pk, "opening"]),
        ):
            assert page(client, user, name, *args).status_code == 404, (user.email, name)


def test_the_list_shows_every_published_scenario_with_all_partners(cast, world, client):
    (summary,) = page(client, cast.author, "principal_scenarios").context["summaries"]
    assert (summary.finished, summary.reps, summary.partners, summary.alignment) == (9, 3, 2, 60)


def test_the_page_runs_the_same_number_of_queries_whatever_the_number_of_plays(cast, world, client):
    client.force_login(cast.admin)
    url = reverse("scenarios:principal_scenario_analytics", args=[world.scenario.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    from kizuna.orgs.models import Organization

    partner_c = Organization.objects.create(name="パートナーC株式会社", slug="partner-c", kind="partner")
    for n in range(4):
        rep = make_person(f"c{n}@partner-c.example", f"営業 C{n}", partner_c, "rep")
        play(rep, world.version, REFERENCE_PATH)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["partners"]) == 3
    assert len(large.captured_queries) == len(small.captured_queries) == 8


def test_the_charts_draw_even_before_anyone_has_finished(cast, complaint, client):
    version = scenario_publish(scenario=complaint, publisher=cast.author)
    client.force_login(cast.admin)
    for name, args in (
        ("scenarios:principal_scenario_alignment_svg", [complaint.pk]),
        ("scenarios:principal_scenario_node_svg", [complaint.pk, "opening"]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200 and b"<svg" in response.content
    assert version.number == 1


def test_the_page_speaks_english_to_someone_who_chose_it(cast, world, client):
    cast.admin.language = "en"
    cast.admin.save(update_fields=["language"])
    html = page(client, cast.admin, "principal_scenario_analytics", world.scenario.pk).content.decode()
    assert "How each partner's reps chose, moment by moment" in html
    assert "Showing version 1, published" in html and "Finished attempts" in html
    assert "パートナー企業の習慣" not in html
