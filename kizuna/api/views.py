"""The admin's page for integration tokens: make one (shown once), see which are in use, revoke."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.ops.errors import add_to_form
from kizuna.orgs.access import Role, role_required

from .forms import ApiTokenForm
from .selectors import access_api_token_for_user, api_tokens_for_admin
from .services import ApiTokenError, api_token_create, api_token_revoke

ADMIN = Role.ADMIN


@role_required(ADMIN)
def api_tokens(request: HttpRequest) -> HttpResponse:
    created = raw = None
    form = ApiTokenForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created, raw = api_token_create(
                user=form.cleaned_data["person"], name=form.cleaned_data["name"], created_by=request.user
            )
        except ApiTokenError as exc:
            add_to_form(form, exc)
        else:
            form = ApiTokenForm(admin=request.user)
    page = Paginator(api_tokens_for_admin(request.user), 50).get_page(request.GET.get("page"))
    response = render(request, "api/tokens.html", {"form": form, "page": page, "created": created, "raw": raw})
    # The raw token is in this page only; keep it out of every cache.
    response["Cache-Control"] = "no-store"
    return response


@role_required(ADMIN)
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = access_api_token_for_user(request.user, token_id)
    api_token_revoke(token=token)
    messages.success(
        request, _("The token “%(name)s” of %(person)s is revoked.") % {"name": token.name, "person": token.user}
    )
    return redirect("tokens:api_tokens")
