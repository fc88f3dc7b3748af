"""Single sign-on pages: "sign in with your organization" from the sign-in page, and the admin's providers."""

import logging
from typing import Any

import requests
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kizuna.ops.errors import add_to_form
from kizuna.orgs.access import Role, role_required
from kizuna.orgs.selectors import organizations_all

from . import services, slo
from .forms import IdentityProviderForm, SamlIdentityProviderForm, SsoStartForm
from .metadata import error_message
from .models import IdentityProvider
from .selectors import access_provider_for_user, provider_for_app, provider_for_email, providers_for_admin

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
    # allauth's flow starts here: OpenID Connect (state, nonce, PKCE, token check) with the address as a hint,
    # or a SAML AuthnRequest (HTTP-Redirect) whose ID the assertion must answer.
    allauth_provider = provider.app.get_provider(request)
    next_url = request.POST.get("next") or None
    try:
        if provider.is_saml:
            redirect_to_provider = allauth_provider.redirect(request, "login", next_url=next_url)
        else:
            redirect_to_provider = allauth_provider.redirect(
                request,
                "login",
                next_url=next_url,
                auth_params={**allauth_provider.get_auth_params(), "login_hint": email},
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


@require_GET
def saml_sign_out(request: HttpRequest) -> HttpResponse:
    """After signing out of Kizuna, open the IdP's sign-out with Kizuna's signed LogoutRequest."""
    sign_out = slo.saml_sign_out_start(request=request, token=request.GET.get("t", ""))
    if sign_out is None:
        return redirect("account_login")
    # A plain navigation, as for signing in: the sign-out form's redirect may not leave Kizuna (CSP form-action).
    return render(request, "sso/sign_out_continue.html", {"provider": sign_out.provider, "url": sign_out.url})


@require_GET
def saml_sls(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """The Single Logout service (HTTP-Redirect): the IdP's answer to Kizuna's sign-out, or its own sign-out."""
    provider = provider_for_app(organization_slug)
    if provider is None or not provider.is_saml:
        raise Http404
    if "SAMLResponse" in request.GET:
        if not slo.saml_logout_confirm(request=request, provider=provider):
            message = _(
                "You are signed out of Kizuna, but %(provider)s did not confirm that you are signed out there. "
                "Close the browser to be sure."
            ) % {"provider": provider.name}
            return render(request, "sso/sign_out_refused.html", {"message": message}, status=400)
        messages.success(request, _("You are signed out of Kizuna and of %(provider)s.") % {"provider": provider.name})
        return redirect("account_login")
    answer_url = slo.saml_logout_request_answer(request=request, provider=provider)
    if answer_url is None:
        message = _("This sign-out request from %(provider)s cannot be accepted.") % {"provider": provider.name}
        return render(request, "sso/sign_out_refused.html", {"message": message}, status=400)
    return HttpResponseRedirect(answer_url)


def _pem(certificate: str) -> str:
    """Kizuna's certificate for an IdP as PEM, the form IdPs ask to upload (Okta's "Signature Certificate")."""
    if not certificate:
        return ""
    lines = [certificate[i : i + 64] for i in range(0, len(certificate), 64)]
    return "\n".join(["-----BEGIN CERTIFICATE-----", *lines, "-----END CERTIFICATE-----"])


def _saml_initial(provider: IdentityProvider) -> dict[str, Any]:
    idp = provider.app.settings.get("idp", {})
    return {
        "metadata_url": provider.metadata_url,
        "entity_id": idp.get("entity_id", ""),
        "sso_url": idp.get("sso_url", ""),
        "slo_url": idp.get("slo_url", ""),
        "x509cert": idp.get("x509cert", ""),
    }


def _save(form: Any, *, provider: IdentityProvider | None, saml: bool) -> bool:
    """Save the provider the form describes; put a refusal on the form and return False."""
    data = dict(form.cleaned_data)
    if provider is not None:
        data["organization"] = provider.organization
    try:
        if saml:
            services.saml_provider_save(provider=provider, **data)
        else:
            services.identity_provider_save(provider=provider, **data)
    except services.SsoError as err:
        add_to_form(form, err)
        return False
    return True


@role_required(Role.ADMIN)
def providers(request: HttpRequest) -> HttpResponse:
    # Each "add" form says its protocol; a form without one is the OpenID Connect form (as before SAML).
    posted = request.POST.get("protocol", "oidc") if request.method == "POST" else None
    form = IdentityProviderForm(request.POST if posted == "oidc" else None, organizations=organizations_all())
    saml_form = SamlIdentityProviderForm(
        request.POST if posted == "saml" else None, organizations=organizations_all(), prefix="saml"
    )
    bound = saml_form if posted == "saml" else form if posted == "oidc" else None
    if bound is not None and bound.is_valid() and _save(bound, provider=None, saml=posted == "saml"):
        messages.success(request, _("The identity provider is saved."))
        return redirect("sso:providers")
    context = {"providers": providers_for_admin(request.user), "form": form, "saml_form": saml_form}
    return render(request, "sso/providers.html", context)


@role_required(Role.ADMIN)
def provider_edit(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = access_provider_for_user(request.user, provider_id)
    initial = {
        "organization": provider.organization,
        "name": provider.name,
        "email_domains": provider.email_domains,
        "sso_required": provider.sso_required,
        "role_claim": provider.role_claim,
        "team_claim": provider.team_claim,
    }
    form: IdentityProviderForm | SamlIdentityProviderForm
    if provider.is_saml:
        form = SamlIdentityProviderForm(
            request.POST or None, initial={**initial, **_saml_initial(provider)}, organizations=organizations_all()
        )
    else:
        initial.update(discovery_url=provider.app.settings.get("server_url", ""), client_id=provider.app.client_id)
        form = IdentityProviderForm(request.POST or None, initial=initial, organizations=organizations_all())
    if request.method == "POST" and request.POST.get("refresh") and provider.metadata_url:
        if services.saml_metadata_refresh(provider=provider):
            messages.success(request, _("The identity provider's metadata is read again."))
        else:
            messages.error(request, error_message(provider.metadata_error, provider.metadata_error_detail))
        return redirect("sso:provider_edit", provider_id=provider.pk)
    if request.method == "POST" and request.POST.get("delete"):
        services.identity_provider_delete(provider=provider)
        messages.success(request, _("The identity provider is removed."))
        return redirect("sso:providers")
    if request.method == "POST" and form.is_valid() and _save(form, provider=provider, saml=provider.is_saml):
        messages.success(request, _("The identity provider is saved."))
        return redirect("sso:providers")
    context: dict[str, Any] = {"provider": provider, "form": form}
    if provider.is_saml:
        slug = provider.app.client_id
        context["saml_sp"] = {
            "entity_id": request.build_absolute_uri(reverse("saml_metadata", args=[slug])),
            "acs": request.build_absolute_uri(reverse("saml_acs", args=[slug])),
            "sls": request.build_absolute_uri(reverse("saml_sls", args=[slug])),
            "metadata_error": provider.metadata_error
            and error_message(provider.metadata_error, provider.metadata_error_detail),
            "certificate": _pem(provider.app.settings.get("advanced", {}).get("x509cert", "")),
        }
    else:
        context["callback"] = request.build_absolute_uri(provider.app.get_provider(request).get_callback_url())
    return render(request, "sso/provider_edit.html", context)
