"""Progress dashboards: a partner's reps × courses, the principal's partners side by side, one rep's detail."""

from dataclasses import replace
from typing import Any

import pygal
from csp.decorators import csp_replace
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page

from kizuna.audit.services import audit_export
from kizuna.ops import charts
from kizuna.ops.spreadsheets import csv_response
from kizuna.orgs.access import (
    Role,
    access_partner_for_user,
    access_rep_for_user,
    can_see_rep_records,
    membership_of,
    role_required,
    visible_partners,
    visible_teams,
)
from kizuna.orgs.models import Organization, Team

from . import selectors

# --- One partner's dashboard, reached two ways ---------------------------------------------------


REPS_PER_PAGE = 50


def _team_filter(request: HttpRequest, partner: Organization) -> tuple[list[Team], Team | None]:
    """Return the partner's teams the user may see and the one chosen with ?team= (404 if not one of them)."""
    teams = list(visible_teams(request.user).filter(organization=partner).order_by("name", "pk"))
    raw = request.GET.get("team", "")
    if not raw:
        return teams, None
    chosen = next((t for t in teams if str(t.pk) == raw), None)
    if chosen is None:
        raise Http404
    return teams, chosen


def _sort(request: HttpRequest) -> str:
    sort = request.GET.get("sort", "name")
    return sort if sort in selectors.SORTS else "name"


def _dashboard(request: HttpRequest, partner: Organization, *, csv_url: str) -> HttpResponse:
    teams, team = _team_filter(request, partner)
    sort = _sort(request)
    dashboard = selectors.partner_dashboard(partner=partner, team=team, sort=sort)
    # Everyone counts in the summary and the sort; one page of reps is drawn (a 500-rep partner is 10 pages).
    page = Paginator(dashboard.matrix.reps, REPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "analytics/dashboard.html",
        {
            "partner": partner,
            "teams": teams,
            "team": team,
            "sort": sort,
            "sorts": [
                ("name", _("By name")),
                ("overdue", _("Most overdue first")),
                ("last_activity", _("Least recently active first")),
            ],
            "summary": dashboard.summary,
            "matrix": replace(dashboard.matrix, reps=list(page.object_list)),
            "page_obj": page,
            "csv_url": f"{csv_url}?team={team.pk}" if team else csv_url,
            "is_principal_view": not getattr(membership_of(request.user), "is_manager", False),
        },
    )


def _dashboard_csv(request: HttpRequest, partner: Organization) -> HttpResponse:
    _teams, team = _team_filter(request, partner)
    rows = selectors.partner_progress_rows(partner=partner, team=team)
    stamp = timezone.localtime().strftime("%Y%m%d")
    header = [
        _("Rep"),
        _("E-mail"),
        _("Team"),
        _("Course"),
        _("Required/optional"),
        _("Due"),
        _("Status"),
        _("Progress (%)"),
        _("Finished at"),
        _("Last activity at"),
        _("Learning time (minutes)"),
    ]
    lines = (
        [
            row.rep_name,
            row.rep_email,
            row.team_name,
            row.course_title,
            _("Required") if row.required else _("Optional"),
            _csv_time(row.due_at),
            row.status_label,
            row.percent,
            _csv_time(row.completed_at),
            _csv_time(row.last_activity_at),
            row.time_spent_minutes,
        ]
        for row in rows
    )
    audit_export(filename=f"progress-{partner.slug}-{stamp}.csv", organization_id=partner.pk)
    return csv_response(header, lines, filename=f"progress-{partner.slug}-{stamp}.csv")


