"""Points, levels, badges and streaks are projections: a rebuild gives exactly the live rows, and a changed
rule re-scores history."""

from datetime import timedelta

from kizuna.gamification.models import BadgeAward, BadgeRevocation, PeriodScore, PointAward, RepScore
from kizuna.gamification.projections import rebuild
from kizuna.gamification.services import badge_revoke, defaults_ensure, point_rule_update
from kizuna.records import services as records
from kizuna.records.projections import rebuild_everything

from .conftest import at, attend, quiz, recognition, review, scenario, void


def _snapshot():
    return (
        sorted(
            PointAward.objects.values_list(
                "statement_id", "user_id", "partner_id", "kind", "ref", "points", "awarded_at", "day"
            )
        ),
        sorted(
            RepScore.objects.values_list(
                "user_id",
                "partner_id",
                "points",
                "level",
                "streak",
                "best_streak",
                "last_day",
                "badges",
                "counts",
                "updated_at",
            ),
            key=str,
        ),
        sorted(PeriodScore.objects.values_list("user_id", "partner_id", "period", "start", "points")),
        sorted(
            BadgeAward.objects.values_list(
                "user_id", "badge_id", "partner_id", "statement_id", "awarded_at", "assertion"
            )
        ),
    )


def _history(cast, article_course):
    for lesson in article_course.latest_version.lessons.all():
        records.lesson_complete(rep=cast.rep_a1, lesson=lesson, timestamp=at(2))
    quiz(cast.rep_a1, scaled=1.0, when=at(1))
    quiz(cast.rep_a1, scaled=1.0, when=at(1))
    quiz(cast.rep_a2, scaled=0.6, passed=False)
    scenario(cast.rep_a2, alignment=0.9)
    review(cast.rep_b1)
    upvote = recognition(cast.rep_a2, answer=3, voter=1)
    recognition(cast.rep_a2, answer=3, voter=2)
    void(cast.rep_a1, upvote)
    for days_ago in (6, 5, 4, 3):
        attend(cast.rep_b1, session=days_ago, when=at(days_ago))


def test_rebuild_gives_exactly_the_live_rows(cast, article_course):
    _history(cast, article_course)
    live = _snapshot()
    assert live[0] and live[3]
    counts = rebuild_everything()
    assert counts["gamification"] > 0
    assert _snapshot() == live


def test_changing_a_rule_and_rebuilding_rescores_history(cast, article_course, points_of):
    _history(cast, article_course)
    before = points_of(cast.rep_a1)
    point_rule_update(kind="lesson_completed", points=25, daily_cap=30, threshold=0, active=True)
    assert points_of(cast.rep_a1) == before  # rules apply from the next rebuild
    rebuild()
    assert points_of(cast.rep_a1) == before + 2 * 15
    monthly = PeriodScore.objects.filter(user=cast.rep_a1, period="m").values_list("points", flat=True)
    assert sum(monthly) == before + 30


def test_assertion_ids_and_revocations_survive_a_rebuild(cast, article_course):
    _history(cast, article_course)
    award = BadgeAward.objects.get(user=cast.rep_a1, badge__slug="first-course")
    assertion = award.assertion
    badge_revoke(award=award, by=cast.admin, reason="不正な受講が判明したため")
    rebuild()
    assert BadgeAward.objects.get(user=cast.rep_a1, badge__slug="first-course").assertion == assertion
    assert BadgeRevocation.objects.get(assertion=assertion).reason == "不正な受講が判明したため"


def test_a_rebuild_scores_a_new_badge_for_past_learning(cast, article_course):
    from kizuna.gamification.models import Badge

    _history(cast, article_course)
    defaults_ensure()
    Badge.objects.create(
        slug="quiz-ace", name_ja="テスト名人", name_en="Quiz ace", description_ja="満点", description_en="Full marks",
        criterion=Badge.Criterion.QUIZ_SCORE, amount=100,
    )  # fmt: skip
    assert not BadgeAward.objects.filter(badge__slug="quiz-ace").exists()
    rebuild()
    assert list(BadgeAward.objects.filter(badge__slug="quiz-ace").values_list("user_id", flat=True)) == [cast.rep_a1.pk]


def test_rebuild_keeps_statements_after_a_late_earlier_day_consistent(cast):
    attend(cast.rep_a1, session=1, when=at(1))
    attend(cast.rep_a1, session=2, when=at(3))  # arrives late, from an earlier day
    attend(cast.rep_a1, session=3, when=at(0) + timedelta(hours=1))
    live = _snapshot()
    rebuild()
    assert _snapshot() == live


def test_a_partners_rebuild_gives_the_full_rebuilds_rows_and_leaves_the_other_agency(cast, article_course):
    from kizuna.records.tests.partner_rebuild import Table, assert_partner_rebuild, rep_rows

    _history(cast, article_course)
    quiz(cast.rep_b1, scaled=1.0, when=at(1))  # agency B's rep earns a badge too
    mine = rep_rows("user")
    assert_partner_rebuild(
        cast,
        ("gamification",),
        [
            Table(PointAward, ("statement_id", "user_id", "partner_id", "kind", "ref", "points", "awarded_at"), mine),
            Table(RepScore, ("user_id", "partner_id", "points", "level", "streak", "last_day", "counts"), mine),
            Table(PeriodScore, ("user_id", "partner_id", "period", "start", "points"), mine),
            Table(BadgeAward, ("user_id", "badge_id", "statement_id", "awarded_at", "assertion"), mine),
        ],
    )
