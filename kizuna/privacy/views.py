"""The privacy notice, a person's own data export, and the principal admin's erasure of departed people."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kizuna.media.serving import stored_file_response
from kizuna.ops.errors import message_user
from kizuna.orgs.access import Role, access_person_for_user, membership_of, role_required

from . import selectors, services
from .services import PrivacyError


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    from kizuna.agreements.selectors import version_in_effect
    from kizuna.agreements.services import DEFAULT_RETENTION_DAYS

    retention_days = DEFAULT_RETENTION_DAYS
    m = membership_of(request.user)
    if m is not None and m.organization.kind == m.organization.Kind.PARTNER:
        version = version_in_effect(m.organization, timezone.localdate())
        if version is not None:
            retention_days = version.retention_days
    return render(
        request,
        "privacy/notice.html",
        {"retention_days": retention_days, "export_days": services.EXPORT_KEPT.days},
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.data_export_request(user=request.user)
        except PrivacyError as exc:
            message_user(request, exc)
        else:
            messages.success(request, _("We are preparing your data. It will be ready to download here shortly."))
        return redirect("privacy:my_data")
    parts = selectors.part_labels()
    return render(
        request,
        "privacy/my_data.html",
        {
            "exports": selectors.my_exports(user=request.user)[:3],
            "parts": parts,
            "export_days": services.EXPORT_KEPT.days,
        },
    )


@login_required
@require_GET
def my_data_download(request: HttpRequest, export_key: Any) -> HttpResponse:
    export = selectors.access_export_for_user(request.user, export_key)
    name = f"kizuna-data-{timezone.localtime(export.requested_at):%Y%m%d-%H%M}.zip"
    # From a bucket, a redirect to a signed URL: the zip never passes through an app server.
    return stored_file_response(request, name=export.file.name, content_type="application/zip", download_name=name)


@role_required(Role.ADMIN)
@require_GET
def erasure_home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    people = selectors.departed_people(viewer=request.user, q=q)[:50]
    return render(
        request, "privacy/erasure_home.html", {"q": q, "people": people, "log": selectors.erasure_log()[:100]}
    )


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access_person_for_user(request.user, person_id)
    error = ""
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            services.person_erase(
                person=person, by=request.user, reason=reason, confirmation=request.POST.get("confirmation", "")
            )
        except PrivacyError as exc:
            error = str(exc)
        else:
            messages.success(request, _("The person was erased. The entry is in the log below."))
            return redirect("privacy:privacy_erasure")
    refusal = services.erasure_refusal(person=person, by=request.user)
    return render(
        request,
        "privacy/person_erase.html",
        {
            "person": person,
            "refusal": refusal,
            "preview": [] if refusal else selectors.erasure_preview(person=person),
            "error": error,
            "reason": reason,
        },
        status=400 if error else 200,
    )
