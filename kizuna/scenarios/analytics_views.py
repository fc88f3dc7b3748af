"""Thinking like a top rep: how closely reps choose like the top rep, per rep and team (managers), per partner and,
moment by moment, how each partner's reps chose (the principal). One published version at a time.

Thin views over ``analytics_selectors`` and the core ``selectors``; people only through ``kizuna.orgs.access``.
Managers see their own agency; the principal's admins and coaches every agency down to a rep; authors the
principal's aggregates (partner names only). Everything else is a 404.
"""

from typing import Any

import pygal
from csp.decorators import csp_replace
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuna.ops import charts
from kizuna.orgs.access import Role, access_partner_for_user, access_rep_for_user, membership_of, role_required

from . import analytics_selectors as analytics
from . import selectors

PRINCIPAL_ROLES = (Role.ADMIN, Role.COACH, Role.AUTHOR)
REP_RECORD_ROLES = (Role.ADMIN, Role.COACH)


def _own_partner(request: HttpRequest) -> Any:
    return membership_of(request.user).organization  # type: ignore[union-attr]


# --- Lists ------------------------------------------------------------------------------------


def _list(request: HttpRequest, *, is_principal_view: bool) -> HttpResponse:
    scenarios = list(analytics.scenarios_for_analytics(request.user))
    return render(
        request,
        "scenarios/analytics_list.html",
        {
            "summaries": analytics.scenario_summaries(user=request.user, scenarios=scenarios),
            "detail_url": "scenarios:principal_scenario_analytics"
            if is_principal_view
            else "scenarios:partner_scenario_analytics",
            "is_principal_view": is_principal_view,
        },
    )


@role_required(Role.MANAGER)
def partner_scenarios(request: HttpRequest) -> HttpResponse:
    """A manager's scenarios (assigned to or played by their agency) with their reps' figures on the latest version."""
    return _list(request, is_principal_view=False)


@role_required(*PRINCIPAL_ROLES)
def principal_scenarios(request: HttpRequest) -> HttpResponse:
    """Every published scenario with all partners' figures on its latest version."""
    return _list(request, is_principal_view=True)


# --- One partner: reps and teams --------------------------------------------------------------


def _partner_page(request: HttpRequest, scenario: Any, partner: Any, *, is_principal_view: bool) -> HttpResponse:
    options = analytics.analytics_versions(user=request.user, scenario=scenario, partner=partner)
    version = analytics.version_chosen(options, request.GET.get("version"))
    breakdown = analytics.partner_breakdown(user=request.user, version=version, partner=partner)
    distribution = selectors.choice_distribution(user=request.user, version=version)
    if is_principal_view:
        back_url = reverse("scenarios:principal_scenario_analytics", args=[scenario.pk]) + f"?version={version.number}"
    else:
        back_url = reverse("scenarios:partner_scenarios")
    return render(
        request,
        "scenarios/analytics_partner.html",
        {
            "scenario": scenario,
            "partner": partner,
            "version": version,
            "options": options,
            "breakdown": breakdown,
            "moments": analytics.partner_moments(distribution, partner.pk),
            "back_url": back_url,
            "is_principal_view": is_principal_view,
        },
    )


