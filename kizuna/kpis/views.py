"""Pages of the KPI app: the KPI board (overall, agency, team, rep), targets, the spreadsheet upload,
"did learning move sales?" and rising talent. Agencies see only themselves; comparisons are the principal's."""

from datetime import date
from typing import Any

from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.catalog.selectors import access_course_for_user, courses_visible_to, published_courses
from kizuna.ops.charts import SVG_CSP, svg_response
from kizuna.ops.errors import add_to_form, message_user
from kizuna.ops.spreadsheets import csv_response
from kizuna.orgs.access import (
    Role,
    access_partner_for_user,
    access_rep_for_user,
    access_team_for_user,
    can_nominate_success,
    membership_of,
    role_required,
    visible_partners,
)
from kizuna.orgs.models import Organization

from . import charts, effect, rollouts, selectors, services, talent
from .experiments import AnalysisError
from .forms import ExperimentPlanForm, ExperimentStartForm, ImportForm, TargetForm, metric_unit
from .models import Metric
from .periods import current_month, month_add, month_key, parse_month
from .readings import adoption_reading, effect_reading, staggered_reading

READERS = (Role.ADMIN, Role.COACH, Role.MANAGER)
PRINCIPAL = (Role.ADMIN, Role.COACH)


def _month(request: HttpRequest) -> date | None:
    return parse_month(request.GET.get("month", ""))


def _is_admin(request: HttpRequest) -> bool:
    m = membership_of(request.user)
    return m is not None and m.is_admin


def _own_partner(request: HttpRequest) -> Organization | None:
    m = membership_of(request.user)
    return m.organization if m is not None and m.is_manager else None


def _board_context(
    request: HttpRequest, board: selectors.Board, *, chart: str, chart_args: list[Any], **extra: Any
) -> dict[str, Any]:
    month = month_key(board.month)
    charts_ = [
        (selectors.metric_label(key), f"{reverse(chart, args=[*chart_args, key])}?month={month}")
        for key in selectors.TREND_KEYS
    ]
    return {
        "charts": charts_,
        "chart_size": charts.CHART_SIZE,
        "board": board,
        "month": month,
        "month_query": f"?month={month}",
        "is_admin": _is_admin(request),
        "is_principal": _own_partner(request) is None,
        "target_form": TargetForm(),
        "metrics": Metric.choices,
        **extra,
    }


@role_required(*READERS)
def kpi_board(request: HttpRequest) -> HttpResponse:
    """The principal's board of every agency; a partner manager's own agency."""
    own = _own_partner(request)
    if own is not None:
        return _partner_page(request, own)
    partners = list(visible_partners(request.user).order_by("name", "pk"))
    board = selectors.overall_board(partners=partners, month=_month(request))
    return render(
        request,
        "kpis/board.html",
        _board_context(request, board, scope="overall", chart="kpis:kpi_chart", chart_args=[]),
    )


def _partner_page(request: HttpRequest, partner: Organization) -> HttpResponse:
    board = selectors.partner_board(partner=partner, month=_month(request))
    return render(
        request,
        "kpis/board.html",
        _board_context(
            request,
            board,
            scope="partner",
            partner=partner,
            chart="kpis:kpi_partner_chart",
            chart_args=[partner.pk],
        ),
    )


