"""Writes of single sign-on: the principal admin's identity providers, and a person arriving from one.

A person signing in through an organization's provider lands only in that organization: their address must
be in one of the provider's domains, an existing person is linked only by a verified address and only if
they belong to that organization, and a new person is created there (just in time) with the role and team
the provider's claims map to.
"""

import base64
import binascii
import hashlib
import logging
import re
from typing import Any

from allauth.socialaccount.models import SocialApp  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from kizuna.ops.errors import ApplicationError
from kizuna.ops.outbound import OutboundURLError, outbound_url_check
from kizuna.ops.trail import Action, audit_record, changed_fields
from kizuna.orgs.selectors import organization_teams
from kizuna.orgs.services import OrgsError, person_create, roles_for

from .metadata import ERRORS, MetadataFetchError, metadata_fetch
from .models import IdentityProvider
from .saml import saml_app_settings, sp_key_of
from .selectors import email_domain

logger = logging.getLogger(__name__)

DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class SsoError(ApplicationError):
    """A provider setting or a sign-in that cannot be accepted; the message is shown to the person."""


def _clean_domains(text: str, *, provider: IdentityProvider | None) -> list[str]:
    domains = []
    for domain in re.split(r"[\s,]+", text.strip().lower()):
        domain = domain.lstrip("@")
        if not domain:
            continue
        if not DOMAIN_RE.match(domain):
            raise SsoError(
                _("“%(domain)s” is not an e-mail domain (for example partner-a.co.jp).") % {"domain": domain},
                field="email_domains",
            )
        if domain not in domains:
            domains.append(domain)
    if not domains:
        raise SsoError(_("Enter at least one e-mail domain."), field="email_domains")
    others = IdentityProvider.objects.all()
    if provider is not None:
        others = others.exclude(pk=provider.pk)
    for other in others.filter(email_domains__iregex=r"(^|\s)(" + "|".join(re.escape(d) for d in domains) + r")(\s|$)"):
        clash = sorted(set(other.domains) & set(domains))
        if clash:
            raise SsoError(
                _("%(domain)s is already covered by the provider “%(provider)s”.")
                % {"domain": clash[0], "provider": other.name},
                field="email_domains",
            )
    return domains


def _provider_state(provider: IdentityProvider | None) -> dict[str, Any]:
    """What the audit trail keeps of a provider: its settings, the certificate by fingerprint, never the secret."""
    if provider is None:
        return {}
    app = provider.app
    state: dict[str, Any] = {
        "protocol": app.provider,
        "name": provider.name,
        "domains": provider.domains,
        "sso_required": provider.sso_required,
        "role_claim": provider.role_claim,
        "team_claim": provider.team_claim,
    }
    settings = app.settings or {}
    if provider.is_saml:
        idp = settings.get("idp", {})
        state["entity_id"] = idp.get("entity_id", "")
        state["sso_url"] = idp.get("sso_url", "")
        state["slo_url"] = idp.get("slo_url", "")
        state["metadata_url"] = provider.metadata_url
        try:
            state["certificate_sha256"] = hashlib.sha256(base64.b64decode(idp.get("x509cert", ""))).hexdigest()
        except binascii.Error:
            state["certificate_sha256"] = ""
    else:
        state["discovery_url"] = settings.get("server_url", "")
        state["client_id"] = app.client_id
    return state


def _provider_record(
    *,
    provider: IdentityProvider | None,
    before: dict[str, Any],
    organization: Any,
    app: SocialApp,
    name: str,
    domains: list[str],
    sso_required: bool,
    role_claim: str,
    team_claim: str,
    secret_changed: bool = False,
    metadata_url: str | None = None,
) -> IdentityProvider:
    created = provider is None
    provider = provider or IdentityProvider(organization=organization, app=app)
    if metadata_url is not None:
        _metadata_state_set(provider, metadata_url=metadata_url)
    provider.name = name
    provider.email_domains = "\n".join(domains)
    provider.sso_required = sso_required
    provider.role_claim = role_claim.strip()[:100]
    provider.team_claim = team_claim.strip()[:100]
    provider.save()
    old, new = changed_fields(before, _provider_state(provider))
    if secret_changed and not created:
        # Said, never shown: the secret itself never enters the trail.
        new["client_secret"] = "changed"  # noqa: S105
    if created or new or old:
        audit_record(
            action=Action.SSO_PROVIDER_CREATE if created else Action.SSO_PROVIDER_UPDATE,
            target=provider,
            target_label=provider.name,
            organization_id=provider.organization_id,
            before=old,
            after=new,
        )
    return provider


