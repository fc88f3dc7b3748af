"""SAML 2.0 sign-in per organization: allauth's SAML provider (python3-saml, xmlsec), with each assertion usable once.

allauth and python3-saml check the response: the IdP's signature over the assertion (an unsigned or wrongly
signed one is refused), its audience, recipient, destination and validity window, and that it answers a
request this browser made (IdP-initiated sign-in is refused). On top, an assertion's ID is remembered until
it expires, so the same assertion posted again (from any browser) is refused.
"""

from __future__ import annotations

import base64
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

# Where the IdP's NameID and SessionIndex of a sign-in wait until the person is signed in.
PENDING_SESSION_KEY = "kizuna_saml_pending"

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


def sp_keypair() -> tuple[str, str]:
    """Return (private key PEM, certificate base64 DER) with which Kizuna signs its sign-out messages to one IdP.

    Self-signed and valid for ten years: SAML peers trust the certificate itself (from Kizuna's metadata or
    uploaded at the IdP), not a chain.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kizuna SAML service provider")])
    now = timezone.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def saml_app_settings(
    *,
    entity_id: str,
    sso_url: str,
    x509cert: str,
    slo_url: str = "",
    sp_key: tuple[str, str] | None = None,
    metadata_url: str = "",
) -> dict[str, Any]:
    """Return the allauth SocialApp settings of an IdP: where to send people, whose signature to trust.

    `sp_key` is Kizuna's own key and certificate for this IdP (made once, kept on every later save): the
    sign-out messages Kizuna sends are signed with it, and its metadata publishes the certificate.
    """
    private_key, certificate = sp_key or sp_keypair()
    idp: dict[str, Any] = {"entity_id": entity_id, "sso_url": sso_url, "x509cert": x509cert}
    if slo_url:
        idp["slo_url"] = slo_url
    settings: dict[str, Any] = {
        "idp": idp,
        "attribute_mapping": ATTRIBUTE_MAPPING,
        "advanced": {
            "strict": True,
            "private_key": private_key,
            "x509cert": certificate,
            # Single Logout: what Kizuna sends is signed (HTTP-Redirect); what it receives must be (slo.py).
            "logout_request_signed": True,
            "logout_response_signed": True,
            # The assertion itself must carry the IdP's signature (Entra ID, Okta and Google sign it).
            "want_assertion_signed": True,
            "want_attribute_statement": False,
            "reject_idp_initiated_sso": True,
            "reject_deprecated_algorithm": True,
            # Only the syntax check of our own URLs: an intranet host name has no dot.
            "allow_single_label_domains": True,
        },
    }
    if metadata_url:
        # Kept beside the values it filled (allauth's own `idp.metadata_url` would fetch it on every sign-in).
        settings["kizuna"] = {"metadata_url": metadata_url}
    return settings


def sp_key_of(app_settings: dict[str, Any] | None) -> tuple[str, str] | None:
    """Return Kizuna's key and certificate already kept in an IdP's settings, or None."""
    advanced = (app_settings or {}).get("advanced") or {}
    if advanced.get("private_key") and advanced.get("x509cert"):
        return advanced["private_key"], advanced["x509cert"]
    return None


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
        # What the IdP's session is called, for Single Logout: kept once the person is signed in (slo.py).
        pending = {
            "provider_id": self.sub_id,
            "name_id": str(response.get_nameid() or ""),
            "name_id_format": str(response.get_nameid_format() or ""),
            "name_qualifier": str(response.get_nameid_nq() or ""),
            "sp_name_qualifier": str(response.get_nameid_spnq() or ""),
            "session_index": str(response.get_session_index() or ""),
        }
        request.session[PENDING_SESSION_KEY] = pending
        request.kizuna_saml_pending = pending  # in case signing in replaces the session (another person's)
        return super().sociallogin_from_response(request, response)