@role_required(*READERS)
def kpi_partner_board(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access_partner_for_user(request.user, partner_id)
    if _own_partner(request) is not None:
        return redirect(
            reverse("kpis:kpi_board") + (f"?month={request.GET['month']}" if request.GET.get("month") else "")
        )
    return _partner_page(request, partner)


@role_required(*READERS)
def kpi_team_board(request: HttpRequest, team_id: int) -> HttpResponse:
    team = access_team_for_user(request.user, team_id)
    board = selectors.partner_board(partner=team.organization, team=team, month=_month(request))
    return render(
        request,
        "kpis/board.html",
        _board_context(
            request,
            board,
            scope="team",
            partner=team.organization,
            team=team,
            chart="kpis:kpi_team_chart",
            chart_args=[team.pk],
        ),
    )


@role_required(*READERS)
def kpi_rep(request: HttpRequest, rep_id: int) -> HttpResponse:
    rep = access_rep_for_user(request.user, rep_id)
    months = selectors.rep_months(rep=rep, last=_month(request))
    context = {
        "rep": rep,
        "months": months,
        "sparklines": charts.rep_sparklines(months),
        "can_nominate": can_nominate_success(request.user),
    }
    return render(request, "kpis/rep.html", context)


# --- Charts (SVG as <img>) ----------------------------------------------------------------------------


def _svg(board: selectors.Board, metric: str) -> HttpResponse:
    if metric not in selectors.TREND_KEYS:
        raise Http404
    line = board.line(metric)
    svg = charts.trend_chart(
        title=selectors.metric_label(metric),
        months=board.months,
        values=board.trends[metric],
        target=line.target,
        unit="" if line.unit == "pt" else "%",
    )
    return svg_response(svg)


@csp_replace(SVG_CSP)
@role_required(*PRINCIPAL)
def kpi_chart(request: HttpRequest, metric: str) -> HttpResponse:
    partners = list(visible_partners(request.user).order_by("name", "pk"))
    return _svg(selectors.overall_board(partners=partners, month=_month(request)), metric)


@csp_replace(SVG_CSP)
@role_required(*READERS)
def kpi_partner_chart(request: HttpRequest, partner_id: int, metric: str) -> HttpResponse:
    partner = access_partner_for_user(request.user, partner_id)
    return _svg(selectors.partner_board(partner=partner, month=_month(request)), metric)


@csp_replace(SVG_CSP)
@role_required(*READERS)
def kpi_team_chart(request: HttpRequest, team_id: int, metric: str) -> HttpResponse:
    team = access_team_for_user(request.user, team_id)
    return _svg(selectors.partner_board(partner=team.organization, team=team, month=_month(request)), metric)


# --- Targets and loading figures (principal admins) ---------------------------------------------------------


@require_POST
@role_required(Role.ADMIN)
def kpi_target_set(request: HttpRequest) -> HttpResponse:
    partner = access_partner_for_user(request.user, request.POST["partner"]) if request.POST.get("partner") else None
    back = reverse("kpis:kpi_partner_board", args=[partner.pk]) if partner else reverse("kpis:kpi_board")
    if request.POST.get("clear") and partner is not None:
        services.kpi_target_clear(partner=partner, metric=request.POST.get("metric", ""))
        messages.success(request, _("This partner now follows the target for every partner."))
        return redirect(back)
    form = TargetForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(back)
    data = form.cleaned_data
    try:
        services.kpi_target_set(
            partner=partner,
            metric=data["metric"],
            value=data["value"],
            kind=data["kind"],
            baseline_from=data["baseline_from"],
            baseline_to=data["baseline_to"],
            by=request.user,
        )
    except services.KpiError as exc:
        message_user(request, exc)
        return redirect(back)
    messages.success(request, _("The target is saved."))
    return redirect(back)


@role_required(Role.ADMIN)
def kpi_import(request: HttpRequest) -> HttpResponse:
    errors: list[services.RowError] = []
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.sales_sheet_import(data=upload.read(), filename=upload.name, by=request.user)
        except services.KpiImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Loaded: %(created)s new rows, %(updated)s updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("kpis:kpi_import")
    rows = [(e.line, services.column_label(e.column), e.message) for e in errors]
    return render(
        request,
        "kpis/import.html",
        {"form": form, "errors": rows, "error_count": len(rows), "columns": services.COLUMNS},
    )


@role_required(Role.ADMIN)
def kpi_import_template(request: HttpRequest) -> HttpResponse:
    """The sample sheet, its header in the person's language (the import reads either language)."""
    header, rows = services.sample_sheet()
    return csv_response(header, rows, filename=_("sales-figures.csv"))


# --- Did learning move sales? ------------------------------------------------------------------------------


@role_required(*READERS)
def kpi_effect(request: HttpRequest) -> HttpResponse:
    partners = list(visible_partners(request.user).order_by("name", "pk"))
    own = _own_partner(request)
    courses = list(courses_visible_to(request.user).select_related("latest_version").order_by("title", "pk"))
    partner = own
    if own is None and request.GET.get("partner"):
        partner = access_partner_for_user(request.user, request.GET["partner"])
    course = access_course_for_user(request.user, request.GET["course"]) if request.GET.get("course") else None
    certifications = effect.certification_choices()
    certification = None
    if course is None and request.GET.get("certification"):
        certification = next((c for c in certifications if str(c[0]) == request.GET["certification"]), None)
        if certification is None:
            raise Http404
    result = None
    if partner and course:
        result = effect.learning_effect(partner=partner, course_id=course.pk)
    elif partner and certification:
        result = effect.learning_effect(partner=partner, certification_id=certification[0])
    return render(
        request,
        "kpis/effect.html",
        {
            "partners": partners,
            "partner": partner,
            "own": own,
            "courses": effect.effect_choices(courses),
            "course": course,
            "certifications": certifications,
            "certification": certification,
            "result": result,
            "effect_charts": charts.effect_charts(result.readings) if result else [],
            "adoption": adoption_reading(result.staggered) if result and result.staggered else [],
            "adoption_chart": (
                charts.staggered_chart(result.staggered, metric_words=_("appointment rate"))
                if result and result.staggered and result.staggered.events
                else ""
            ),
            "window": effect.WINDOW,
        },
    )


# --- Experiments: what a rollout could detect ----------------------------------------------------------------


@role_required(*PRINCIPAL)
def experiment_plan(request: HttpRequest) -> HttpResponse:
    form = ExperimentPlanForm(
        request.GET if "partners" in request.GET else None,
        partners=visible_partners(request.user).order_by("name", "pk"),
    )
    detectable = None
    unknown = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            detectable = selectors.experiment_detectable(
                partner_ids=[p.pk for p in data["partners"]],
                design=data["design"],
                metric=data["metric"],
                period=data["period"],
                held_out=data["held_out"] / 100,
                waves=data["waves"],
                spacing=data["spacing"],
            )
        except AnalysisError:
            unknown = True
    metric = dict(ExperimentPlanForm.METRIC_WORDS).get(form.data.get("metric", ""), "")
    unit = metric_unit(form.data.get("metric", ""))
    return render(
        request,
        "kpis/experiment_plan.html",
        {"form": form, "detectable": detectable, "unknown": unknown, "metric_words": metric, "unit": unit},
    )


# --- Rising talent -------------------------------------------------------------------------------------------


@role_required(*READERS)
def rising_talent(request: HttpRequest) -> HttpResponse:
    partners = list(visible_partners(request.user).order_by("name", "pk"))
    own = _own_partner(request)
    chosen = None
    if own is None and request.GET.get("partner"):
        chosen = access_partner_for_user(request.user, request.GET["partner"])
    scope = [own] if own else ([chosen] if chosen else partners)
    return render(
        request,
        "kpis/talent.html",
        {
            "talents": talent.rising_talent(partners=scope),
            "partners": partners,
            "chosen": chosen,
            "own": own,
            "can_nominate": can_nominate_success(request.user),
            "rules": {
                "rise": int(talent.RISE),
                "helpful": talent.HELPFUL,
                "days": talent.STEADY_DAYS,
                "window": talent.STEADY_WINDOW,
                "min": talent.MIN_EVIDENCE,
                "months": talent.RECENT,
            },
        },
    )


# --- Experiments: a course rolled out at random ---------------------------------------------------------------


def _detectable_for(data: dict[str, Any]) -> Any:
    try:
        return selectors.experiment_detectable(
            partner_ids=[p.pk for p in data["partners"]],
            design=data["design"],
            metric=data["metric"],
            period=data["period"],
            held_out=data["held_out"] / 100,
            waves=data["waves"],
            spacing=data["spacing"],
        )
    except AnalysisError:
        return None


@role_required(Role.ADMIN)
def experiments(request: HttpRequest) -> HttpResponse:
    rows = [(e, rollouts.experiment_is_over(e)) for e in rollouts.experiments_list()]
    return render(request, "kpis/experiments.html", {"rows": rows})


@role_required(Role.ADMIN)
def experiment_new(request: HttpRequest) -> HttpResponse:
    """Roll content out as an experiment (a course, or another rollout kind): choose, see what it can detect, start
    (the draw happens on start)."""
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {"start": month_key(current_month())}
    # Arriving from the assignment form ("as an experiment"): its course and partner, chosen already; from another
    # kind's form (a flash update's "publish as an experiment"): ?kind=update&content=<id>.
    if request.GET.get("course", "").isdecimal():
        initial["course"] = int(request.GET["course"])
    if request.GET.get("kind", "").isidentifier() and request.GET.get("content", "").isdecimal():
        initial["rollout"] = f"{request.GET['kind']}:{request.GET['content']}"
    initial["partners"] = [int(p) for p in request.GET.getlist("partners") if p.isdecimal()]
    form = ExperimentStartForm(
        data,
        initial=initial,
        partners=visible_partners(request.user).order_by("name", "pk"),
        courses=published_courses().order_by("title", "pk"),
    )
    detectable = None
    unknown = False
    if form.is_bound and form.is_valid():
        detectable = _detectable_for(form.cleaned_data)
        unknown = detectable is None
        if request.method == "POST" and "start_experiment" in request.POST:
            d = form.cleaned_data
            try:
                experiment = services.experiment_start(
                    course=d["course"],
                    kind=d["kind"],
                    content_id=d["content_id"],
                    partners=list(d["partners"]),
                    design=services.ExperimentDesign(
                        metric=d["metric"],
                        design=d["design"],
                        start=d["start"],
                        period=d["period"],
                        held_out=d["held_out"] / 100,
                        waves=d["waves"],
                        spacing=d["spacing"],
                    ),
                    started_by=request.user,
                    planned_effect=detectable.mde if detectable else None,
                )
            except services.KpiError as err:
                add_to_form(form, err)
            else:
                if experiment.kind == "course":
                    said = _("The experiment has started: the reps were drawn and the first ones given the training.")
                else:
                    said = _("The experiment has started: the reps were drawn and the first ones given it.")
                messages.success(request, said)
                return redirect("kpis:experiment_detail", experiment_id=experiment.pk)
    metric = dict(ExperimentPlanForm.METRIC_WORDS).get(form.data.get("metric", ""), "")
    unit = metric_unit(form.data.get("metric", ""))
    return render(
        request,
        "kpis/experiment_new.html",
        {"form": form, "detectable": detectable, "unknown": unknown, "metric_words": metric, "unit": unit},
    )


@role_required(Role.ADMIN)
def experiment_detail(request: HttpRequest, experiment_id: int) -> HttpResponse:
    """The principal's page of one experiment: design and preregistration, enrolment and contamination; while it
    runs only the always-valid interval, at the end the result."""
    experiment = rollouts.access_experiment_for_user(request.user, experiment_id)
    over = rollouts.experiment_is_over(experiment)
    units = rollouts.experiment_unit_table(experiment)
    enrolment = rollouts.experiment_enrolment(experiment, units=units)
    # Both readings are stored and recomputed only when the figures, completions or the analysis change.
    interim = None if over else rollouts.experiment_interim_stored(experiment)[0]
    result = None
    if over:
        result = rollouts.experiment_result_stored(experiment, units=units, finished=enrolment.finished_reps)[0]
    metric_words = dict(ExperimentPlanForm.METRIC_WORDS).get(experiment.metric, experiment.metric)
    unit = metric_unit(experiment.metric)
    return render(
        request,
        "kpis/experiment_detail.html",
        {
            "experiment": experiment,
            "over": over,
            "end": rollouts.experiment_end(experiment),
            "last_month": month_add(rollouts.experiment_end(experiment), -1),
            "enrolment": enrolment,
            "interim": interim,
            "result": result,
            "metric_words": metric_words,
            "unit": unit,
            "charts": charts.experiment_charts(result, metric_words=str(metric_words), unit=unit) if result else [],
            "group_rows": charts.experiment_group_rows(result, metric_words=str(metric_words)) if result else [],
            "reading": effect_reading(result, metric_words=str(metric_words), unit=unit) if result else [],
            "staggered_reading": staggered_reading(result, metric_words=str(metric_words), unit=unit) if result else [],
            "staggered_chart": (
                charts.staggered_chart(result.staggered, metric_words=str(metric_words))
                if result and result.staggered and result.staggered.events
                else ""
            ),
            "replays": rollouts.experiment_replay(experiment, units=units),
        },
    )
