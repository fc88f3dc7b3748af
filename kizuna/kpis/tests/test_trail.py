"""Loading sales figures is recorded in the audit trail, one entry per agency whose figures were loaded."""

from datetime import date
from typing import Any

from kizuna.audit.models import AuditEntry
from kizuna.kpis import services


def _row(line: int, rep: Any, month: str, deals: int) -> tuple[int, dict[str, Any]]:
    values = {"rep_email": rep.email, "month": month, "product": "", "calls": 10, "appointments": 5, "deals": deals}
    return line, {**values, "revenue": 0}


def test_a_load_of_sales_figures_is_recorded_per_agency(cast: Any) -> None:
    month = date.today().replace(day=1).strftime("%Y-%m")
    services.sales_figures_upsert(rows=[_row(1, cast.rep_a1, month, 1)], by=cast.admin, source="import")
    services.sales_figures_upsert(
        rows=[_row(1, cast.rep_a1, month, 2), _row(2, cast.rep_a2, month, 1), _row(3, cast.rep_b1, month, 4)],
        by=cast.admin,
        source="api",
    )
    entries = list(AuditEntry.objects.filter(action="kpi.import").order_by("pk"))
    assert [(e.organization_id, e.after["created"], e.after["updated"]) for e in entries] == [
        (cast.partner_a.pk, 1, 0),
        (cast.partner_a.pk, 1, 1),
        (cast.partner_b.pk, 1, 0),
    ]
    assert entries[-1].after == {"source": "api", "created": 1, "updated": 0, "months": [month]}
    assert all(e.actor_id == cast.admin.pk for e in entries)


def test_a_refused_load_records_nothing(cast: Any) -> None:
    import pytest

    with pytest.raises(services.KpiImportError):
        services.sales_figures_upsert(rows=[_row(1, cast.rep_a1, "not a month", 1)], by=cast.admin, source="import")
    assert not AuditEntry.objects.filter(action="kpi.import").exists()


def test_setting_and_clearing_an_agencys_kpi_target_is_recorded(cast: Any) -> None:
    services.kpi_target_set(partner=cast.partner_b, metric="completion", value=80, by=cast.admin)
    services.kpi_target_set(partner=cast.partner_b, metric="completion", value=90, by=cast.admin)
    services.kpi_target_set(partner=cast.partner_b, metric="completion", value=90, by=cast.admin)  # no change
    services.kpi_target_clear(partner=cast.partner_b, metric="completion")
    entries = list(AuditEntry.objects.filter(action="kpi_target.update").order_by("pk"))
    assert [(e.before.get("value"), e.after.get("value")) for e in entries] == [(None, 80), (80, 90), (90, None)]
    assert {e.organization_id for e in entries} == {cast.partner_b.pk}
