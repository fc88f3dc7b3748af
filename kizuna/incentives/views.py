"""Pages of incentives: the rules per agency (admin) and the monthly statement (principal, agency manager)."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.ops.errors import add_to_form
from kizuna.ops.spreadsheets import CONTENT_TYPES, download_response
from kizuna.orgs.access import Role, access_partner_for_user, membership_of, role_required, visible_partners

from . import exports, selectors, services
from .forms import RuleForm

VIEWERS = (Role.ADMIN, Role.COACH, Role.MANAGER)


def _month(request: HttpRequest) -> date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@role_required(*VIEWERS)
def incentives(request: HttpRequest) -> HttpResponse:
    """The principal's view of every agency's month; a manager goes to their own agency's statement."""
    m = membership_of(request.user)
    if m is not None and m.is_manager:
        return redirect("incentives:incentive_statement", m.organization_id)
    month = _month(request)
    rows = [
        (partner, selectors.incentive_statement(partner=partner, month=month))
        for partner in visible_partners(request.user).order_by("name")
    ]
    return render(request, "incentives/index.html", {"rows": rows, "month": month})


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
