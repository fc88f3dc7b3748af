"""Pages of agreements (admin writes, manager accepts), compliance and learning time, with their exports."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.audit.services import audit_export
from kizuna.catalog.selectors import published_courses
from kizuna.ops import charts
from kizuna.ops.errors import add_to_form, message_user
from kizuna.ops.navigation import next_url
from kizuna.ops.spreadsheets import CONTENT_TYPES, download_response
from kizuna.orgs.access import Role, access_partner_for_user, access_rep_for_user, membership_of, role_required

from . import exports
from .changes import version_changes
from .forms import AgreementVersionForm
from .selectors import (
    REPORT_ROLES,
    access_version_for_user,
    agreements_overview,
    compliance_for_partner,
    compliance_overview,
    incentive_rules,
    learning_time_for_partner,
    learning_time_for_rep,
    manager_may_export,
    month_end,
    parse_month,
    recent_months,
    report_partner_for_user,
    version_in_effect,
    versions_of,
)
from .services import AgreementError, agreement_version_accept, agreement_version_create

REPS_PER_PAGE = 100


# --- Agreements ------------------------------------------------------------------------------------


@role_required(Role.ADMIN)
def agreements(request: HttpRequest) -> HttpResponse:
    return render(request, "agreements/overview.html", {"rows": agreements_overview()})


@role_required(Role.ADMIN)
def agreement_partner(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access_partner_for_user(request.user, partner_id)
    return render(
        request,
        "agreements/partner.html",
        {"partner": partner, "versions": versions_of(partner), "incentive_rules": incentive_rules(partner)},
    )


@role_required(Role.ADMIN)
def agreement_version_new(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access_partner_for_user(request.user, partner_id)
    versions = versions_of(partner)
    previous = versions[0] if versions else None
    courses = list(published_courses())
    initial: dict[str, Any] = {"effective_from": timezone.localdate()}
    if previous is not None:
        initial.update(
            {field: getattr(previous, field) for field in AgreementVersionForm.Meta.fields if field != "effective_from"}
        )
        initial["effective_from"] = max(previous.effective_from, timezone.localdate())
    form = AgreementVersionForm(
        request.POST or None, initial=initial, courses=courses, previous=previous, prefix="agreement"
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                version = agreement_version_create(
                    partner=partner,
                    created_by=request.user,
                    courses=form.course_terms(),
                    **{field: data[field] for field in AgreementVersionForm.Meta.fields},
                )
        except AgreementError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Version %(number)s saved. The partner's manager is asked to accept it.")
                % {"number": version.number},
            )
            # From an agency's setup checklist, back to the checklist.
            return redirect(
                next_url(request)
                or reverse("agreements:agreement_version", kwargs={"agreement_version_id": version.pk})
            )
    return render(request, "agreements/version_form.html", {"partner": partner, "form": form, "previous": previous})


@role_required(Role.ADMIN, Role.MANAGER)
def agreement_version(request: HttpRequest, agreement_version_id: int) -> HttpResponse:
    version = access_version_for_user(request.user, agreement_version_id)
    m = membership_of(request.user)
    in_effect = version_in_effect(version.partner, timezone.localdate())
    return render(
        request,
        "agreements/version.html",
        {
            "version": version,
            "partner": version.partner,
            "courses": list(version.courses.select_related("course")),
            "incentive_rules": incentive_rules(version.partner),
            "in_effect": in_effect is not None and in_effect.pk == version.pk,
            "can_accept": m is not None and m.is_manager and not version.is_accepted,
            "changes": version_changes(version),
        },
    )


@role_required(Role.MANAGER)
@require_POST
def agreement_version_accept_view(request: HttpRequest, agreement_version_id: int) -> HttpResponse:
    version = access_version_for_user(request.user, agreement_version_id)
    try:
        agreement_version_accept(version=version, manager=request.user)
    except AgreementError as exc:
        message_user(request, exc)
    else:
        messages.success(request, _("You accepted version %(number)s of the agreement.") % {"number": version.number})
    return redirect("agreements:agreement_version", agreement_version_id=version.pk)


@role_required(Role.MANAGER)
def my_agreement(request: HttpRequest) -> HttpResponse:
    m = membership_of(request.user)
    assert m is not None
    partner = m.organization
    versions = versions_of(partner)
    current = version_in_effect(partner, timezone.localdate())
    return render(
        request,
        "agreements/mine.html",
        {
            "partner": partner,
            "versions": versions,
            "current": current,
            "pending": [v for v in versions if not v.is_accepted],
        },
    )


# --- Compliance ------------------------------------------------------------------------------------


def _month(request: HttpRequest) -> date:
    return parse_month(request.GET.get("month"))


@role_required(*REPORT_ROLES)
def compliance(request: HttpRequest) -> HttpResponse:
    m = membership_of(request.user)
    assert m is not None
    month = _month(request)
    if m.is_principal_staff:
        return render(
            request,
            "agreements/compliance_overview.html",
            {"rows": compliance_overview(month=month), "month": month, "months": recent_months()},
        )
    return _compliance_page(request, None, month)


@role_required(*REPORT_ROLES)
def compliance_for(request: HttpRequest, partner_id: int) -> HttpResponse:
    return _compliance_page(request, partner_id, _month(request))


def _compliance_page(request: HttpRequest, partner_id: int | None, month: date) -> HttpResponse:
    partner = report_partner_for_user(request.user, partner_id)
    data = compliance_for_partner(partner=partner, month=month)
    only_gaps = request.GET.get("gaps") == "1"
    # Gaps first (most overdue, then least time), so the reps to follow up with are on the first page.
    rows = sorted(
        data.gaps if only_gaps else data.rows, key=lambda r: (not r.has_gap, -r.overdue, r.minutes - r.expected_minutes)
    )
    page = Paginator(rows, REPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/compliance.html",
        {
            "partner": partner,
            "compliance": data,
            "rows": page.object_list,
            "lines": list(zip(page.object_list, _minutes_bars(page.object_list), strict=True)),
            "page_obj": page,
            "only_gaps": only_gaps,
            "month": month,
            "month_param": f"{month:%Y-%m}",
            "months": recent_months(),
            "may_export": manager_may_export(request.user, partner),
            "is_principal_view": partner_id is not None,
        },
    )


def _format(request: HttpRequest) -> str:
    return "xlsx" if request.GET.get("format") == "xlsx" else "csv"


@role_required(*REPORT_ROLES)
def compliance_export(request: HttpRequest, partner_id: int | None = None) -> HttpResponse:
    partner = report_partner_for_user(request.user, partner_id)
    if not manager_may_export(request.user, partner):
        raise Http404
    month, fmt = _month(request), _format(request)
    table = exports.compliance_table(compliance_for_partner(partner=partner, month=month))
    content = exports.as_xlsx(table, title=_("Compliance")) if fmt == "xlsx" else exports.as_csv(table)
    filename = f"compliance-{partner.slug}-{month:%Y-%m}.{fmt}"
    audit_export(filename=filename, organization_id=partner.pk)
    return download_response(content, filename=filename, content_type=CONTENT_TYPES[fmt])


# --- Learning time ---------------------------------------------------------------------------------


@role_required(*REPORT_ROLES)
def learning_time(request: HttpRequest) -> HttpResponse:
    m = membership_of(request.user)
    assert m is not None
    if m.is_principal_staff:
        return render(
            request, "agreements/learning_time_partners.html", {"rows": agreements_overview(), "month": _month(request)}
        )
    return _learning_time_page(request, None)


@role_required(*REPORT_ROLES)
def learning_time_for(request: HttpRequest, partner_id: int) -> HttpResponse:
    return _learning_time_page(request, partner_id)


def _learning_time_page(request: HttpRequest, partner_id: int | None) -> HttpResponse:
    partner = report_partner_for_user(request.user, partner_id)
    month = _month(request)
    # The days are read by the same query as the totals; they only draw each rep's strip.
    lines = learning_time_for_partner(partner=partner, month=month, with_days=True)
    page = Paginator(lines, REPS_PER_PAGE).get_page(request.GET.get("page"))
    strips = [_day_strip(line, month) for line in page.object_list]
    return render(
        request,
        "agreements/learning_time.html",
        {
            "partner": partner,
            "lines": page.object_list,
            "rows": list(zip(page.object_list, strips, strict=True)),
            "page_obj": page,
            "month": month,
            "month_param": f"{month:%Y-%m}",
            "months": recent_months(),
            "version": version_in_effect(partner, timezone.localdate()),
            "total_minutes": round(sum(line.seconds for line in lines) / 60),
            "work_minutes": round(sum(line.work_seconds for line in lines) / 60),
            "may_export": manager_may_export(request.user, partner),
            "is_principal_view": partner_id is not None,
        },
    )


def _minutes_bars(rows: Any) -> list[str]:
    """Each rep's minutes as a bar on one scale for the page, with a tick at what they should have by now."""
    high = max((max(row.minutes, row.minimum) for row in rows), default=0)
    return [
        charts.bullet(
            title=_("Minutes learned: %(minutes)s of %(expected)s expected by now")
            % {"minutes": row.minutes, "expected": row.expected_minutes},
            value=row.minutes,
            target=row.expected_minutes if row.minimum else None,
            high=high,
            color=charts.ORANGE if row.minutes_short else charts.GREEN,
        )
        for row in rows
    ]


