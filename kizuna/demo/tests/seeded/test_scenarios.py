"""The demo's scenarios load on top of the foundation demo through the real services, and the analytics show
partner A choosing like the top rep more often than partner C, whose reps apologise first."""

import pytest
from django.urls import reverse

from kizuna.scenarios import analytics_selectors as analytics
from kizuna.scenarios import selectors
from kizuna.scenarios.models import Attempt, NodeChoiceCount, ScenarioVersion
from kizuna.scenarios.projections import ATTEMPT_FIELDS, COUNT_FIELDS, rebuild

pytestmark = pytest.mark.xdist_group("demo")  # the package shares one seed (conftest.py)


def people(*emails):
    from kizuna.accounts.models import User

    found = {u.email: u for u in User.objects.filter(email__in=emails).select_related("membership")}
    return [found[e] for e in emails]


def test_two_japanese_scenarios_are_published_with_the_top_reps_commentary_on_every_choice(demo):
    versions = {v.graph["slug"]: v for v in ScenarioVersion.objects.all()}
    assert set(versions) == {"complaint-handling", "price-objection"}
    for version in versions.values():
        nodes = version.graph["nodes"]
        assert 8 <= len(nodes) <= 12
        choices = [c for n in nodes for c in n.get("choices", [])]
        assert all(c["commentary"].startswith("自分ならこう考えます。") for c in choices)
        assert {"顧客第一", "当事者意識"} <= {t["ja"] for t in version.graph["value_tags"]}
    opening = {c["key"]: c["text"] for c in versions["complaint-handling"].graph["nodes"][0]["choices"]}
    assert (
        "申し訳ございません" in opening["apologize-first"] and "詳しくお聞かせいただけますか" in opening["ask-details"]
    )
    assert "他社より高いですね" in versions["price-objection"].graph["nodes"][0]["text"]


def test_the_course_plays_both_scenarios_and_reaches_every_partner(demo):
    from kizuna.catalog.models import Assignment, Course

    course = Course.objects.get(slug="sales-scenarios")
    lessons = list(course.latest_version.lessons.order_by("position"))
    assert [lesson.kind for lesson in lessons] == ["scenario", "scenario"]
    assert {lesson.content_id for lesson in lessons} == set(ScenarioVersion.objects.values_list("pk", flat=True))
    assert Assignment.objects.filter(course=course).values("partner").distinct().count() == 3


def test_the_coach_played_the_reference_and_reps_played_for_weeks(demo):
    (coach,) = people("coach@principal.example")
    coach_attempts = Attempt.objects.filter(rep=coach)
    assert coach_attempts.count() == 2 and all(a.alignment == 1.0 and a.partner_id is None for a in coach_attempts)
    reps = Attempt.objects.exclude(rep=coach)
    assert reps.count() > 40 and reps.filter(lesson_id__isnull=False).count() == reps.count()
    assert reps.filter(finished_at__isnull=True).exists()  # some stopped half-way
    days = {a.started_at.date() for a in reps}
    assert len(days) > 10 and max(a.last_activity_at for a in reps) < demo.now
    # Idle reps never play: the foundation's reps without history stay without it.
    (idle,) = people("rep5@partner-b.example")
    assert not Attempt.objects.filter(rep=idle).exists()


def test_partner_a_is_closer_to_the_top_rep_than_partner_c_who_apologises_first(demo):
    admin, manager_c = people("admin@principal.example", "manager@partner-c.example")
    for version in ScenarioVersion.objects.all():
        rows = {r["partner"]: r["alignment"] for r in selectors.alignment_by_partner(user=admin, version=version)}
        assert rows["株式会社アクセルセールス"] > rows["コネクトワークス株式会社"], version.title
    complaint = ScenarioVersion.objects.get(graph__slug="complaint-handling")
    tables = analytics.distribution_tables(selectors.choice_distribution(user=admin, version=complaint))
    opening = tables[0]
    assert opening["lowest"]["partner"]["name"] == "コネクトワークス株式会社"
    assert opening["lowest"]["instead"]["key"] == "apologize-first"
    # Partner C's manager sees the same habit for their own reps.
    moments = analytics.partner_moments(
        selectors.choice_distribution(user=manager_c, version=complaint), manager_c.membership.organization_id
    )
    assert moments[0]["key"] == "opening" and moments[0]["instead"]["key"] == "apologize-first"


def test_the_analytics_pages_open_on_the_demo(demo, client):
    admin, manager_a = people("admin@principal.example", "manager@partner-a.example")
    version = ScenarioVersion.objects.get(graph__slug="price-objection")
    client.force_login(admin)
    page = client.get(reverse("scenarios:principal_scenario_analytics", args=[version.scenario_id])).content.decode()
    assert "株式会社ブリッジ営業企画" in page and "コネクトワークス株式会社" in page
    client.force_login(manager_a)
    page = client.get(reverse("scenarios:partner_scenario_analytics", args=[version.scenario_id])).content.decode()
    assert "山田 花子" in page and "コネクトワークス株式会社" not in page


def test_the_plays_are_statements_and_the_projections_rebuild_to_the_same_rows(demo):
    before = (
        sorted(map(str, Attempt.objects.values_list(*ATTEMPT_FIELDS))),
        sorted(NodeChoiceCount.objects.values_list(*COUNT_FIELDS)),
    )
    rebuild()
    after = (
        sorted(map(str, Attempt.objects.values_list(*ATTEMPT_FIELDS))),
        sorted(NodeChoiceCount.objects.values_list(*COUNT_FIELDS)),
    )
    assert after == before
