"""Rollups of the KPI board that are not statement projections: sales per agency and month, and completion.

- SalesMonth sums SalesFigure per agency and month; every load refreshes the months it touched, inside its
  transaction, and ``sales_months_rebuild`` derives the whole table again from SalesFigure.
- CompletionSnapshot counts required courses finished per agency and team with the progress dashboards' own
  selector; ``completion_refresh`` recomputes it (a recurring job every COMPLETION_MAX_AGE, and at once for a
  board that finds it missing or older than that).
"""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from kizuna.analytics.selectors import ProgressStatus, partner_progress_rows
from kizuna.orgs.models import Organization
from kizuna.orgs.selectors import active_rep_memberships

from .models import CompletionSnapshot, SalesFigure, SalesMonth

COMPLETION_MAX_AGE = timedelta(minutes=15)
SUMS = ("calls", "appointments", "deals", "revenue")


def _aggregate(
    pairs: Iterable[tuple[int, date]] | None, *, partner_id: int | None = None, month: date | None = None
) -> list[SalesMonth]:
    figures = SalesFigure.objects.all()
    if partner_id is not None:
        figures = figures.filter(partner_id=partner_id)
    if month is not None:
        figures = figures.filter(period=month)
    wanted = None
    if pairs is not None:
        wanted = set(pairs)
        figures = figures.filter(partner_id__in={p for p, _m in wanted}, period__in={m for _p, m in wanted})
    rows = (
        figures.order_by()
        .values("partner_id", "period")
        .annotate(n=Count("rep_id", distinct=True), **{f"s_{name}": Sum(name) for name in SUMS})
    )
    return [
        SalesMonth(
            partner_id=row["partner_id"],
            month=row["period"],
            reps=row["n"],
            **{name: row[f"s_{name}"] or 0 for name in SUMS},
        )
        for row in rows
        if wanted is None or (row["partner_id"], row["period"]) in wanted
    ]


def sales_months_refresh(*, pairs: set[tuple[int, date]]) -> None:
    """Recompute the rollup rows of these (agency, month) pairs from the figures (inside the load's transaction)."""
    if not pairs:
        return
    SalesMonth.objects.filter(partner_id__in={p for p, _m in pairs}, month__in={m for _p, m in pairs}).delete()
    SalesMonth.objects.bulk_create(_aggregate(pairs))


def sales_months_rebuild() -> int:
    """Throw the rollup away and derive it again from every sales figure."""
    with transaction.atomic():
        SalesMonth.objects.all().delete()
        rows = _aggregate(None)
        SalesMonth.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def sales_months_rebuild_partner(partner_id: int, _rep_ids: list[int]) -> int:
    """Derive one agency's rollup rows again from its figures (a partner's rebuild); other agencies' stay."""
    SalesMonth.objects.filter(partner_id=partner_id).delete()
    rows = _aggregate(None, partner_id=partner_id)
    SalesMonth.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def sales_months_rebuild_month(month: date) -> int:
    """Derive one month's rollup rows (every agency's) again from that month's figures."""
    SalesMonth.objects.filter(month=month).delete()
    rows = _aggregate(None, month=month)
    SalesMonth.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def completion_refresh(*, partners: Sequence[Organization]) -> list[CompletionSnapshot]:
    """Recount required courses finished per agency and team, from the progress dashboards' selector."""
    now = timezone.now()
    made = []
    for partner in partners:
        counts: dict[int | None, list[int]] = {None: [0, 0]}
        for row in partner_progress_rows(partner=partner, now=now):
            if not row.required:
                continue
            done = row.status == ProgressStatus.COMPLETED
            for key in (None, row.team_id):
                pair = counts.setdefault(key, [0, 0])
                pair[0] += done
                pair[1] += 1
        reps = dict(
            active_rep_memberships(partner_ids=[partner.pk])
            .order_by()
            .values("team_id")
            .annotate(n=Count("pk"))
            .values_list("team_id", "n")
        )
        rows = [
            CompletionSnapshot(
                partner=partner,
                team_id=team_id,
                reps=sum(reps.values()) if team_id is None else reps.get(team_id, 0),
                completed=counts.get(team_id, [0, 0])[0],
                required=counts.get(team_id, [0, 0])[1],
                computed_at=now,
            )
            for team_id in {None, *(k for k in counts if k is not None), *(k for k in reps if k is not None)}
        ]
        with transaction.atomic():
            CompletionSnapshot.objects.filter(partner=partner).delete()
            CompletionSnapshot.objects.bulk_create(rows)
        made += rows
    return made


def completion_for(*, partners: Sequence[Organization]) -> dict[tuple[int, int | None], CompletionSnapshot]:
    """Return {(agency id, team id or None): snapshot}, refreshing agencies whose snapshot is missing or stale."""
    snapshots = {
        (s.partner_id, s.team_id): s for s in CompletionSnapshot.objects.filter(partner__in=[p.pk for p in partners])
    }
    limit = timezone.now() - COMPLETION_MAX_AGE
    stale = [p for p in partners if (p.pk, None) not in snapshots or snapshots[(p.pk, None)].computed_at < limit]
    for s in completion_refresh(partners=stale):
        snapshots[(s.partner_id, s.team_id)] = s
    return snapshots


def completion_refresh_partner(partner_id: int, _rep_ids: list[int]) -> int:
    """Recount one agency's snapshot (a partner's rebuild, after its reps' progress was derived again)."""
    return len(completion_refresh(partners=list(Organization.objects.filter(pk=partner_id))))


def completion_refresh_all() -> int:
    return len(completion_refresh(partners=list(Organization.objects.filter(kind=Organization.Kind.PARTNER))))
