"""Statuses, merging of assignments and the partner figures, computed from real statements."""

from datetime import timedelta

from django.utils import timezone

from kizuna.analytics import selectors
from kizuna.analytics.selectors import ProgressStatus

from .builders import add_rep, assign, learn, start


def _by_pair(rows):
    return {(r.rep_id, r.course_title): r for r in rows}


def test_it_computes_each_status_from_progress_and_due_dates(cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a, due_in_days=7)
    assign(cast, courses["closing"], partner=cast.partner_a, due_in_days=-1)
    learn(cast.rep_a1, courses["basics"], lessons=2)
    learn(cast.rep_a1, courses["closing"], lessons=1)
    learn(cast.rep_a2, courses["basics"], lessons=1)

    rows = _by_pair(selectors.partner_progress_rows(partner=cast.partner_a))

    finished = rows[(cast.rep_a1.pk, "製品の基本")]
    assert finished.status == ProgressStatus.COMPLETED
    assert finished.percent == 100 and finished.completed_at is not None
    assert finished.time_spent_minutes == 2
    assert rows[(cast.rep_a1.pk, "クロージング")].status == ProgressStatus.OVERDUE
    assert rows[(cast.rep_a1.pk, "クロージング")].percent == 25
    assert rows[(cast.rep_a2.pk, "製品の基本")].status == ProgressStatus.IN_PROGRESS
    assert rows[(cast.rep_a2.pk, "製品の基本")].percent == 50
    assert rows[(cast.rep_a2.pk, "クロージング")].status == ProgressStatus.OVERDUE
    assert rows[(cast.rep_a2.pk, "クロージング")].last_activity_at is None