def _month_days(month: date) -> list[date]:
    return [month + timedelta(days=n) for n in range(month_end(month).day)]


def _day_strip(line: Any, month: date) -> str:
    """One rep's minutes on each day of the month, as a strip of shaded cells (darkest at 60 minutes or more)."""
    minutes = {d.day: d.minutes for d in line.days}
    days = _month_days(month)
    return charts.heat_strip(
        title=_("Minutes learned per day: %(name)s") % {"name": line.name},
        values=[minutes.get(day, 0) for day in days],
        labels=[f"{day.month}/{day.day}" for day in days],
        high=60,
    )


def _day_columns(line: Any, month: date) -> str:
    """One rep's minutes on each day of the month, split into what counts as work time and what does not."""
    by_day = {d.day: d for d in line.days}
    days = _month_days(month)
    work = [by_day[day].work_minutes if day in by_day else 0 for day in days]
    other = [max(by_day[day].minutes - by_day[day].work_minutes, 0) if day in by_day else 0 for day in days]
    return charts.column_chart(
        title=_("Minutes learned per day"),
        labels=[str(day.day) for day in days],
        series=[
            charts.Series(_("Counted as work (minutes)"), work, charts.GREEN),
            charts.Series(_("Not counted as work (minutes)"), other, charts.GREY),
        ],
        label_every=5,
    )


@role_required(*REPORT_ROLES)
def learning_time_export(request: HttpRequest, partner_id: int | None = None) -> HttpResponse:
    partner = report_partner_for_user(request.user, partner_id)
    if not manager_may_export(request.user, partner):
        raise Http404
    month, fmt = _month(request), _format(request)
    table = exports.learning_time_table(learning_time_for_partner(partner=partner, month=month, with_days=True))
    content = exports.as_xlsx(table, title=_("Learning time")) if fmt == "xlsx" else exports.as_csv(table)
    filename = f"learning-time-{partner.slug}-{month:%Y-%m}.{fmt}"
    audit_export(filename=filename, organization_id=partner.pk)
    return download_response(content, filename=filename, content_type=CONTENT_TYPES[fmt])


@role_required(*REPORT_ROLES)
def learning_time_rep(request: HttpRequest, rep_id: int) -> HttpResponse:
    rep = access_rep_for_user(request.user, rep_id)
    month = _month(request)
    line = learning_time_for_rep(rep=rep, month=month)
    return render(
        request,
        "agreements/learning_time_rep.html",
        {
            "rep": rep,
            "line": line,
            "chart": _day_columns(line, month),
            "month": month,
            "months": recent_months(),
        },
    )
