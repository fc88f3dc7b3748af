"""SAML 2.0 sign-in per organization: allauth's SAML provider (python3-saml, xmlsec), with each assertion usable once.

allauth and python3-saml check the response: the IdP's signature over the assertion (an unsigned or wrongly
signed one is refused), its audience, recipient, destination and validity window, and that it answers a
request this browser made (IdP-initiated sign-in is refused). On top, an assertion's ID is remembered until
it expires, so the same assertion posted again (from any browser) is refused.
"""

from __future__ import annotations

import datetime
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.providers.saml.provider import SAMLProvider  # type: ignore[import-untyped]
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SamlAssertionUse

# How long past its own end an assertion's ID is kept: python3-saml allows this much clock drift.
KEEP_PAST_EXPIRY = datetime.timedelta(minutes=10)
# An assertion without NotOnOrAfter (python3-saml requires one in strict mode) is kept this long.
KEEP_WITHOUT_EXPIRY = datetime.timedelta(days=1)

# Attribute names the big IdPs use, tried in order (allauth's SAML attribute mapping).
ATTRIBUTE_MAPPING = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "email",
        "mail",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ],
    "email_verified": ["email_verified", "http://schemas.auth0.com/email_verified"],
    "first_name": [
        "firstName",
        "given_name",
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    ],
    "last_name": [
        "lastName",
        "family_name",
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    ],
    "name": ["displayName", "name", "http://schemas.microsoft.com/identity/claims/displayname"],
}


def saml_app_settings(*, entity_id: str, sso_url: str, x509cert: str) -> dict[str, Any]:
    """Return the allauth SocialApp settings of an IdP: where to send people, whose signature to trust."""
    return {
        "idp": {"entity_id": entity_id, "sso_url": sso_url, "x509cert": x509cert},
        "attribute_mapping": ATTRIBUTE_MAPPING,
        "advanced": {
            "strict": True,
            # The assertion itself must carry the IdP's signature (Entra ID, Okta and Google sign it).
            "want_assertion_signed": True,
            "want_attribute_statement": False,
            "reject_idp_initiated_sso": True,
            "reject_deprecated_algorithm": True,
            # Only the syntax check of our own URLs: an intranet host name has no dot.
            "allow_single_label_domains": True,
        },
    }


def _refuse(request: Any, message: str) -> ImmediateHttpResponse:
    return ImmediateHttpResponse(render(request, "sso/refused.html", {"message": message}, status=403))


def assertion_use(*, provider_id: str, assertion_id: str, not_on_or_after: datetime.datetime | None) -> bool:
    """Remember that this assertion was used; return False if it had been used before (a replay)."""
    now = timezone.now()
    keep_until = (not_on_or_after or now + KEEP_WITHOUT_EXPIRY - KEEP_PAST_EXPIRY) + KEEP_PAST_EXPIRY
    try:
        with transaction.atomic():
            SamlAssertionUse.objects.create(provider_id=provider_id, assertion_id=assertion_id, keep_until=keep_until)
    except IntegrityError:
        return False
    SamlAssertionUse.objects.filter(keep_until__lt=now).delete()
    return True


class KizunaSAMLProvider(SAMLProvider):  # type: ignore[misc]
    """allauth's SAML provider, refusing an assertion that was used before."""

    # allauth finds the provider's URLs (/accounts/saml/<id>/acs/, …) in this package.
    package = "allauth.socialaccount.providers.saml"

    def sociallogin_from_response(self, request: Any, response: Any) -> Any:
        # `response` is python3-saml's OneLogin_Saml2_Auth, its signature and conditions already checked.
        assertion_id = response.get_last_assertion_id() or response.get_last_message_id()
        expiry = response.get_last_assertion_not_on_or_after()
        not_on_or_after = datetime.datetime.fromtimestamp(expiry, tz=datetime.UTC) if expiry else None
        if not assertion_id or not assertion_use(
            provider_id=self.sub_id, assertion_id=str(assertion_id), not_on_or_after=not_on_or_after
        ):
            raise _refuse(request, _("This sign-in was already used. Start again from the sign-in page of Kizuna."))
        return super().sociallogin_from_response(request, response)
