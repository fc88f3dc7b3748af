"""Pages of certifications: the rep's progress, the agency's holders, the admin's definitions and webhooks."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.ops.errors import add_to_form, message_user
from kizuna.orgs.access import Role, access_partner_for_user, membership_of, role_required, visible_partners

from . import selectors, services
from . import webhooks as webhook_services
from .errors import CertificationError
from .forms import CertificationForm, EntitlementForm, ReopenForm, RequirementForm, WebhookForm

STAFF = (Role.ADMIN, Role.AUTHOR, Role.COACH)


@login_required
def certifications(request: HttpRequest) -> HttpResponse:
    """A rep's own certifications; a manager's agency; the principal's list of definitions."""
    m = membership_of(request.user)
    if m is None:
        raise Http404
    if m.is_rep:
        return render(request, "certification/mine.html", {"cards": selectors.rep_certifications(request.user)})
    if m.is_manager:
        return partner(request, m.organization_id)
    certs = list(selectors.certifications_for_user(request.user).select_related("product").order_by("-active", "name"))
    counts = selectors.certification_counts(certs)
    for cert in certs:
        cert.holder_count = counts.get(cert.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "certification/list.html",
        {
            "certs": certs,
            "partners": visible_partners(request.user).order_by("name"),
            "can_manage": selectors.can_manage_certifications(request.user),
        },
    )


@role_required(Role.ADMIN, Role.COACH, Role.MANAGER)
def partner(request: HttpRequest, partner_id: int) -> HttpResponse:
    """One agency's reps and their certifications."""
    found = access_partner_for_user(request.user, partner_id)
    certs, rows = selectors.partner_holders(request.user, partner_id=found.pk)
    return render(request, "certification/partner.html", {"partner": found, "certs": certs, "rows": rows})


@login_required
def detail(request: HttpRequest, certification_id: int) -> HttpResponse:
    cert = selectors.access_certification_for_user(request.user, certification_id)
    m = membership_of(request.user)
    context: dict[str, Any] = {"cert": cert, "can_manage": selectors.can_manage_certifications(request.user)}
    if m is not None and m.is_rep:
        cards = selectors.rep_certifications(request.user, certification=cert)
        context["card"] = cards[0] if cards else None
    else:
        context["requirements"] = selectors.certification_requirements(cert)
        context["reopenings"] = selectors.certification_reopenings(cert)
        if m is not None and m.role in (Role.ADMIN, Role.COACH, Role.MANAGER):
            context["holders"] = selectors.certification_holders(request.user, cert)
        if context["can_manage"]:
            context["requirement_form"] = RequirementForm()
    return render(request, "certification/detail.html", context)


def _certification_values(form: CertificationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "description": data["description"],
        "product": data["product"],
        "skill": data["skill"],
        "validity_days": data["validity_days"],
        "reminder_days": data["reminder_days"],
        "entitlements": data["entitlements"],
        "partners": data["partners"],
    }


@role_required(Role.ADMIN)
def create(request: HttpRequest) -> HttpResponse:
    form = CertificationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cert = services.certification_create(
                slug=form.cleaned_data["slug"], created_by=request.user, **_certification_values(form)
            )
        except CertificationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Certification created. Now add its requirements."))
            return redirect("certification:certification_detail", cert.pk)
    return render(request, "certification/form.html", {"form": form, "title": _("New certification")})


@role_required(Role.ADMIN)
def edit(request: HttpRequest, certification_id: int) -> HttpResponse:
    cert = selectors.access_certification_for_user(request.user, certification_id)
    initial = {
        "name": cert.name,
        "description": cert.description,
        "product": cert.product,
        "skill": cert.skill,
        "validity_days": cert.validity_days,
        "reminder_days": cert.reminder_days,
        "entitlements": list(cert.entitlements.all()),
        "partners": list(cert.partners.all()),
    }
    form = CertificationForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_update(certification=cert, **_certification_values(form))
        except CertificationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("certification:certification_detail", cert.pk)
    return render(request, "certification/form.html", {"form": form, "cert": cert, "title": cert.name})


def _roleplay_iri(user: Any, roleplay_id: int) -> str:
    """The activity IRI under which the coaching app records this roleplay's results."""
    from kizuna.coaching.selectors import access_roleplay_for_editor
    from kizuna.coaching.services import roleplay_iri

    return roleplay_iri(access_roleplay_for_editor(user, roleplay_id))


@role_required(Role.ADMIN)
def requirement_add(request: HttpRequest, certification_id: int) -> HttpResponse:
    cert = selectors.access_certification_for_user(request.user, certification_id)
    form = RequirementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        values: dict[str, Any] = {}
        if kind == "course":
            course = form.courses[data["course"]]
            values = {"course": course, "label": course.latest_version.title}
        elif kind == "quiz":
            quiz = form.quizzes[data["quiz"]]
            values = {"quiz_key": quiz.key, "label": quiz.title, "min_score": data.get("min_score") or 0}
        else:
            values = {
                "roleplay_id": int(data["roleplay"]),
                "roleplay_iri": _roleplay_iri(request.user, int(data["roleplay"])),
                "label": form.roleplays[data["roleplay"]],
            }
        try:
            requirement = services.requirement_add(
                certification=cert, kind=kind, targeted=data.get("as_experiment", False), **values
            )
        except CertificationError as exc:
            add_to_form(form, exc)
        else:
            if requirement.targeted:
                # Rolled out as an experiment (the KPI app's): it applies to the drawn reps wave by wave.
                messages.success(request, _("Requirement added. It applies to no one until the experiment gives it."))
                return redirect(f"{reverse('kpis:experiment_new')}?kind=requirement&content={requirement.pk}")
            messages.success(request, _("Requirement added."))
            return redirect("certification:certification_detail", cert.pk)
    return render(request, "certification/requirement_form.html", {"form": form, "cert": cert})


