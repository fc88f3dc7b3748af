"""The LRS's settings pages for principal admins: forwarding statements to external LRSs."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.ops.errors import add_to_form
from kizuna.orgs.access import Role, role_required

from .forms import ForwarderForm
from .forwarding import (
    LrsForwarderError,
    lrs_forwarder_create,
    lrs_forwarder_delete,
    lrs_forwarder_update,
)
from .models import LrsForwarder
from .selectors import forwarder_status, forwarders_all


def _forwarder(forwarder_id: int) -> LrsForwarder:
    forwarder = LrsForwarder.objects.select_related("partner").filter(pk=forwarder_id).first()
    if forwarder is None:
        raise Http404
    return forwarder


@role_required(Role.ADMIN)
def forwarding(request: HttpRequest) -> HttpResponse:
    """The external LRSs statements are forwarded to, and a form to add one."""
    form = ForwarderForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forwarder = lrs_forwarder_create(
                name=data["name"],
                endpoint=data["endpoint"],
                username=data["username"],
                secret=data["secret"],
                partner_code=data["partner"].slug if data.get("partner") else None,
                version=data["version"],
                batch_size=data["batch_size"],
                actor=request.user,
            )
        except LrsForwarderError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Forwarding set up. Statements are sent within a few minutes."))
            return redirect("lrs:forwarder", forwarder.pk)
    rows = [(f, forwarder_status(f)) for f in forwarders_all()]
    return render(request, "lrs/forwarding.html", {"form": form, "rows": rows})


@role_required(Role.ADMIN)
def forwarder(request: HttpRequest, forwarder_id: int) -> HttpResponse:
    """One forwarder: how it goes (sent, waiting, the last error) and its settings."""
    item = _forwarder(forwarder_id)
    initial = {
        "name": item.name,
        "endpoint": item.endpoint,
        "username": item.username,
        "version": item.version,
        "batch_size": item.batch_size,
        "active": item.active,
    }
    form = ForwarderForm(request.POST or None, user=request.user, forwarder=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lrs_forwarder_update(
                forwarder=item,
                name=data["name"],
                endpoint=data["endpoint"],
                username=data["username"],
                secret=data["secret"],
                version=data["version"],
                batch_size=data["batch_size"],
                active=data["active"],
                actor=request.user,
            )
        except LrsForwarderError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("lrs:forwarder", item.pk)
    return render(request, "lrs/forwarder.html", {"forwarder": item, "status": forwarder_status(item), "form": form})


@require_POST
@role_required(Role.ADMIN)
def forwarder_delete(request: HttpRequest, forwarder_id: int) -> HttpResponse:
    lrs_forwarder_delete(forwarder=_forwarder(forwarder_id), actor=request.user)
    messages.success(request, _("Forwarding removed. The statements stay stored here."))
    return redirect("lrs:forwarding")
