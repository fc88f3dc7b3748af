"""The principal admin's provisioning tokens: one per agency's directory, shown once when made, revocable."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.ops.errors import add_to_form
from kizuna.orgs.access import Role, role_required, visible_partners

from .forms import ScimTokenForm
from .selectors import access_scim_token_for_user, scim_tokens_for_admin
from .services import ScimError, scim_token_create, scim_token_revoke


@role_required(Role.ADMIN)
def scim_tokens(request: HttpRequest) -> HttpResponse:
    created = raw = None
    partners = visible_partners(request.user).order_by("name")
    form = ScimTokenForm(request.POST or None, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            created, raw = scim_token_create(organization=form.cleaned_data["partner"], name=form.cleaned_data["name"])
        except ScimError as err:
            add_to_form(form, err)
        else:
            form = ScimTokenForm(partners=partners)
    context = {
        "form": form,
        "tokens": scim_tokens_for_admin(request.user)[:200],
        "created": created,
        "raw": raw,
        "base_url": request.build_absolute_uri("/scim/v2"),
    }
    response = render(request, "scim/tokens.html", context)
    # The raw token is in this page only; keep it out of every cache.
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.ADMIN)
@require_POST
def scim_token_revoke_view(request: HttpRequest, scim_token_id: int) -> HttpResponse:
    token = access_scim_token_for_user(request.user, scim_token_id)
    if scim_token_revoke(token=token):
        messages.success(
            request,
            _("The token “%(name)s” of %(partner)s is revoked: its directory can no longer provision.")
            % {"name": token.name, "partner": token.organization},
        )
    return redirect("scim:tokens")
