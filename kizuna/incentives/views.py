"""Pages of incentives: the rules per agency (admin), the monthly statement (principal, agency manager), a rep's own month."""

import calendar
from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.audit.services import audit_export
from kizuna.ops.errors import add_to_form
from kizuna.ops.spreadsheets import CONTENT_TYPES, download_response
from kizuna.orgs.access import Role, access_partner_for_user, membership_of, role_required, visible_partners

from . import exports, selectors, services
from .forms import RuleForm

VIEWERS = (Role.ADMIN, Role.COACH, Role.MANAGER)
FIRST_YEAR, LAST_YEAR = 2000, 2999


def _month(request: HttpRequest) -> date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        if FIRST_YEAR <= year <= LAST_YEAR:
            return date(year, month, 1)
    except ValueError:
        pass
    # A month nobody asked for on purpose (or one whose neighbours fall off the calendar): this month.
    return timezone.localdate().replace(day=1)


def _neighbours(month: date) -> tuple[date | None, date | None]:
    """Return the month before and the month after (None before FIRST_YEAR, or in the future)."""
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (previous if previous.year >= FIRST_YEAR else None), (
        following if following <= timezone.localdate() else None
    )


@role_required(*VIEWERS, Role.REP)
def incentives(request: HttpRequest) -> HttpResponse:
    """The principal's view of every agency's month; a manager goes to their own agency's statement; a rep
    sees what they earned."""
    m = membership_of(request.user)
    if m is not None and m.is_manager:
        return redirect("incentives:incentive_statement", m.organization_id)
    month = _month(request)
    if m is not None and m.is_rep:
        previous, following = _neighbours(month)
        return render(
            request,
            "incentives/mine.html",
            {
                "month": month,
                "previous": previous,
                "following": following,
                "earned": selectors.rep_incentive_month(rep=request.user, month=month),
                "rules": selectors.rules_in_effect(
                    partner=m.organization, day=min(timezone.localdate(), _last_day(month))
                ),
            },
        )
    rows = [
        (partner, selectors.incentive_statement(partner=partner, month=month))
        for partner in visible_partners(request.user).order_by("name")
    ]
    return render(request, "incentives/index.html", {"rows": rows, "month": month})


def _last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


@role_required(*VIEWERS)
def statement(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access_partner_for_user(request.user, partner_id)
    month = _month(request)
    return render(
        request,
        "incentives/statement.html",
        {
            "partner": partner,
            "month": month,
            "statement": selectors.incentive_statement(partner=partner, month=month),
            "rules": selectors.rules_for_partner(partner),
            "can_manage": selectors.can_manage_incentives(request.user),
        },
    )


def _download(request: HttpRequest, partner_id: int, kind: str) -> HttpResponse:
    partner = access_partner_for_user(request.user, partner_id)
    month = _month(request)
    found = selectors.incentive_statement(partner=partner, month=month)
    name = f"incentives-{partner.slug}-{month:%Y-%m}"
    content = exports.statement_csv(found) if kind == "csv" else exports.statement_xlsx(found)
    audit_export(filename=f"{name}.{kind}", organization_id=partner.pk)
    return download_response(content, filename=f"{name}.{kind}", content_type=CONTENT_TYPES[kind])


@role_required(*VIEWERS)
def statement_csv(request: HttpRequest, partner_id: int) -> HttpResponse:
    return _download(request, partner_id, "csv")


@role_required(*VIEWERS)
def statement_xlsx(request: HttpRequest, partner_id: int) -> HttpResponse:
    return _download(request, partner_id, "xlsx")


@role_required(Role.ADMIN)
def rules(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = access_partner_for_user(request.user, partner_id)
    form = RuleForm(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        certification = None
        if data["certification"]:
            from kizuna.certification.selectors import access_certification_for_user

            certification = access_certification_for_user(request.user, data["certification"])
        try:
            services.incentive_rule_create(
                partner=partner,
                kind=data["kind"],
                amount_yen=data["amount_yen"],
                effective_from=data["effective_from"],
                effective_to=data["effective_to"],
                certification=certification,
                course=data["course"],
                note=data["note"],
                created_by=request.user,
            )
        except services.IncentiveError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Rule added."))
            return redirect("incentives:incentive_rules", partner.pk)
    return render(
        request,
        "incentives/rules.html",
        {"partner": partner, "form": form, "rules": selectors.rules_for_partner(partner)},
    )


@require_POST
@role_required(Role.ADMIN)
def rule_end(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = selectors.access_rule_for_user(request.user, rule_id)
    partner_id = rule.partner_id
    if rule.partner_id not in set(visible_partners(request.user).values_list("pk", flat=True)):
        raise Http404
    services.incentive_rule_end(rule=rule)
    messages.success(request, _("Rule ended."))
    return redirect("incentives:incentive_rules", partner_id)