def _new_provider_id(organization: Any) -> str:
    return f"kizuna-{organization.slug}-{get_random_string(6).lower()}"


def identity_provider_save(
    *,
    provider: IdentityProvider | None,
    organization: Any,
    name: str,
    discovery_url: str,
    client_id: str,
    client_secret: str,
    email_domains: str,
    sso_required: bool,
    role_claim: str,
    team_claim: str,
) -> IdentityProvider:
    """Create or change an organization's OpenID Connect provider (its allauth app goes with it)."""
    name, discovery_url, client_id = name.strip(), discovery_url.strip(), client_id.strip()
    if not name:
        raise SsoError(_("Enter a name, such as the provider's product name."), field="name")
    try:
        URLValidator(schemes=["https", "http"])(discovery_url)
    except ValidationError:
        raise SsoError(_("Enter the provider's issuer or discovery URL (https://…)."), field="discovery_url") from None
    try:
        # Kizuna's server fetches the discovery document, the keys and the tokens from there: never internally.
        outbound_url_check(discovery_url, schemes=("https", "http"), field="discovery_url")
    except OutboundURLError as err:
        raise SsoError(err.message, field="discovery_url", code="internal") from None
    if not client_id:
        raise SsoError(_("Enter the client ID the provider gave Kizuna."), field="client_id")
    if provider is None and not client_secret:
        raise SsoError(_("Enter the client secret the provider gave Kizuna."), field="client_secret")
    domains = _clean_domains(email_domains, provider=provider)
    before = _provider_state(provider)
    secret_changed = provider is not None and bool(client_secret) and client_secret != provider.app.secret
    with transaction.atomic():
        if provider is None:
            app = SocialApp(provider="openid_connect", provider_id=_new_provider_id(organization))
        else:
            app = provider.app
        app.name, app.client_id = name, client_id
        if client_secret:
            app.secret = client_secret
        app.settings = {**(app.settings or {}), "server_url": discovery_url}
        app.save()
        return _provider_record(
            provider=provider,
            before=before,
            organization=organization,
            app=app,
            name=name,
            domains=domains,
            sso_required=sso_required,
            role_claim=role_claim,
            team_claim=team_claim,
            secret_changed=secret_changed,
        )


def _saml_idp_from_metadata(metadata_xml: str) -> tuple[str, str, str, str]:
    """Return (entity id, sign-in URL, certificate, sign-out URL or "") read from an IdP's metadata XML."""
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser  # type: ignore[import-untyped]

    bad = _("This is not the SAML metadata of an identity provider (an EntityDescriptor with an IDPSSODescriptor).")
    try:
        # python3-saml's parser refuses DTDs and entities (no XXE); the HTTP-Redirect sign-in URL is the one used.
        idp = OneLogin_Saml2_IdPMetadataParser.parse(metadata_xml.strip().encode()).get("idp") or {}
    except Exception:  # noqa: BLE001 — any parse failure of text an admin pasted is the same message
        raise SsoError(bad, field="metadata_xml") from None
    certs = idp.get("x509certMulti", {}).get("signing") or [idp.get("x509cert", "")]
    sso_url = (idp.get("singleSignOnService") or {}).get("url", "")
    if not idp.get("entityId") or not sso_url or not certs[0]:
        raise SsoError(bad, field="metadata_xml")
    slo_url = (idp.get("singleLogoutService") or {}).get("url", "")
    return idp["entityId"], sso_url, certs[0], slo_url


def _clean_certificate(text: str) -> str:
    """Return the IdP's signing certificate as base64 DER (what python3-saml keeps), or refuse it."""
    from cryptography import x509
    from onelogin.saml2.utils import OneLogin_Saml2_Utils  # type: ignore[import-untyped]

    body = OneLogin_Saml2_Utils.format_cert(text.strip(), heads=False)
    try:
        x509.load_pem_x509_certificate(OneLogin_Saml2_Utils.format_cert(body).encode())
    except ValueError:
        raise SsoError(
            _("Paste the identity provider's signing certificate (X.509, Base64 or PEM)."), field="x509cert"
        ) from None
    return body


