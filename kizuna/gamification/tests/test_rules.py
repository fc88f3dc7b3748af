"""Rule evaluation on known event histories, and the anti-farming cases the rules page promises."""

from datetime import timedelta

from django.utils import timezone

from kizuna.gamification.models import BadgeAward, PeriodScore, PointAward, RepScore
from kizuna.gamification.services import defaults_ensure, point_rule_update
from kizuna.records import services as records

from .conftest import at, attend, quiz, recognition, review, scenario, void


def _kinds(user):
    return sorted(PointAward.objects.filter(user=user).values_list("kind", flat=True))


def test_finishing_a_course_earns_lesson_and_course_points_and_the_first_course_badge(cast, article_course, points_of):
    for lesson in article_course.latest_version.lessons.all():
        records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    assert _kinds(cast.rep_a1) == ["course_finished", "lesson_completed", "lesson_completed"]
    assert points_of(cast.rep_a1) == 10 + 10 + 50
    assert BadgeAward.objects.filter(user=cast.rep_a1, badge__slug="first-course").exists()
    score = RepScore.objects.get(user=cast.rep_a1)
    assert score.badges == 1 and score.streak == 1 and score.level == 1


def test_a_quiz_earns_points_for_its_first_pass_only(cast, points_of):
    quiz(cast.rep_a1, scaled=0.7, passed=False)
    assert points_of(cast.rep_a1) == 0
    quiz(cast.rep_a1, scaled=0.8)
    quiz(cast.rep_a1, scaled=0.8)
    quiz(cast.rep_a1, version=2, scaled=0.9)  # a new version of the same quiz is not a new quiz
    assert _kinds(cast.rep_a1) == ["quiz_passed"]
    assert points_of(cast.rep_a1) == 20


def test_a_perfect_score_counts_once_per_quiz(cast, points_of):
    quiz(cast.rep_a1, scaled=1.0)
    quiz(cast.rep_a1, scaled=1.0)
    assert _kinds(cast.rep_a1) == ["perfect_score", "quiz_passed"]
    assert points_of(cast.rep_a1) == 30
    assert BadgeAward.objects.filter(user=cast.rep_a1, badge__slug="perfect-score").exists()


def test_the_daily_cap_stops_farming_and_the_next_day_earns_again(cast, points_of):
    defaults_ensure()
    point_rule_update(kind="quiz_passed", points=20, daily_cap=2, threshold=0, active=True)
    today = timezone.now()
    for key in ("a", "b", "c"):
        quiz(cast.rep_a1, key=key, when=today)
    assert _kinds(cast.rep_a1) == ["quiz_passed", "quiz_passed"]
    quiz(cast.rep_a1, key="c", when=today + timedelta(days=1))
    assert _kinds(cast.rep_a1).count("quiz_passed") == 3


def test_a_scenario_earns_points_only_when_aligned_with_the_top_rep(cast, points_of):
    scenario(cast.rep_a1, key="low", alignment=0.5)
    assert points_of(cast.rep_a1) == 0
    scenario(cast.rep_a1, key="high", alignment=0.85)
    scenario(cast.rep_a1, key="high", alignment=0.95)
    assert _kinds(cast.rep_a1) == ["scenario_aligned"]


def test_reviews_helpful_answers_and_live_sessions_earn_points(cast, points_of):
    review(cast.rep_a1, submission=1)
    review(cast.rep_a1, submission=1)
    recognition(cast.rep_a1, answer=7, kind="accepted")
    recognition(cast.rep_a1, answer=7, kind="upvoted", voter=2)
    attend(cast.rep_a1, session=3)
    assert _kinds(cast.rep_a1) == ["helpful_answer", "helpful_answer", "live_attended", "review_given"]
    assert points_of(cast.rep_a1) == 15 + 10 + 10 + 20


def test_a_withdrawn_vote_takes_its_points_back(cast, points_of):
    upvote = recognition(cast.rep_a1, answer=7, voter=2)
    assert points_of(cast.rep_a1) == 10
    void(cast.rep_a2, upvote)
    assert points_of(cast.rep_a1) == 0
    assert not PointAward.objects.filter(user=cast.rep_a1).exists()
    assert PeriodScore.objects.get(user=cast.rep_a1, period="w").points == 0


def test_learning_days_in_a_row_build_a_streak_with_points_from_the_second_day(cast, points_of):
    for days_ago in (3, 2, 1):
        attend(cast.rep_a1, session=days_ago, when=at(days_ago))
    score = RepScore.objects.get(user=cast.rep_a1)
    assert score.streak == 3
    assert _kinds(cast.rep_a1).count("streak_day") == 2
    attend(cast.rep_a1, session=9, when=at(0) + timedelta(days=2))  # a day missed
    assert RepScore.objects.get(user=cast.rep_a1).streak == 1


def test_principal_staff_and_inactive_rules_earn_nothing(cast, points_of):
    defaults_ensure()
    point_rule_update(kind="live_attended", points=20, daily_cap=3, threshold=0, active=False)
    attend(cast.rep_a1)
    review(cast.coach)
    assert points_of(cast.coach) == 0
    assert "live_attended" not in _kinds(cast.rep_a1)


def test_weekly_and_monthly_totals_follow_the_ledger(cast):
    quiz(cast.rep_a1, key="a")
    attend(cast.rep_a1)
    week = PeriodScore.objects.get(user=cast.rep_a1, period="w")
    month = PeriodScore.objects.get(user=cast.rep_a1, period="m")
    assert week.points == month.points == 40
    assert week.start.weekday() == 0 and month.start.day == 1