def _csv_time(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


# The matrix of a 500-rep partner is a few hundred kB of repetitive HTML: compress it for phones.
@gzip_page
@role_required(Role.MANAGER)
def partner_dashboard(request: HttpRequest) -> HttpResponse:
    partner = membership_of(request.user).organization  # type: ignore[union-attr]
    return _dashboard(request, partner, csv_url=reverse("analytics:partner_dashboard_csv"))


@role_required(Role.MANAGER)
def partner_dashboard_csv(request: HttpRequest) -> HttpResponse:
    return _dashboard_csv(request, membership_of(request.user).organization)  # type: ignore[union-attr]


def _redirect_own_manager(request: HttpRequest, name: str) -> HttpResponse | None:
    """Send a manager who opened their own partner's principal URL to their own dashboard."""
    m = membership_of(request.user)
    if m is not None and m.is_manager:
        url = reverse(name)
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    return None


@gzip_page
@role_required(Role.ADMIN, Role.COACH, Role.MANAGER)
def partner_dashboard_for(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access_partner_for_user(request.user, partner_id)
    own = _redirect_own_manager(request, "analytics:partner_dashboard")
    if own is not None:
        return own
    return _dashboard(request, partner, csv_url=reverse("analytics:partner_dashboard_for_csv", args=[partner.pk]))


@role_required(Role.ADMIN, Role.COACH, Role.MANAGER)
def partner_dashboard_for_csv(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access_partner_for_user(request.user, partner_id)
    own = _redirect_own_manager(request, "analytics:partner_dashboard_csv")
    if own is not None:
        return own
    return _dashboard_csv(request, partner)


# --- The principal's comparison -------------------------------------------------------------------


@role_required(Role.ADMIN, Role.COACH, Role.AUTHOR)
def principal_dashboard(request: HttpRequest) -> HttpResponse:
    summaries = selectors.partners_comparison(partners=visible_partners(request.user).order_by("name", "pk"))
    return render(
        request,
        "analytics/principal_dashboard.html",
        {
            "summaries": summaries,
            "chart_size": chart_size(len(summaries)),
            "can_open_partners": can_see_rep_records(request.user),
        },
    )


@csp_replace(charts.SVG_CSP)
@role_required(Role.ADMIN, Role.COACH, Role.AUTHOR)
def principal_completion_svg(request: HttpRequest) -> HttpResponse:
    summaries = selectors.partners_comparison(partners=visible_partners(request.user).order_by("name", "pk"))
    return charts.svg_response(completion_chart(summaries))


CHART_WIDTH = 520


def chart_size(partners: int) -> tuple[int, int]:
    return CHART_WIDTH, 110 + 40 * max(partners, 1)


def completion_chart(summaries: list[selectors.PartnerSummary]) -> str:
    """Draw the required-work completion rate of each partner as a horizontal bar chart (SVG)."""
    width, height = chart_size(len(summaries))
    chart = pygal.HorizontalBar(
        style=charts.chart_style(colors=(charts.GREEN,)),
        js=[],
        width=width,
        height=height,
        margin_left=charts.label_margin(s.partner.name for s in summaries),
        **charts.percent_axis(len(summaries)),
        show_legend=False,
        print_values=True,
        print_zeroes=True,
        truncate_label=charts.LABEL_LENGTH,
        value_formatter=lambda v: f"{v:.0f}%",
        no_data_text=_("No partners yet"),
    )
    chart.title = _("Completion rate of required courses (%)")
    # pygal draws the first value at the bottom; reverse so the chart reads like the table.
    ordered = list(reversed(summaries))
    chart.x_labels = [s.partner.name for s in ordered]
    if summaries:
        chart.add(_("Completion rate"), [s.completion_percent for s in ordered])
    return chart.render(is_unicode=True)


# --- One rep ----------------------------------------------------------------------------------------


@role_required(Role.ADMIN, Role.COACH, Role.MANAGER)
def rep_detail(request: HttpRequest, rep_id: int) -> HttpResponse:
    rep = access_rep_for_user(request.user, rep_id)
    courses = selectors.rep_progress(rep=rep)
    if membership_of(request.user).is_manager:  # type: ignore[union-attr]
        back_url = reverse("analytics:partner_dashboard")
    else:
        back_url = reverse("analytics:partner_dashboard_for", args=[rep.membership.organization_id])
    return render(
        request,
        "analytics/rep_detail.html",
        {
            "rep": rep,
            "courses": courses,
            "back_url": back_url,
            "completed": sum(1 for c in courses if c.assigned and c.status == selectors.ProgressStatus.COMPLETED),
            "assigned": sum(1 for c in courses if c.assigned),
        },
    )