def saml_provider_save(
    *,
    provider: IdentityProvider | None,
    organization: Any,
    name: str,
    metadata_xml: str,
    entity_id: str,
    sso_url: str,
    x509cert: str,
    email_domains: str,
    sso_required: bool,
    role_claim: str,
    team_claim: str,
    slo_url: str = "",
    metadata_url: str = "",
) -> IdentityProvider:
    """Create or change an organization's SAML identity provider, from its metadata (URL or XML) or values typed in.

    With a metadata URL, the metadata is fetched now (a failure refuses the save) and again every night.
    """
    name, metadata_url = name.strip(), metadata_url.strip()
    if not name:
        raise SsoError(_("Enter a name, such as the provider's product name."), field="name")
    if metadata_url:
        try:
            URLValidator(schemes=["https", "http"])(metadata_url)
            metadata_xml = metadata_fetch(metadata_url).decode("utf-8", "replace")
        except ValidationError:
            raise SsoError(str(ERRORS["not_https"]), field="metadata_url", code="not_https") from None
        except MetadataFetchError as err:
            raise SsoError(err.message, field="metadata_url", code=err.code) from None
        try:
            entity_id, sso_url, x509cert, slo_url = _saml_idp_from_metadata(metadata_xml)
        except SsoError:
            raise SsoError(str(ERRORS["not_metadata"]), field="metadata_url", code="not_metadata") from None
    elif metadata_xml.strip():
        entity_id, sso_url, x509cert, slo_url = _saml_idp_from_metadata(metadata_xml)
    entity_id, sso_url, slo_url = entity_id.strip(), sso_url.strip(), slo_url.strip()
    if not entity_id:
        raise SsoError(_("Enter the identity provider's entity ID, or paste its metadata XML."), field="entity_id")
    try:
        URLValidator(schemes=["https", "http"])(sso_url)
    except ValidationError:
        raise SsoError(_("Enter the identity provider's sign-in (SSO) URL (https://…)."), field="sso_url") from None
    if slo_url:
        try:
            URLValidator(schemes=["https", "http"])(slo_url)
        except ValidationError:
            raise SsoError(
                _("Enter the identity provider's sign-out (SLO) URL (https://…), or leave it empty."), field="slo_url"
            ) from None
    if not x509cert.strip():
        raise SsoError(_("Paste the identity provider's signing certificate, or its metadata XML."), field="x509cert")
    certificate = _clean_certificate(x509cert)
    domains = _clean_domains(email_domains, provider=provider)
    before = _provider_state(provider)
    with transaction.atomic():
        if provider is None:
            # allauth's SAML URLs carry the app's client_id: /accounts/saml/<client_id>/acs/.
            provider_id = _new_provider_id(organization)
            app = SocialApp(provider="saml", provider_id=provider_id, client_id=provider_id)
        else:
            app = provider.app
        app.name = name
        app.settings = saml_app_settings(
            entity_id=entity_id[:1024],
            sso_url=sso_url,
            x509cert=certificate,
            slo_url=slo_url,
            sp_key=sp_key_of(app.settings),
        )
        app.save()
        return _provider_record(
            provider=provider,
            before=before,
            organization=organization,
            app=app,
            name=name,
            domains=domains,
            sso_required=sso_required,
            role_claim=role_claim,
            team_claim=team_claim,
            metadata_url=metadata_url,
        )


def _metadata_state_set(provider: IdentityProvider, *, metadata_url: str) -> None:
    provider.metadata_url = metadata_url
    provider.metadata_refreshed_at = timezone.now() if metadata_url else None
    provider.metadata_error = provider.metadata_error_detail = ""


def saml_metadata_refresh(*, provider: IdentityProvider) -> bool:
    """Fetch a SAML IdP's metadata again from its URL and take its entity ID, URLs and certificate; return success.

    A failure keeps what Kizuna had and notes why (shown on the provider's page). The trail records a refresh
    that changed the IdP's values, and a failure when it starts or its reason changes (not every night's).
    """
    url = provider.metadata_url
    if not url or not provider.is_saml:
        return False
    try:
        document = metadata_fetch(url).decode("utf-8", "replace")
        try:
            entity_id, sso_url, x509cert, slo_url = _saml_idp_from_metadata(document)
        except SsoError:
            raise MetadataFetchError("not_metadata") from None
    except MetadataFetchError as err:
        logger.warning("SAML metadata of provider %s (%s) not refreshed: %s %s", provider.pk, url, err.code, err.detail)
        with transaction.atomic():
            if (provider.metadata_error, provider.metadata_error_detail) != (err.code, err.detail):
                audit_record(
                    action=Action.SSO_PROVIDER_UPDATE,
                    target=provider,
                    target_label=provider.name,
                    organization_id=provider.organization_id,
                    before={"metadata_error": provider.metadata_error},
                    after={"metadata_url": url, "metadata_error": err.code, "metadata_error_detail": err.detail},
                )
            provider.metadata_error, provider.metadata_error_detail = err.code, err.detail
            provider.save(update_fields=["metadata_error", "metadata_error_detail"])
        return False
    with transaction.atomic():
        before = _provider_state(provider)
        had_error = provider.metadata_error
        app = provider.app
        app.settings = saml_app_settings(
            entity_id=entity_id[:1024],
            sso_url=sso_url,
            x509cert=_clean_certificate(x509cert),
            slo_url=slo_url,
            sp_key=sp_key_of(app.settings),
        )
        app.save(update_fields=["settings"])
        _metadata_state_set(provider, metadata_url=url)
        provider.save(update_fields=["metadata_refreshed_at", "metadata_error", "metadata_error_detail"])
        old, new = changed_fields(before, _provider_state(provider))
        if old or new or had_error:
            audit_record(
                action=Action.SSO_PROVIDER_UPDATE,
                target=provider,
                target_label=provider.name,
                organization_id=provider.organization_id,
                before={**old, **({"metadata_error": had_error} if had_error else {})},
                after={**new, "refreshed_from": url},
            )
    return True


