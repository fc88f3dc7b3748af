"""Compliance rules on known histories: required work done and overdue, minutes against the minimum,
and the principal's overview agreeing with each partner's page."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import publish_course
from kizuna.agreements.selectors import compliance_for_partner, compliance_overview, this_month
from kizuna.catalog.services import assignment_create
from kizuna.records.services import lesson_complete
from kizuna.records.time_reports import lesson_time_record

from .helpers import write_version


def _course(cast, slug, **target):
    return publish_course(
        cast,
        slug=slug,
        title=slug,
        lessons=[{"kind": "article", "title": "本文", "body": "本文です。"}],
        **target,
    )


@pytest.fixture
def history(cast):
    """Partner-wide, team and personal required work, overlapping, some finished, some overdue."""
    wide_late = _course(cast, "wide-late", due_in_days=-3)  # partner A, overdue
    wide_open = _course(cast, "wide-open", due_in_days=10)  # partner A, not due yet
    team_late = _course(cast, "team-late", due_in_days=-1, team=cast.team_a2)  # only rep_a2's team
    # The open course again for rep_a1 alone, with an earlier (past) due date: overdue for rep_a1 only.
    assignment_create(
        course=wide_open,
        assigned_by=cast.admin,
        required=True,
        due_at=timezone.now() - timedelta(days=2),
        rep=cast.rep_a1,
    )
    _course(cast, "b-late", due_in_days=-3, partner=cast.partner_b)
    write_version(cast, min_minutes_per_month=60, effective_from=timezone.localdate() - timedelta(days=70))
    write_version(cast, partner=cast.partner_b, min_minutes_per_month=0)
    lesson = wide_late.latest_version.lessons.first()
    lesson_complete(rep=cast.rep_a1, lesson=lesson)  # rep_a1 finished the overdue one
    # rep_a2 learns 80 minutes on the first day of this month, from 10:00.
    start = datetime.combine(this_month(), time(10, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    for n in range(40):
        lesson_time_record(rep=cast.rep_a2, lesson=lesson, seconds=120, timestamp=start + timedelta(minutes=2 * n))
    return {"team_late": team_late}


def test_each_rep_has_their_required_work_done_and_overdue(cast, history):
    rows = {r.rep_id: r for r in compliance_for_partner(partner=cast.partner_a, month=this_month()).rows}
    a1, a2 = rows[cast.rep_a1.pk], rows[cast.rep_a2.pk]
    assert (a1.required, a1.done, a1.overdue) == (2, 1, 1)  # wide-late done, wide-open overdue through its own due
    assert a1.overdue_titles == ["wide-open"]
    assert (a2.required, a2.done, a2.overdue) == (3, 0, 2)  # wide-late and team-late overdue
    assert a2.minutes == 80 and not a2.minutes_short
    assert a1.minutes == 0 and a1.has_gap


def test_a_past_month_is_judged_at_its_end(cast, history):
    last_month = (this_month() - timedelta(days=1)).replace(day=1)
    rows = {r.rep_id: r for r in compliance_for_partner(partner=cast.partner_a, month=last_month).rows}
    # Nothing was finished by the end of last month, and no minutes: the full minimum is missing.
    assert rows[cast.rep_a1.pk].done == 0 and rows[cast.rep_a1.pk].minutes == 0
    assert rows[cast.rep_a1.pk].expected_minutes == 60 and rows[cast.rep_a1.pk].minutes_short


def test_the_overview_agrees_with_each_partners_page(cast, history):
    month = this_month()
    overview = {row.partner.pk: row for row in compliance_overview(month=month)}
    for partner in (cast.partner_a, cast.partner_b):
        page = compliance_for_partner(partner=partner, month=month)
        row = overview[partner.pk]
        assert (row.reps, row.required, row.done, row.overdue, row.below_minimum) == (
            len(page.rows),
            page.required,
            page.done,
            page.overdue,
            page.below_minimum,
        )
    assert overview[cast.partner_a.pk].overdue == 3
