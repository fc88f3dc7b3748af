"""The analytics reads: which scenarios a manager may open, and the per-moment tables of partners' choices."""

import pytest

from conftest import publish_course
from kizuna.scenarios import analytics_selectors as analytics

from .helpers import play, tiny_graph


def distribution(counts):
    """A choice_distribution with one moment 'a' (choices x, ref y, z) and partners 1–3: {partner: [x, y, z]}."""
    names = {1: "甲社", 2: "乙社", 3: "丙社"}
    choices = []
    for index, key in enumerate(("x", "y", "z")):
        by_partner = {p: c[index] for p, c in counts.items() if c[index]}
        choices.append(
            {
                "key": key,
                "text": key,
                "reference": key == "y",
                "score": 0,
                "total": sum(by_partner.values()),
                "by_partner": by_partner,
            }
        )
    total = sum(c["total"] for c in choices)
    for c in choices:
        c["share"] = c["total"] / total if total else None
    return {
        "partners": [{"id": p, "name": names[p]} for p in sorted(names)],
        "nodes": [{"key": "a", "speaker": "", "text": "", "reference": "y", "total": total, "choices": choices}],
    }


def test_the_partner_choosing_the_top_reps_choice_least_is_marked_with_what_it_chose_instead():
    (table,) = analytics.distribution_tables(distribution({1: [1, 9, 0], 2: [6, 2, 2], 3: [0, 5, 0]}))
    assert table["all"]["reference_percent"] == 64  # 16 of 25
    rows = {r["partner"]["name"]: r for r in table["rows"]}
    assert rows["乙社"]["lowest"] and rows["乙社"]["diverges"] and rows["乙社"]["reference_percent"] == 20
    assert not rows["甲社"]["diverges"] and not rows["丙社"]["lowest"]
    assert table["lowest"]["instead"]["key"] == "x" and table["lowest"]["instead"]["percent"] == 60
    assert analytics.highlight_divergences([table]) == [table] and table["highlight"]


def test_partners_with_too_few_answers_are_never_called_divergent():
    few = analytics.MIN_ANSWERS - 1
    (table,) = analytics.distribution_tables(distribution({1: [0, 10, 0], 2: [few, 0, 0]}))
    rows = {r["partner"]["name"]: r for r in table["rows"]}
    assert rows["乙社"]["reference_percent"] == 0 and not rows["乙社"]["diverges"] and not rows["乙社"]["lowest"]
    assert table["lowest"] is None and analytics.highlight_divergences([table]) == []


def test_a_moment_everyone_answers_like_the_top_rep_is_not_highlighted():
    (table,) = analytics.distribution_tables(distribution({1: [0, 10, 0], 2: [0, 7, 0]}))
    assert table["lowest"] is None and analytics.highlight_divergences([table]) == []


def test_the_rows_of_partners_without_answers_show_no_shares():
    (table,) = analytics.distribution_tables(distribution({1: [2, 3, 0]}))
    rows = {r["partner"]["name"]: r for r in table["rows"]}
    assert rows["丙社"]["answers"] == 0 and rows["丙社"]["reference_percent"] is None
    assert [c["percent"] for c in rows["丙社"]["cells"]] == [None, None, None]


@pytest.mark.django_db
def test_a_manager_analyses_scenarios_assigned_to_or_played_by_their_agency_only(cast):
    from kizuna.scenarios.services import scenario_import, scenario_publish

    assigned = scenario_import(tiny_graph(slug="assigned-a"), author=cast.author)
    course = publish_course(
        cast, slug="c-a", title="A", lessons=[{"kind": "scenario", "title": "s", "content_id": assigned.pk}]
    )
    published_only = scenario_import(tiny_graph(slug="published-only"), author=cast.author)
    version = scenario_publish(scenario=published_only, publisher=cast.author)
    draft = scenario_import(tiny_graph(slug="draft-only"), author=cast.author)
    assert set(analytics.scenarios_for_analytics(cast.manager_a)) == {assigned}
    assert set(analytics.scenarios_for_analytics(cast.manager_b)) == set()
    play(cast.rep_b1, version, ["ask", "calc"])  # played outside a course (the principal let them)
    assert set(analytics.scenarios_for_analytics(cast.manager_b)) == {published_only}
    assert set(analytics.scenarios_for_analytics(cast.admin)) == {assigned, published_only}
    assert draft not in analytics.scenarios_for_analytics(cast.author)
    for user in (cast.rep_a1, cast.rep_b1):
        assert not analytics.scenarios_for_analytics(user).exists()
    assigned.refresh_from_db()
    assert course.latest_version.lessons.get().content_id == assigned.latest_version_id
