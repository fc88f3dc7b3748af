"""allauth's social sign-in, bound to Kizuna's organizations: an identity lands only where its provider belongs."""

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount import app_settings as allauth_socialaccount_settings
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest
from django.shortcuts import render

from kizuna.ops.outbound import outbound_session

from .saml import ATTRIBUTE_MAPPING
from .selectors import provider_for_app
from .services import SsoError, sso_person_for


def _claims(extra_data: dict[str, Any]) -> dict[str, Any]:
    """The ID token's claims overlaid with userinfo's: Entra ID puts `roles` only in the ID token."""
    claims = dict(extra_data.get("id_token") or {})
    claims.update(extra_data.get("userinfo") or {})
    if not claims:
        claims = dict(extra_data)
    return claims


def _saml_attribute(attributes: dict[str, Any], key: str) -> str:
    for name in ATTRIBUTE_MAPPING[key]:
        values = attributes.get(name)
        if values:
            return str(values[0]).strip()
    return ""


def _saml_claims(sociallogin: Any) -> dict[str, Any]:
    """A SAML assertion's attributes as claims: the address, its verification, the name (family name first).

    The IdP signed the assertion and the address must be in its organization's domains; it counts as verified
    unless the IdP says otherwise in an `email_verified` attribute.
    """
    attributes = dict(sociallogin.account.extra_data or {})
    verified = _saml_attribute(attributes, "email_verified")
    name = _saml_attribute(attributes, "name") or " ".join(
        part for part in (_saml_attribute(attributes, "last_name"), _saml_attribute(attributes, "first_name")) if part
    )
    return {
        **attributes,
        "email": sociallogin.user.email or _saml_attribute(attributes, "email"),
        "email_verified": not verified or verified.lower() in ("true", "1", "yes"),
        "name": name,
    }


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_requests_session(self) -> Any:
        """allauth fetches the OIDC discovery document, the signing keys, the tokens and the user info with this
        session: only from public addresses, connecting to the address checked (kizuna.ops.outbound: no SSRF)."""
        return outbound_session(timeout=allauth_socialaccount_settings.REQUESTS_TIMEOUT)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        # New people are created in pre_social_login, in their organization; allauth's sign-up form never shows.
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        provider = provider_for_app(sociallogin.account.provider)
        try:
            if provider is None:
                raise SsoError("")
            linked = sociallogin.user if sociallogin.is_existing else None
            claims = _saml_claims(sociallogin) if provider.is_saml else _claims(sociallogin.account.extra_data)
            person = sso_person_for(provider=provider, claims=claims, linked_user=linked)
        except SsoError as err:
            response = render(request, "sso/refused.html", {"message": err.message}, status=403)
            raise ImmediateHttpResponse(response) from None
        if not sociallogin.is_existing:
            sociallogin.connect(request, person)
