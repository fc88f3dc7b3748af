"""Reads of the LRS: credentials (statements: kizuna.lrs.statements, documents: kizuna.lrs.documents)."""

import hmac

from .models import LrsCredential, hash_secret


def lrs_credential_for(*, key: str, secret: str) -> LrsCredential | None:
    """Return the active credential with this key whose secret matches, or None."""
    credential = LrsCredential.objects.select_related("partner").filter(key=key, active=True).first()
    if credential is None or not hmac.compare_digest(credential.secret_hash, hash_secret(secret)):
        return None
    return credential
