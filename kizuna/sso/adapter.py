"""allauth's social sign-in, bound to Kizuna's organizations: an identity lands only where its provider belongs."""

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest
from django.shortcuts import render

from .selectors import provider_for_app
from .services import SsoError, sso_person_for


def _claims(extra_data: dict[str, Any]) -> dict[str, Any]:
    """The ID token's claims overlaid with userinfo's: Entra ID puts `roles` only in the ID token."""
    claims = dict(extra_data.get("id_token") or {})
    claims.update(extra_data.get("userinfo") or {})
    if not claims:
        claims = dict(extra_data)
    return claims


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        # New people are created in pre_social_login, in their organization; allauth's sign-up form never shows.
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        provider = provider_for_app(sociallogin.account.provider)
        try:
            if provider is None:
                raise SsoError("")
            linked = sociallogin.user if sociallogin.is_existing else None
            person = sso_person_for(
                provider=provider, claims=_claims(sociallogin.account.extra_data), linked_user=linked
            )
        except SsoError as err:
            response = render(request, "sso/refused.html", {"message": err.message}, status=403)
            raise ImmediateHttpResponse(response) from None
        if not sociallogin.is_existing:
            sociallogin.connect(request, person)
