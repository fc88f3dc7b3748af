"""The e-mails of agreements: managers' weekly digest of compliance gaps and the monthly report per agency."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kizuna.orgs.access import Role
from kizuna.orgs.models import Organization

from .exports import as_csv
from .models import ReportSent
from .selectors import (
    Compliance,
    RepLearningTime,
    compliance_for_partner,
    learning_time_for_partner,
    partner_managers,
    this_month,
)

User = get_user_model()
# A mail lists at most this many compliance gaps and counts the rest ("and N more").
GAPS_LISTED = 30


def _managers(partner: Organization) -> list[Any]:
    return partner_managers(partner)


def _principal_admins() -> list[Any]:
    return list(User.objects.filter(membership__role=Role.ADMIN, is_active=True).order_by("pk"))


def _once(*, kind: str, partner: Organization, recipient: Any, period: date) -> bool:
    """Claim the right to send this report; False when it went out already."""
    try:
        with transaction.atomic():
            ReportSent.objects.create(kind=kind, partner=partner, recipient=recipient, period=period)
    except IntegrityError:
        return False
    return True


def _send(
    *,
    recipient: Any,
    template: str,
    context: dict[str, Any],
    attachment_name: str = "",
    attachment_table: Callable[[], Any] | None = None,
) -> None:
    """Render an e-mail (plain text and HTML, and a CSV) in the recipient's language, and send it."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = render_to_string(f"agreements/email/{template}_subject.txt", context).strip()
        text = render_to_string(f"agreements/email/{template}.txt", context)
        html = render_to_string(f"agreements/email/{template}.html", context)
        attachment = as_csv(attachment_table()) if attachment_table is not None else None
    message = EmailMultiAlternatives(subject, text, None, [recipient.email])
    message.attach_alternative(html, "text/html")
    if attachment is not None:
        message.attach(attachment_name, attachment, "text/csv")
    message.send()


# --- Weekly digest ---------------------------------------------------------------------------------


def compliance_digests_send(*, now: datetime | None = None) -> int:
    """Weekly: e-mail each agency's managers the gaps of the running month; return how many went out."""
    now = now or timezone.now()
    week = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
    month = this_month(now)
    sent = 0
    for partner in Organization.objects.filter(kind=Organization.Kind.PARTNER).order_by("pk"):
        managers = _managers(partner)
        if not managers:
            continue
        compliance = compliance_for_partner(partner=partner, month=month, now=now)
        gaps = compliance.gaps
        if not gaps:
            continue
        for manager in managers:
            if not _once(kind=ReportSent.Kind.DIGEST, partner=partner, recipient=manager, period=week):
                continue
            _send(
                recipient=manager,
                template="digest",
                context={
                    "partner": partner,
                    "compliance": compliance,
                    "gaps": gaps[:GAPS_LISTED],
                    "more": max(0, len(gaps) - GAPS_LISTED),
                    "url": settings.SITE_URL + reverse("agreements:compliance") + f"?month={month:%Y-%m}",
                },
            )
            sent += 1
    return sent


# --- Monthly report --------------------------------------------------------------------------------


@dataclass
class MonthlyReport:
    partner: Organization
    month: date
    compliance: Compliance
    learning: list[RepLearningTime]
    kpis: list[dict[str, Any]]

    @property
    def learning_minutes(self) -> int:
        return round(sum(line.seconds for line in self.learning) / 60)

    @property
    def work_minutes(self) -> int:
        return round(sum(line.work_seconds for line in self.learning) / 60)

    @property
    def minutes_per_rep(self) -> int:
        return round(self.learning_minutes / len(self.learning)) if self.learning else 0


def kpi_summary(partner: Organization, month: date) -> list[dict[str, Any]]:
    """Return the KPI app's summary of the month, or nothing when that app is absent."""
    try:
        from kizuna.kpis.selectors import partner_kpi_summary  # type: ignore[import-not-found]
    except ImportError:
        return []
    return list(partner_kpi_summary(partner=partner, month=month))


def monthly_report(*, partner: Organization, month: date, now: datetime | None = None) -> MonthlyReport:
    return MonthlyReport(
        partner=partner,
        month=month,
        compliance=compliance_for_partner(partner=partner, month=month, now=now),
        learning=learning_time_for_partner(partner=partner, month=month),
        kpis=kpi_summary(partner, month),
    )


def _report_csv_table(report: MonthlyReport) -> tuple[list[str], list[list[Any]]]:
    from django.utils.translation import gettext as _

    work = {line.rep_id: line.work_minutes for line in report.learning}
    header = [
        _("Rep"),
        _("Team"),
        _("Required"),
        _("Finished"),
        _("Overdue"),
        _("Minutes learned"),
        _("Minimum minutes"),
        _("Counted as work (minutes)"),
        _("Gap"),
    ]
    rows = [
        [r.name, r.team_name, r.required, r.done, r.overdue, r.minutes, r.minimum, work.get(r.rep_id, 0)]
        + [_("yes") if r.has_gap else _("no")]
        for r in report.compliance.rows
    ]
    return header, rows


def monthly_report_send(*, partner: Organization, month: date, now: datetime | None = None) -> int:
    """E-mail one agency's report of a month to its managers and the principal's admins; return how many."""
    report = monthly_report(partner=partner, month=month, now=now)
    sent = 0
    for recipient in _managers(partner) + _principal_admins():
        if not _once(kind=ReportSent.Kind.MONTHLY, partner=partner, recipient=recipient, period=month):
            continue
        _send(
            recipient=recipient,
            template="monthly_report",
            context={
                "report": report,
                "gaps": report.compliance.gaps[:GAPS_LISTED],
                "more": max(0, len(report.compliance.gaps) - GAPS_LISTED),
            },
            attachment_name=f"kizuna-{partner.slug}-{month:%Y-%m}.csv",
            attachment_table=lambda: _report_csv_table(report),
        )
        sent += 1
    return sent


def monthly_reports_send(*, month: date | None = None, now: datetime | None = None) -> int:
    """Monthly: send every agency's report of the previous month (or the month given)."""
    now = now or timezone.now()
    month = month or (this_month(now) - timedelta(days=1)).replace(day=1)
    return sum(
        monthly_report_send(partner=partner, month=month, now=now)
        for partner in Organization.objects.filter(kind=Organization.Kind.PARTNER).order_by("pk")
    )
