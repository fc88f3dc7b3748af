"""Selectors: partner-scoped attempts, the comparison, alignment per rep/team/partner and choice distributions."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from kizuna.scenarios import selectors

from .helpers import APOLOGY_PATH, REFERENCE_PATH, play


@pytest.fixture
def played(cast, complaint_version):
    return {
        "a1": play(cast.rep_a1, complaint_version, REFERENCE_PATH),
        "a1_again": play(cast.rep_a1, complaint_version, APOLOGY_PATH),
        "a2": play(cast.rep_a2, complaint_version, APOLOGY_PATH),
        "b1": play(cast.rep_b1, complaint_version, APOLOGY_PATH),
    }


def test_partner_b_never_sees_partner_as_attempts(cast, played):
    for outsider in (cast.manager_b, cast.rep_b1):
        visible = set(selectors.attempts_visible_to(outsider))
        assert played["a1"] not in visible and played["a2"] not in visible
        with pytest.raises(Http404):
            selectors.access_attempt_for_user(outsider, played["a1"].pk)
    assert set(selectors.attempts_visible_to(cast.manager_a)) == {played["a1"], played["a1_again"], played["a2"]}
    assert set(selectors.attempts_visible_to(cast.rep_a2)) == {played["a2"]}
    with pytest.raises(Http404):
        selectors.access_attempt_for_user(cast.rep_a2, played["a1"].pk)
    assert len(selectors.attempts_visible_to(cast.coach)) == 4
    assert not selectors.attempts_visible_to(cast.author).exists()  # authors see aggregates only


def test_the_comparison_puts_the_reps_path_beside_the_top_reps(cast, played):
    comparison = selectors.attempt_comparison(played["a2"])
    assert [d["node"] for d in comparison["differences"]] == ["opening", "details", "fixed"]
    assert {v["name"] for v in comparison["value_profile"]} == {"顧客第一", "当事者意識"}
    assert comparison["ending"]["key"] == "lost"


def test_alignment_per_rep_and_team_for_a_manager(cast, played, complaint_version):
    rows = {r["name"]: r for r in selectors.alignment_by_rep(user=cast.manager_a, version=complaint_version)}
    assert set(rows) == {cast.rep_a1.name, cast.rep_a2.name}
    assert rows[cast.rep_a1.name]["attempts"] == 2
    assert rows[cast.rep_a1.name]["alignment"] == pytest.approx((1.0 + 0.4) / 2)
    assert rows[cast.rep_a2.name]["alignment"] == pytest.approx(0.4)
    teams = {r["team"]: r for r in selectors.alignment_by_team(user=cast.manager_a, version=complaint_version)}
    assert set(teams) == {cast.team_a1.name, cast.team_a2.name}
    assert teams[cast.team_a1.name]["reps"] == 1
    assert selectors.alignment_by_rep(user=cast.manager_b, version=complaint_version)[0]["name"] == cast.rep_b1.name
    assert len(selectors.alignment_by_rep(user=cast.manager_b, version=complaint_version)) == 1


def test_alignment_per_partner_shows_names_to_the_principal_only(cast, played, complaint_version):
    principal = selectors.alignment_by_partner(user=cast.admin, version=complaint_version)
    assert [r["partner"] for r in principal] == [cast.partner_a.name, cast.partner_b.name]
    manager = selectors.alignment_by_partner(user=cast.manager_b, version=complaint_version)
    assert [r["partner"] for r in manager] == [cast.partner_b.name]
    assert selectors.alignment_by_partner(user=cast.rep_a1, version=complaint_version) == []


def test_the_choice_distribution_is_per_partner_in_a_fixed_number_of_queries(cast, played, complaint_version):
    with CaptureQueriesContext(connection) as queries:
        data = selectors.choice_distribution(user=cast.admin, version=complaint_version)
    assert len(queries) <= 4
    assert [p["name"] for p in data["partners"]] == [cast.partner_a.name, cast.partner_b.name]
    opening = data["nodes"][0]
    assert opening["key"] == "opening" and opening["reference"] == "ask-details"
    by_key = {c["key"]: c for c in opening["choices"]}
    assert by_key["apologize-first"]["by_partner"] == {cast.partner_a.pk: 2, cast.partner_b.pk: 1}
    assert by_key["ask-details"]["by_partner"] == {cast.partner_a.pk: 1}
    assert opening["total"] == 4
    assert by_key["apologize-first"]["share"] == 0.75
    assert len(data["nodes"]) == 7  # moments only


def test_a_manager_sees_only_their_partners_distribution(cast, played, complaint_version):
    data = selectors.choice_distribution(user=cast.manager_b, version=complaint_version)
    assert data["partners"] == [{"id": cast.partner_b.pk, "name": cast.partner_b.name}]
    assert all(set(c["by_partner"]) <= {cast.partner_b.pk} for n in data["nodes"] for c in n["choices"])
    reps = selectors.choice_distribution(user=cast.rep_a1, version=complaint_version)
    assert reps["partners"] == [] and all(n["total"] == 0 for n in reps["nodes"])


def test_versions_are_played_through_a_lesson_unless_principal_staff(cast, scenario_lesson):
    version_id = scenario_lesson.content_id
    version, lesson = selectors.access_version_for_user(cast.rep_a1, version_id, lesson_id=scenario_lesson.pk)
    assert lesson == scenario_lesson
    with pytest.raises(Http404):
        selectors.access_version_for_user(cast.rep_a1, version_id)
    for outsider in (cast.rep_b1, cast.manager_b):
        with pytest.raises(Http404):
            selectors.access_version_for_user(outsider, version_id, lesson_id=scenario_lesson.pk)
    assert selectors.access_version_for_user(cast.coach, version_id) == (version, None)