@role_required(Role.MANAGER)
def partner_scenario_analytics(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = analytics.access_scenario_for_analytics(request.user, scenario_id)
    return _partner_page(request, scenario, _own_partner(request), is_principal_view=False)


@role_required(*REP_RECORD_ROLES, Role.MANAGER)
def partner_scenario_analytics_for(request: HttpRequest, scenario_id: int, partner_id: int) -> HttpResponse:
    """One partner's reps and teams, opened from the principal's page (admins and coaches)."""
    partner = access_partner_for_user(request.user, partner_id)
    scenario = analytics.access_scenario_for_analytics(request.user, scenario_id)
    if membership_of(request.user).is_manager:  # type: ignore[union-attr]
        url = reverse("scenarios:partner_scenario_analytics", args=[scenario.pk])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    return _partner_page(request, scenario, partner, is_principal_view=True)


# --- One rep ------------------------------------------------------------------------------------


@role_required(*REP_RECORD_ROLES, Role.MANAGER)
def scenario_rep_analytics(request: HttpRequest, scenario_id: int, rep_id: int) -> HttpResponse:
    """One rep's attempts at one version of a scenario, each path beside the top rep's choices."""
    rep = access_rep_for_user(request.user, rep_id)
    scenario = analytics.access_scenario_for_analytics(request.user, scenario_id)
    options = analytics.analytics_versions(user=request.user, scenario=scenario, rep=rep)
    version = analytics.version_chosen(options, request.GET.get("version"))
    attempts = analytics.rep_attempts(user=request.user, rep=rep, version=version)
    partner = rep.membership.organization
    if membership_of(request.user).is_manager:  # type: ignore[union-attr]
        back_url = reverse("scenarios:partner_scenario_analytics", args=[scenario.pk])
    else:
        back_url = reverse("scenarios:partner_scenario_analytics_for", args=[scenario.pk, partner.pk])
    return render(
        request,
        "scenarios/analytics_rep.html",
        {
            "scenario": scenario,
            "rep": rep,
            "version": version,
            "options": options,
            "attempts": attempts,
            "back_url": f"{back_url}?version={version.number}",
        },
    )


# --- The principal: partners, and every moment ------------------------------------------------


def _principal_version(
    request: HttpRequest, scenario_id: int, *, counts: bool = True
) -> tuple[Any, Any, list[analytics.VersionOption]]:
    scenario = analytics.access_scenario_for_analytics(request.user, scenario_id)
    options = analytics.analytics_versions(user=request.user, scenario=scenario, counts=counts)
    return scenario, analytics.version_chosen(options, request.GET.get("version")), options


@role_required(*PRINCIPAL_ROLES)
def principal_scenario_analytics(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario, version, options = _principal_version(request, scenario_id)
    partners = selectors.alignment_by_partner(user=request.user, version=version)
    tables = analytics.distribution_tables(selectors.choice_distribution(user=request.user, version=version))
    highlights = analytics.highlight_divergences(tables)
    for table in tables:
        table["chart_size"] = chart_size(sum(1 for row in table["rows"] if row["answers"]))
    finished = sum(p["attempts"] for p in partners)
    aligned = [(p["alignment"], p["attempts"]) for p in partners if p["alignment"] is not None]
    weight = sum(n for _a, n in aligned)
    return render(
        request,
        "scenarios/analytics_principal.html",
        {
            "scenario": scenario,
            "version": version,
            "options": options,
            "partners": [
                {
                    **p,
                    "alignment_percent": analytics.percent(p["alignment"]),
                    "score_percent": analytics.percent(p["score"]),
                }
                for p in partners
            ],
            "finished": finished,
            "reps": sum(p["reps"] for p in partners),
            "alignment": analytics.percent(sum(a * n for a, n in aligned) / weight) if weight else None,
            "tables": tables,
            "highlights": highlights,
            "min_answers": analytics.MIN_ANSWERS,
            "alignment_chart_size": chart_size(len(partners)),
            "can_open_partners": membership_of(request.user).role in REP_RECORD_ROLES,  # type: ignore[union-attr]
        },
    )


@csp_replace(charts.SVG_CSP)
@role_required(*PRINCIPAL_ROLES)
def principal_scenario_alignment_svg(request: HttpRequest, scenario_id: int) -> HttpResponse:
    _scenario, version, _options = _principal_version(request, scenario_id, counts=False)
    partners = selectors.alignment_by_partner(user=request.user, version=version)
    return _svg(alignment_chart(partners))


@csp_replace(charts.SVG_CSP)
@role_required(*PRINCIPAL_ROLES)
def principal_scenario_node_svg(request: HttpRequest, scenario_id: int, node_key: str) -> HttpResponse:
    _scenario, version, _options = _principal_version(request, scenario_id, counts=False)
    tables = analytics.distribution_tables(selectors.choice_distribution(user=request.user, version=version))
    table = next((t for t in tables if t["key"] == node_key), None)
    if table is None:
        raise Http404
    return _svg(node_chart(table))


def _svg(svg: str) -> HttpResponse:
    response = charts.svg_response(svg)
    response["Cache-Control"] = "private, max-age=60"
    return response


# --- Charts (pygal, SVG) ----------------------------------------------------------------------

CHART_WIDTH = 520
GREEN = charts.GREEN
OTHER_COLORS = (charts.ORANGE, charts.GREY, charts.BROWN, charts.BLUE, charts.RED)


def chart_size(rows: int) -> tuple[int, int]:
    return CHART_WIDTH, 130 + 36 * max(rows, 1)


def _style(colors: tuple[str, ...]) -> Any:
    return charts.chart_style(colors=colors, value_size=14, legend_size=16)


def _chart_options(labels: list[str], rows: int) -> dict[str, Any]:
    width, height = chart_size(rows)
    return {
        "js": [],
        "width": width,
        "height": height,
        "margin_left": charts.label_margin(labels),
        "truncate_label": charts.LABEL_LENGTH,
        "value_formatter": lambda v: f"{v:.0f}%",
        "no_data_text": _("No finished attempts yet"),
        **charts.percent_axis(rows),
    }


def alignment_chart(partners: list[dict[str, Any]]) -> str:
    """Draw each partner's mean top-rep alignment as a horizontal bar (SVG), in the order of the table."""
    names = [p["partner"] for p in partners]
    chart = pygal.HorizontalBar(
        style=_style((GREEN,)),
        show_legend=False,
        print_values=True,
        print_zeroes=True,
        **_chart_options(names, len(partners)),
    )
    chart.title = _("Top-rep alignment per partner (%)")
    ordered = [p for p in reversed(partners)]  # pygal draws the first value at the bottom
    chart.x_labels = [p["partner"] for p in ordered]
    if partners:
        chart.add(
            _("Top-rep alignment"),
            [round(100 * p["alignment"]) if p["alignment"] is not None else None for p in ordered],
        )
    return chart.render(is_unicode=True)


def node_chart(table: dict[str, Any]) -> str:
    """Draw, for one moment, each partner's choices as one stacked bar of shares; the top rep's choice in green."""
    rows = [r for r in table["rows"] if r["answers"]]
    colors = []
    others = iter(OTHER_COLORS * 5)
    for choice in table["choices"]:
        colors.append(GREEN if choice["reference"] else next(others))
    chart = pygal.HorizontalStackedBar(
        style=_style(tuple(colors)),
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=min(4, len(table["choices"])),
        print_values=False,
        **_chart_options([r["partner"]["name"] for r in rows], len(rows)),
    )
    chart.title = _("Moment %(number)s: what each partner's reps chose (%%)") % {"number": table["number"]}
    ordered = list(reversed(rows))
    chart.x_labels = [r["partner"]["name"] for r in ordered]
    if rows:
        for index, choice in enumerate(table["choices"]):
            label = choice["letter"] + (" ★" if choice["reference"] else "")
            chart.add(label, [r["cells"][index]["percent"] for r in ordered])
    return chart.render(is_unicode=True)
