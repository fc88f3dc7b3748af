"""Reads of single sign-on: which organization's provider an address belongs to, and the admin's list."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kizuna.orgs.access import can_manage_people

from .models import IdentityProvider


def email_domain(email: str) -> str:
    return email.strip().lower().rpartition("@")[2]


def provider_for_email(email: str) -> IdentityProvider | None:
    """Return the identity provider covering this address's domain, or None (people then use passwords)."""
    domain = email_domain(email)
    if not domain:
        return None
    for provider in IdentityProvider.objects.select_related("organization", "app").filter(
        email_domains__icontains=domain
    ):
        if domain in provider.domains:
            return provider
    return None


def provider_for_app(provider_id: str) -> IdentityProvider | None:
    """Return our provider behind allauth's provider id (the one in the callback URL), or None."""
    return IdentityProvider.objects.select_related("organization", "app").filter(app__provider_id=provider_id).first()


def sso_required_for(*, organization_id: int) -> bool:
    return IdentityProvider.objects.filter(organization_id=organization_id, sso_required=True).exists()


def password_refusal(email: str) -> str | None:
    """Why a password is refused for this address: its person's organization (or its domain's) requires SSO."""
    email = email.strip()
    if not email:
        return None
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.filter(email__iexact=email).select_related("membership").first()
    membership = getattr(person, "membership", None) if person is not None else None
    required = False
    if membership is not None:
        required = sso_required_for(organization_id=membership.organization_id)
    elif person is None:
        provider = provider_for_email(email)
        required = provider is not None and provider.sso_required
    if not required:
        return None
    return _(
        "Your organization signs in with its own identity provider, so passwords are not accepted. "
        "Use “Sign in with your organization” below with your work e-mail."
    )


def providers_for_admin(user: Any) -> QuerySet[IdentityProvider]:
    """Return every identity provider for a principal admin; nothing for anyone else."""
    if not can_manage_people(user):
        return IdentityProvider.objects.none()
    return IdentityProvider.objects.select_related("organization", "app")


def access_provider_for_user(user: Any, provider_id: int) -> IdentityProvider:
    try:
        return providers_for_admin(user).get(pk=provider_id)
    except (IdentityProvider.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
