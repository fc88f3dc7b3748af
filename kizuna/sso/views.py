"""Single sign-on pages: "sign in with your organization" from the sign-in page, and the admin's providers."""

import logging

import requests
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.ops.errors import add_to_form
from kizuna.orgs.access import Role, role_required
from kizuna.orgs.selectors import organizations_all

from . import services
from .forms import IdentityProviderForm, SsoStartForm
from .selectors import access_provider_for_user, provider_for_email, providers_for_admin

logger = logging.getLogger(__name__)


@require_POST
def sso_start(request: HttpRequest) -> HttpResponse:
    """Send the person to their organization's identity provider, chosen by their e-mail's domain."""
    form = SsoStartForm(request.POST)
    if not form.is_valid():
        return render(request, "sso/start.html", {"form": form}, status=400)
    email = form.cleaned_data["email"]
    provider = provider_for_email(email)
    if provider is None:
        form.add_error(
            "email",
            _("Your organization does not sign in with its own provider. Sign in with your e-mail and password."),
        )
        return render(request, "sso/start.html", {"form": form}, status=400)
    # allauth's OpenID Connect flow (state, nonce, PKCE, token check) starts here, with the address as a hint.
    oidc = provider.app.get_provider(request)
    try:
        redirect_to_provider = oidc.redirect(
            request,
            "login",
            next_url=request.POST.get("next") or None,
            auth_params={**oidc.get_auth_params(), "login_hint": email},
        )
    except requests.RequestException:
        logger.exception("identity provider %s (%s) cannot be reached", provider.pk, provider.name)
        form.add_error("email", _("Your organization's sign-in service cannot be reached. Try again in a few minutes."))
        return render(request, "sso/start.html", {"form": form}, status=502)
    if redirect_to_provider.status_code != 302:
        return redirect_to_provider  # allauth's own error page
    # Our pages allow forms to post only to Kizuna (CSP form-action 'self'), which browsers also apply to the
    # redirect a form's answer makes: the provider is reached by a plain navigation instead.
    return render(request, "sso/continue.html", {"provider": provider, "url": redirect_to_provider["Location"]})


@role_required(Role.ADMIN)
def providers(request: HttpRequest) -> HttpResponse:
    form = IdentityProviderForm(request.POST or None, organizations=organizations_all())
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_provider_save(provider=None, **form.cleaned_data)
        except services.SsoError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("The identity provider is saved."))
            return redirect("sso:providers")
    return render(request, "sso/providers.html", {"providers": providers_for_admin(request.user), "form": form})


@role_required(Role.ADMIN)
def provider_edit(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = access_provider_for_user(request.user, provider_id)
    initial = {
        "organization": provider.organization,
        "name": provider.name,
        "discovery_url": provider.app.settings.get("server_url", ""),
        "client_id": provider.app.client_id,
        "email_domains": provider.email_domains,
        "sso_required": provider.sso_required,
        "role_claim": provider.role_claim,
        "team_claim": provider.team_claim,
    }
    form = IdentityProviderForm(request.POST or None, initial=initial, organizations=organizations_all())
    if request.method == "POST" and request.POST.get("delete"):
        services.identity_provider_delete(provider=provider)
        messages.success(request, _("The identity provider is removed."))
        return redirect("sso:providers")
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "organization": provider.organization}
        try:
            services.identity_provider_save(provider=provider, **data)
        except services.SsoError as err:
            add_to_form(form, err)
        else:
            messages.success(request, _("The identity provider is saved."))
            return redirect("sso:providers")
    callback = request.build_absolute_uri(provider.app.get_provider(request).get_callback_url())
    return render(request, "sso/provider_edit.html", {"provider": provider, "form": form, "callback": callback})
