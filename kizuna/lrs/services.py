"""Writes of the LRS: credentials, statements (kizuna.lrs.statements) and documents (kizuna.lrs.documents)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.ops.errors import ApplicationError
from kizuna.ops.tokens import token_hash, token_new
from kizuna.ops.trail import Action, audit_record
from kizuna.orgs.selectors import organizations_all

from .models import LrsCredential, new_key


class LrsCredentialError(ApplicationError):
    """A credential that cannot be made; the message is shown to the user."""


def lrs_credential_create(*, name: str, partner_code: str | None = None) -> tuple[LrsCredential, str]:
    """Make credentials for an integration; return them with the raw secret, which is shown only now.

    Without a partner the credential acts for the principal (every agency's statements); with one, it reads
    and writes only that partner's.
    """
    name = name.strip()
    if not name:
        raise LrsCredentialError(_("Give the credential a name, such as the system that will use it."))
    partner: Any = None
    if partner_code:
        partner = organizations_all().filter(slug=partner_code.strip(), kind="partner").first()
        if partner is None:
            raise LrsCredentialError(_("No partner has the code %(code)s.") % {"code": partner_code})
    secret = token_new()
    with transaction.atomic():
        credential = LrsCredential.objects.create(
            name=name[:100], key=new_key(), secret_hash=token_hash(secret), partner=partner
        )
        # The key names the credential; the secret never enters the trail.
        audit_record(
            action=Action.LRS_CREDENTIAL_CREATE,
            target=credential,
            target_label=f"{credential.name} ({credential.key})",
            organization_id=partner.pk if partner is not None else None,
            after={"name": credential.name, "key": credential.key, "partner": partner_code or None},
        )
    return credential, secret


def lrs_credential_deactivate(*, credential: LrsCredential) -> LrsCredential:
    """Refuse this credential from now on."""
    with transaction.atomic():
        if credential.active:
            audit_record(
                action=Action.LRS_CREDENTIAL_DEACTIVATE,
                target=credential,
                target_label=f"{credential.name} ({credential.key})",
                organization_id=credential.partner_id,
                before={"active": True},
                after={"active": False},
            )
        credential.active = False
        LrsCredential.objects.filter(pk=credential.pk).update(active=False)
    return credential


def lrs_credential_note_version(*, credential: LrsCredential, version: str) -> None:
    """Remember the xAPI version this integration speaks (written only when it changes)."""
    credential.last_version = version
    LrsCredential.objects.filter(pk=credential.pk).update(last_version=version)