def saml_metadata_refresh_all() -> int:
    """Refresh every SAML IdP configured by metadata URL (the nightly job); return how many succeeded."""
    providers = IdentityProvider.objects.select_related("app").exclude(metadata_url="").order_by("pk")
    return sum(saml_metadata_refresh(provider=provider) for provider in providers)


def identity_provider_delete(*, provider: IdentityProvider) -> None:
    """Remove a provider; people it signed in keep their accounts and may be invited to set a password."""
    with transaction.atomic():
        audit_record(
            action=Action.SSO_PROVIDER_DELETE,
            target=provider,
            target_label=provider.name,
            organization_id=provider.organization_id,
            before=_provider_state(provider),
        )
        provider.app.delete()  # cascades to the provider and the linked identities


# --- A person arriving from a provider ---------------------------------------------------------------------


def _claim_values(claims: dict[str, Any], name: str) -> list[str]:
    value = claims.get(name) if name else None
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


def _mapped_role(provider: IdentityProvider, claims: dict[str, Any]) -> str | None:
    """The first role the claim names that the organization allows (partner: manager or rep)."""
    allowed = roles_for(provider.organization)
    for value in _claim_values(claims, provider.role_claim):
        value = value.lower().replace("partner_manager", "manager").replace("partner manager", "manager")
        if value in allowed:
            return value
    return "rep" if "rep" in allowed else None


def _mapped_team(provider: IdentityProvider, claims: dict[str, Any]) -> Any | None:
    names = _claim_values(claims, provider.team_claim)
    if not names:
        return None
    return organization_teams(organization=provider.organization).filter(name=names[0]).first()


def sso_person_for(*, provider: IdentityProvider, claims: dict[str, Any], linked_user: Any | None) -> Any:
    """Return the person this identity signs in as, creating them in the provider's organization if new.

    Raises SsoError (said to the person) when the identity does not belong to the provider's organization.
    """
    organization = provider.organization
    refused = _(
        "This sign-in cannot be accepted: your account does not belong to the organization of this provider. Sign in through your own organization."
    )
    if linked_user is not None:
        membership = getattr(linked_user, "membership", None)
        if membership is None or membership.organization_id != organization.pk:
            raise SsoError(refused)
        if not linked_user.is_active:
            raise SsoError(_("Your account is deactivated. Ask your manager."))
        return linked_user
    email = str(claims.get("email") or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise SsoError(_("Your provider did not send an e-mail address. Ask your administrator.")) from None
    if email_domain(email) not in provider.domains:
        raise SsoError(refused)
    verified = claims.get("email_verified")
    verified = verified is True or str(verified).lower() == "true"
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.filter(email__iexact=email).select_related("membership").first()
    if existing is not None:
        membership = getattr(existing, "membership", None)
        if membership is None or membership.organization_id != organization.pk:
            raise SsoError(refused)
        if not verified:
            raise SsoError(
                _(
                    "Your provider has not verified your e-mail address, so it cannot be linked to your account. Ask your administrator."
                )
            )
        if not existing.is_active:
            raise SsoError(_("Your account is deactivated. Ask your manager."))
        return existing
    role = _mapped_role(provider, claims)
    if role is None:
        raise SsoError(_("Your provider did not say which role you have in Kizuna. Ask your administrator."))
    name = str(claims.get("name") or " ".join(str(claims.get(k) or "") for k in ("family_name", "given_name"))).strip()
    try:
        return person_create(
            name=name or email.split("@")[0],
            email=email,
            organization=organization,
            role=role,
            team=_mapped_team(provider, claims),
            invited_by=None,
            send_invitation=False,
        )
    except OrgsError as err:
        raise SsoError(err.message) from None
