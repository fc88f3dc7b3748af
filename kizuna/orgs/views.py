"""Screens with which the principal admin brings partners and people in, and managers see their own agency."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.ops.errors import add_to_form, message_user
from kizuna.ops.navigation import next_url
from kizuna.ops.spreadsheets import csv_response, header_labels

from . import security, selectors, services, sharing
from .access import access_partner_for_user, access_person_for_user, membership_of, role_required
from .forms import (
    PartnerForm,
    PeopleFilterForm,
    PeopleImportForm,
    PersonEditForm,
    PersonForm,
    SecurityPolicyForm,
    SharingPolicyForm,
    TeamForm,
)
from .menu import menu_for
from .models import Membership
from .readiness import partner_setup

Role = Membership.Role
PEOPLE_PER_PAGE = 50


@role_required(Role.ADMIN)
def partners(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(name=form.cleaned_data["name"], slug=form.cleaned_data["slug"])
        except services.OrgsError as e:
            add_to_form(form, e)
        else:
            messages.success(
                request,
                _("The partner %(name)s was added. The checklist below takes you through the rest of its setup.")
                % {"name": partner.name},
            )
            return redirect("orgs:partner", partner_id=partner.pk)
    return render(request, "orgs/partners.html", {"partners": selectors.partners_with_counts(), "form": form})


@role_required(Role.ADMIN, Role.MANAGER)
def partner(request: HttpRequest, partner_id: int) -> HttpResponse:
    organization = access_partner_for_user(request.user, partner_id)
    is_admin = membership_of(request.user).is_admin  # type: ignore[union-attr]
    form = TeamForm(request.POST or None) if is_admin else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                team = services.team_create(organization=organization, name=form.cleaned_data["name"])
            except services.OrgsError as e:
                add_to_form(form, e)
            else:
                messages.success(request, _("The team %(name)s was added.") % {"name": team.name})
                return redirect("orgs:partner", partner_id=organization.pk)
    people = selectors.people_for(viewer=request.user, organization_id=organization.pk)
    # The admin's setup checklist stays on the page until every step is done.
    setup = partner_setup(organization) if is_admin else []
    return render(
        request,
        "orgs/partner.html",
        {
            "partner": organization,
            "teams": selectors.teams_with_counts(organization=organization),
            "people": people[:PEOPLE_PER_PAGE],
            "people_count": people.count(),
            "form": form,
            "is_admin": is_admin,
            "setup": setup if any(not step.done for step in setup) else [],
            "setup_done": sum(step.done for step in setup),
            "setup_next": next((step.key for step in setup if not step.done), ""),
        },
    )


@role_required(Role.ADMIN, Role.MANAGER)
def people(request: HttpRequest) -> HttpResponse:
    organizations = selectors.organizations_visible(viewer=request.user)
    filters = PeopleFilterForm(request.GET or None, organizations=organizations)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    found = selectors.people_for(
        viewer=request.user,
        organization_id=criteria.get("organization"),
        role=criteria.get("role", ""),
        query=criteria.get("q", ""),
    )
    page = Paginator(found, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "orgs/people.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "is_admin": membership_of(request.user).is_admin,  # type: ignore[union-attr]
        },
    )


@role_required(Role.ADMIN)
def person_new(request: HttpRequest) -> HttpResponse:
    # The setup checklist of a new agency links here with its partner and the role ("invite the manager").
    initial = {key: request.GET[key] for key in ("organization", "role") if request.GET.get(key)} or None
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                name=data["name"],
                email=data["email"],
                organization=data["organization"],
                role=data["role"],
                team=data["team"],
                invited_by=request.user,
                send_invitation=data["send_invitation"],
            )
        except services.OrgsError as e:
            add_to_form(form, e)
        else:
            if data["send_invitation"]:
                message = _("%(name)s was added and an invitation e-mail is on its way to %(email)s.")
            else:
                message = _("%(name)s was added. Send the invitation e-mail from their page when you are ready.")
            messages.success(request, message % {"name": person.name, "email": person.email})
            return redirect(next_url(request) or reverse("orgs:person", kwargs={"person_id": person.pk}))
    return render(request, "orgs/person_new.html", {"form": form, "next": next_url(request)})


@role_required(Role.ADMIN)
def people_import(request: HttpRequest) -> HttpResponse:
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.people_import_csv(
            file=form.cleaned_data["file"],
            invited_by=request.user,
            send_invitations=form.cleaned_data["send_invitations"],
        )
        if result.ok:
            count = result.created_count
            message = ngettext("%(count)d person was added.", "%(count)d people were added.", count) % {"count": count}
            if result.teams_created:
                teams = len(result.teams_created)
                message += " " + ngettext(
                    "%(count)d new team was created.", "%(count)d new teams were created.", teams
                ) % {"count": teams}
            if form.cleaned_data["send_invitations"]:
                message += " " + _("Invitation e-mails are being sent.")
            messages.success(request, message)
            return redirect("orgs:people_import")
    return render(
        request,
        "orgs/people_import.html",
        {"form": form, "result": result, "partners": selectors.partners_with_counts()},
    )


@role_required(Role.ADMIN)
def people_import_template(request: HttpRequest) -> HttpResponse:
    """A CSV to fill in: UTF-8 with a BOM so that Excel shows Japanese correctly."""
    japanese = (get_language() or "ja").startswith("ja")
    header = header_labels(services.IMPORT_COLUMNS)
    partner = selectors.partners_with_counts().first()
    code = partner.slug if partner else "partner-a"
    rows = [
        ["山田 太郎", "taro.yamada@example.com", code, "東京第1チーム", "営業担当者" if japanese else "rep"],
        ["佐藤 花子", "hanako.sato@example.com", code, "", "パートナー管理者" if japanese else "manager"],
    ]
    return csv_response(header, rows, filename="kizuna-people.csv")


@role_required(Role.ADMIN, Role.MANAGER)
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    found = access_person_for_user(request.user, person_id)
    is_admin = membership_of(request.user).is_admin  # type: ignore[union-attr]
    form = None
    if is_admin:
        membership = found.membership
        initial = {"name": found.name, "team": membership.team_id or "", "role": membership.role}
        form = PersonEditForm(request.POST or None, initial=initial, organization=membership.organization)
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.person_update(
                    person=found,
                    updated_by=request.user,
                    name=form.cleaned_data["name"],
                    team=form.cleaned_data["team"],
                    role=form.cleaned_data["role"],
                    is_active=found.is_active,
                )
            except services.OrgsError as e:
                add_to_form(form, e)
            else:
                messages.success(request, _("Saved."))
                return redirect("orgs:person", person_id=found.pk)
    return render(
        request,
        "orgs/person.html",
        {
            "person": found,
            "form": form,
            "is_admin": is_admin,
            "status": selectors.invitation_status(person=found),
        },
    )


@role_required(Role.ADMIN)
@require_POST
def person_invite(request: HttpRequest, person_id: int) -> HttpResponse:
    found = access_person_for_user(request.user, person_id)
    try:
        services.invitation_send(user=found, invited_by=request.user)
    except services.OrgsError as e:
        message_user(request, e)
    else:
        messages.success(request, _("The invitation e-mail was sent to %(email)s.") % {"email": found.email})
    return redirect("orgs:person", person_id=found.pk)


@role_required(Role.ADMIN)
@require_POST
def person_set_active(request: HttpRequest, person_id: int) -> HttpResponse:
    found = access_person_for_user(request.user, person_id)
    active = request.POST.get("active") == "1"
    try:
        services.person_update(
            person=found,
            updated_by=request.user,
            name=found.name,
            team=found.membership.team,
            role=found.membership.role,
            is_active=active,
        )
    except services.OrgsError as e:
        message_user(request, e)
    else:
        if active:
            messages.success(request, _("%(name)s can sign in again.") % {"name": found.name})
        else:
            messages.success(request, _("%(name)s was deactivated and can no longer sign in.") % {"name": found.name})
    return redirect("orgs:person", person_id=found.pk)


@role_required(Role.ADMIN)
def sharing_settings(request: HttpRequest) -> HttpResponse:
    policy = sharing.sharing_policy()
    form = SharingPolicyForm(
        request.POST or None,
        initial={
            "community_names": policy.community_names,
            "ranking_names": policy.ranking_names,
            "review_names": policy.review_names,
        },
    )
    if request.method == "POST" and form.is_valid():
        sharing.sharing_policy_set(**form.cleaned_data)
        messages.success(request, _("The sharing settings were saved."))
        return redirect("orgs:sharing_settings")
    return render(
        request,
        "orgs/sharing.html",
        {"form": form, "partners": selectors.partners_with_sharing()},
    )


@role_required(Role.ADMIN)
def security_settings(request: HttpRequest) -> HttpResponse:
    policy = security.security_policy()
    form = SecurityPolicyForm(request.POST or None, initial={"mfa_roles": policy.mfa_roles})
    if request.method == "POST" and form.is_valid():
        security.mfa_policy_set(roles=form.cleaned_data["mfa_roles"], by=request.user)
        messages.success(request, _("The sign-in security settings were saved."))
        return redirect("orgs:security_settings")
    return render(request, "orgs/security.html", {"form": form})


@login_required
def menu(request: HttpRequest) -> HttpResponse:
    """Everything the person's role can open, by section."""
    membership = membership_of(request.user)
    return render(request, "menu.html", {"sections": menu_for(membership.role if membership else None)})
