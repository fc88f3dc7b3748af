"""The audit trail's screens: principal staff read every change, a partner's manager their agency's."""

import itertools
import json
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.ops.spreadsheets import csv_streaming_response
from kizuna.orgs.access import Role, audit_organization_ids, membership_of, role_required

from .forms import AuditFilterForm
from .selectors import access_audit_entry_for_user, audit_entries
from .services import audit_export

AUDIT_ROLES = (Role.ADMIN, Role.AUTHOR, Role.COACH, Role.MANAGER)
ENTRIES_PER_PAGE = 50
CSV_MAX_ROWS = 100_000


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, "QuerySet[Any]"]:
    scope = audit_organization_ids(request.user)
    if scope == []:
        raise Http404
    form = AuditFilterForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(
        organization_ids=scope,
        person=criteria.get("person", ""),
        obj=criteria.get("object", ""),
        since=criteria.get("since"),
        until=criteria.get("until"),
    )
    return form, entries


@role_required(*AUDIT_ROLES)
def audit_trail(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {
            "filters": form,
            "page": page,
            "query": query.urlencode(),
            "all_organizations": membership_of(request.user).is_principal_staff,  # type: ignore[union-attr]
        },
    )


@role_required(*AUDIT_ROLES)
def audit_entry(request: HttpRequest, audit_entry_id: int) -> HttpResponse:
    entry = access_audit_entry_for_user(request.user, audit_entry_id)
    keys = list(dict.fromkeys([*entry.before, *entry.after]))
    changes = [(key, entry.before.get(key), entry.after.get(key), key in entry.before) for key in keys]
    return render(request, "audit/entry.html", {"entry": entry, "changes": changes})


def _person(user: Any) -> str:
    return getattr(user, "email", "") if user is not None else ""


@role_required(*AUDIT_ROLES)
def audit_trail_csv(request: HttpRequest) -> HttpResponseBase:
    form, entries = _filtered(request)
    if form.is_bound and not form.is_valid():
        # The list page says what is wrong with the search; a file of everything is not what was asked for.
        return redirect(f"{reverse('audit:trail')}?{request.GET.urlencode()}")
    header = [
        _("When"),
        _("Who"),
        _("From (IP)"),
        _("Organization"),
        _("Change"),
        _("Kind of object"),
        _("Object id"),
        _("Object"),
        _("Before"),
        _("After"),
    ]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    scope = audit_organization_ids(request.user)
    audit_export(filename=f"audit-{stamp}.csv", organization_id=scope[0] if scope else None)
    zone = timezone.get_current_timezone()
    rows = (
        [
            entry.created_at.astimezone(zone).isoformat(timespec="seconds"),
            _person(entry.actor),
            entry.ip or "",
            entry.organization.name if entry.organization else "",
            entry.get_action_display(),
            entry.target_type,
            entry.target_id,
            entry.target_label,
            _json(entry.before),
            _json(entry.after),
        ]
        for entry in entries[:CSV_MAX_ROWS].iterator(chunk_size=2000)
    )
    return csv_streaming_response(itertools.chain([header], rows), filename=f"audit-{stamp}.csv")


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