def test_a_course_not_yet_opened_is_not_started(cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    start(cast.rep_a1, courses["basics"])

    rows = _by_pair(selectors.partner_progress_rows(partner=cast.partner_a))

    assert rows[(cast.rep_a1.pk, "製品の基本")].status == ProgressStatus.IN_PROGRESS
    assert rows[(cast.rep_a1.pk, "製品の基本")].percent == 0
    assert rows[(cast.rep_a2.pk, "製品の基本")].status == ProgressStatus.NOT_STARTED


def test_an_optional_course_past_its_due_date_is_not_overdue(cast, courses):
    assign(cast, courses["values"], partner=cast.partner_a, required=False, due_in_days=-3)

    row = selectors.partner_progress_rows(partner=cast.partner_a)[0]

    assert row.required is False
    assert row.status == ProgressStatus.NOT_STARTED


def test_team_and_rep_assignments_reach_only_their_reps(cast, courses):
    assign(cast, courses["closing"], team=cast.team_a1)
    assign(cast, courses["values"], rep=cast.rep_a2, required=False, due_in_days=None)

    pairs = {(r.rep_id, r.course_title) for r in selectors.partner_progress_rows(partner=cast.partner_a)}

    # The manager is in team A1 but is not a rep: only reps get rows.
    assert pairs == {(cast.rep_a1.pk, "クロージング"), (cast.rep_a2.pk, "行動指針")}


def test_required_beats_optional_and_the_earliest_due_date_wins(cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a, required=False, due_in_days=1)
    assign(cast, courses["basics"], team=cast.team_a1, required=True, due_in_days=20)
    assign(cast, courses["basics"], rep=cast.rep_a1, required=True, due_in_days=10)

    rows = _by_pair(selectors.partner_progress_rows(partner=cast.partner_a))

    a1 = rows[(cast.rep_a1.pk, "製品の基本")]
    assert a1.required is True
    assert abs(a1.due_at - (timezone.now() + timedelta(days=10))) < timedelta(minutes=1)
    a2 = rows[(cast.rep_a2.pk, "製品の基本")]
    assert a2.required is False
    assert len([r for r in rows.values() if r.rep_id == cast.rep_a1.pk]) == 1


def test_the_team_filter_keeps_only_that_teams_reps(cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)

    rows = selectors.partner_progress_rows(partner=cast.partner_a, team=cast.team_a2)

    assert [r.rep_id for r in rows] == [cast.rep_a2.pk]
    assert rows[0].team_name == "大阪チーム"


def test_inactive_reps_and_other_partners_reps_are_left_out(cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    assign(cast, courses["basics"], partner=cast.partner_b)
    cast.rep_a2.is_active = False
    cast.rep_a2.save()

    rows = selectors.partner_progress_rows(partner=cast.partner_a)

    assert [r.rep_id for r in rows] == [cast.rep_a1.pk]


def test_the_summary_counts_required_work_overdue_and_learning_time(cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a, due_in_days=7)
    assign(cast, courses["closing"], team=cast.team_a2, due_in_days=-2)
    assign(cast, courses["values"], partner=cast.partner_a, required=False, due_in_days=None)
    learn(cast.rep_a1, courses["basics"], lessons=2, seconds=90)  # 2 × 90 s
    start(cast.rep_a2, courses["closing"], seconds=300)  # counted as 120 s at most

    summary = selectors.partner_summary(partner=cast.partner_a)

    assert summary.reps == 2
    assert summary.active_reps_7d == 2
    assert summary.required_count == 3  # basics × 2 reps + closing × rep_a2
    assert summary.required_completed == 1
    assert summary.completion_percent == 33
    assert summary.overdue == 1
    assert summary.avg_minutes_per_rep == round((180 + 120) / 60 / 2)
    assert summary.last_activity_at is not None


def test_a_partner_with_nothing_assigned_has_no_completion_rate(cast):
    summary = selectors.partner_summary(partner=cast.partner_b)

    assert summary.reps == 1
    assert summary.completion_rate is None
    assert summary.avg_minutes_per_rep == 0
    assert summary.last_activity_at is None


def test_activity_older_than_a_week_is_not_counted_as_active(cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    start(cast.rep_a1, courses["basics"])

    summary = selectors.partner_summary(partner=cast.partner_a, now=timezone.now() + timedelta(days=8))

    assert summary.active_reps_7d == 0
    assert summary.learning_seconds_30d == 60


def test_the_comparison_gives_each_partner_its_own_figures(cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    assign(cast, courses["basics"], partner=cast.partner_b)
    learn(cast.rep_b1, courses["basics"], lessons=2)

    a, b = selectors.partners_comparison(partners=[cast.partner_a, cast.partner_b])

    assert (a.partner, a.reps, a.required_count, a.required_completed) == (cast.partner_a, 2, 2, 0)
    assert (b.partner, b.reps, b.required_count, b.required_completed) == (cast.partner_b, 1, 1, 1)
    assert a.active_reps_7d == 0 and b.active_reps_7d == 1


def test_the_comparison_runs_the_same_queries_for_many_partners(cast, courses, django_assert_num_queries):
    from kizuna.orgs.models import Organization

    assign(cast, courses["basics"], partner=cast.partner_a)
    with django_assert_num_queries(5):
        selectors.partners_comparison(partners=[cast.partner_a, cast.partner_b])
    more = [Organization.objects.create(name=f"P{n}", slug=f"p{n}", kind="partner") for n in range(5)]
    for n, partner in enumerate(more):
        add_rep(cast, n, partner=partner)
        assign(cast, courses["closing"], partner=partner)
    with django_assert_num_queries(5):
        result = selectors.partners_comparison(partners=[cast.partner_a, cast.partner_b, *more])
    assert [s.reps for s in result] == [2, 1, 1, 1, 1, 1, 1]


def test_rep_progress_lists_assigned_and_self_study_courses_with_their_lessons(cast, courses):
    assign(cast, courses["closing"], team=cast.team_a1, due_in_days=-1)
    assign(cast, courses["basics"], rep=cast.rep_a1, required=False, due_in_days=None)
    learn(cast.rep_a1, courses["closing"], lessons=1)
    start(cast.rep_a1, courses["values"])  # not assigned: self-study

    result = selectors.rep_progress(rep=cast.rep_a1)

    assert [(c.title, c.assigned, c.required, c.status) for c in result] == [
        ("クロージング", True, True, ProgressStatus.OVERDUE),
        ("製品の基本", True, False, ProgressStatus.NOT_STARTED),
        ("行動指針", False, False, ProgressStatus.IN_PROGRESS),
    ]
    closing = result[0]
    assert [lesson.status for lesson in closing.lessons] == [
        ProgressStatus.COMPLETED,
        ProgressStatus.NOT_STARTED,
        ProgressStatus.NOT_STARTED,
        ProgressStatus.NOT_STARTED,
    ]
    assert closing.lessons_completed == 1 and closing.percent == 25
    assert result[2].lessons[0].status == ProgressStatus.IN_PROGRESS


def test_the_rows_take_three_queries_whatever_the_number_of_reps(cast, courses, django_assert_num_queries):
    assign(cast, courses["basics"], partner=cast.partner_a)
    assign(cast, courses["closing"], team=cast.team_a1)
    with django_assert_num_queries(3):
        assert len(selectors.partner_progress_rows(partner=cast.partner_a)) == 3
    for n in range(10):
        add_rep(cast, n, team=cast.team_a1)
    with django_assert_num_queries(3):
        assert len(selectors.partner_progress_rows(partner=cast.partner_a)) == 23