@require_POST
@role_required(Role.ADMIN)
def requirement_remove(request: HttpRequest, certification_id: int, requirement_id: int) -> HttpResponse:
    cert = selectors.access_certification_for_user(request.user, certification_id)
    requirement = selectors.access_requirement_for_user(request.user, cert, requirement_id)
    services.requirement_remove(requirement=requirement)
    messages.success(request, _("Requirement removed."))
    return redirect("certification:certification_detail", cert.pk)


@role_required(Role.ADMIN)
def reopen(request: HttpRequest, certification_id: int) -> HttpResponse:
    cert = selectors.access_certification_for_user(request.user, certification_id)
    form = ReopenForm(request.POST or None, certification=cert)
    if request.method == "POST" and form.is_valid():
        try:
            reopening = services.certification_reopen(
                certification=cert,
                requirements=form.cleaned_data["requirements"],
                reason=form.cleaned_data["reason"],
                reopened_by=request.user,
            )
        except CertificationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Version %(version)s opened. Holders must redo what changed.") % {"version": reopening.version},
            )
            return redirect("certification:certification_detail", cert.pk)
    return render(request, "certification/reopen.html", {"form": form, "cert": cert})


@role_required(Role.ADMIN)
def entitlements(request: HttpRequest) -> HttpResponse:
    form = EntitlementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entitlement_create(**form.cleaned_data)
        except CertificationError as exc:
            add_to_form(form, exc, field="code")
        else:
            messages.success(request, _("Entitlement added."))
            return redirect("certification:entitlements")
    return render(
        request, "certification/entitlements.html", {"form": form, "entitlements": selectors.entitlements_all()}
    )


@role_required(Role.ADMIN)
def webhooks(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhook_services.webhook_endpoint_create(created_by=request.user, **form.cleaned_data)
        except CertificationError as exc:
            add_to_form(form, exc, field="url")
        else:
            form = WebhookForm()
            messages.success(request, _("Endpoint added. Copy its secret now: it is shown only once."))
    return render(
        request,
        "certification/webhooks.html",
        {"form": form, "endpoints": selectors.webhook_endpoints(request.user), "secret": secret},
    )


@role_required(Role.ADMIN)
def webhook_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.access_endpoint_for_user(request.user, endpoint_id)
    deliveries = selectors.endpoint_deliveries(endpoint)[:100]
    return render(request, "certification/webhook_detail.html", {"endpoint": endpoint, "deliveries": deliveries})


@require_POST
@role_required(Role.ADMIN)
def webhook_secret_rotate(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.access_endpoint_for_user(request.user, endpoint_id)
    try:
        secret = webhook_services.webhook_secret_rotate(endpoint=endpoint)
    except CertificationError as exc:
        message_user(request, exc)
        return redirect("certification:webhook_detail", endpoint.pk)
    messages.success(
        request,
        _("New secret made. Deliveries are signed with both secrets until you retire the old one."),
    )
    deliveries = selectors.endpoint_deliveries(endpoint)[:100]
    return render(
        request,
        "certification/webhook_detail.html",
        {"endpoint": endpoint, "deliveries": deliveries, "secret": secret},
    )


@require_POST
@role_required(Role.ADMIN)
def webhook_secret_retire(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.access_endpoint_for_user(request.user, endpoint_id)
    webhook_services.webhook_secret_retire(endpoint=endpoint)
    messages.success(request, _("The old secret is retired: deliveries are signed with the new one only."))
    return redirect("certification:webhook_detail", endpoint.pk)


@require_POST
@role_required(Role.ADMIN)
def webhook_delete(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = selectors.access_endpoint_for_user(request.user, endpoint_id)
    webhook_services.webhook_endpoint_delete(endpoint=endpoint)
    messages.success(request, _("Endpoint deleted."))
    return redirect("certification:webhooks")


@require_POST
@role_required(Role.ADMIN)
def webhook_replay(request: HttpRequest, endpoint_id: int, delivery_id: int) -> HttpResponse:
    endpoint = selectors.access_endpoint_for_user(request.user, endpoint_id)
    delivery = selectors.access_delivery_for_user(request.user, endpoint, delivery_id)
    delivery = webhook_services.webhook_delivery_replay(delivery=delivery)
    if delivery.last_error:
        messages.error(request, _("Sent again, but the receiver answered: %(error)s") % {"error": delivery.last_error})
    else:
        messages.success(request, _("Sent again."))
    return redirect("certification:webhook_detail", endpoint.pk)
