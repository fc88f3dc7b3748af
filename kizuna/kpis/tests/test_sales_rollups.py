from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from kizuna.kpis import rollups
from kizuna.kpis.models import CompletionSnapshot, SalesMonth
from kizuna.orgs.models import Membership
from kizuna.records import services as records

from . import builders

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


def _rows() -> list[tuple[Any, ...]]:
    return sorted(
        SalesMonth.objects.values_list("partner_id", "month", "reps", "calls", "appointments", "deals", "revenue")
    )


def test_every_load_keeps_the_agency_months_and_the_rebuild_agrees(cast: Any) -> None:
    builders.figures(cast.admin, cast.rep_a1, SEP, 100, 10, 2, 1000)
    builders.figures(cast.admin, cast.rep_a2, SEP, 50, 10, 1, 500)
    builders.figures(cast.admin, cast.rep_b1, OCT, 10, 1, 1, 5)
    builders.figures(cast.admin, cast.rep_a1, SEP, 80, 8, 2, 900)  # an update
    live = _rows()
    assert (cast.partner_a.pk, SEP, 2, 130, 18, 3, 1400) in live
    rollups.sales_months_rebuild()
    assert _rows() == live


def test_a_rep_who_moved_agency_leaves_the_old_agency_month(cast: Any) -> None:
    builders.figures(cast.admin, cast.rep_a1, SEP, 100, 10, 2, 1000)
    Membership.objects.filter(user=cast.rep_a1).update(organization=cast.partner_b, team=cast.team_b1)
    cast.rep_a1.refresh_from_db()
    builders.figures(cast.admin, cast.rep_a1, SEP, 100, 10, 2, 1000)
    assert [row[0] for row in _rows()] == [cast.partner_b.pk]
    live = _rows()
    rollups.sales_months_rebuild()
    assert _rows() == live


def test_the_completion_snapshot_counts_required_courses_and_refreshes_when_stale(
    cast: Any, article_course: Any
) -> None:
    snapshots = rollups.completion_for(partners=[cast.partner_a])
    agency = snapshots[(cast.partner_a.pk, None)]
    assert (agency.required, agency.completed, agency.reps) == (2, 0, 2)
    for lesson in article_course.latest_version.lessons.all():
        records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    CompletionSnapshot.objects.update(computed_at=timezone.now() - rollups.COMPLETION_MAX_AGE - timedelta(minutes=1))
    snapshots = rollups.completion_for(partners=[cast.partner_a])
    assert snapshots[(cast.partner_a.pk, None)].completed == 1
    assert snapshots[(cast.partner_a.pk, cast.team_a1.pk)].rate == 100.0
    assert snapshots[(cast.partner_a.pk, cast.team_a2.pk)].rate == 0.0


def test_a_months_rebuild_redoes_that_months_rows_only(cast: Any) -> None:
    builders.figures(cast.admin, cast.rep_a1, SEP, 100, 10, 2, 1000)
    builders.figures(cast.admin, cast.rep_b1, SEP, 10, 1, 1, 5)
    builders.figures(cast.admin, cast.rep_a1, OCT, 50, 5, 1, 500)
    live = _rows()
    SalesMonth.objects.update(calls=0)
    assert rollups.sales_months_rebuild_month(SEP) == 2
    assert [row for row in _rows() if row[1] == SEP] == [row for row in live if row[1] == SEP]
    assert SalesMonth.objects.get(month=OCT).calls == 0  # another month: untouched
