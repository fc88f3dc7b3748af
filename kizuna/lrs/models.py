"""The learning record store at /xapi/: the credentials integrations use, the statements they send, their documents.

Kizuna's own statements live in `records.Statement`, whose actor is always one of our people. An LRS must
also keep statements about anyone (an agent known only by an e-mail address, a group, a sub-statement), so
those are kept here whole, as the JSON they were stored as, with the columns and index rows the queries of
the Statements resource filter on.
"""

import hashlib
import secrets

from django.db import models

KEY_PREFIX = "kzl_"


def hash_secret(raw: str) -> str:
    # The secret is 32 random bytes: a plain SHA-256 is as strong as a slow hash here, and costs nothing per request.
    return hashlib.sha256(raw.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_hex(10)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class LrsCredential(models.Model):
    """HTTP Basic credentials of one integration, scoped to the principal (partner empty) or to one partner."""

    name = models.CharField(max_length=100)
    key = models.CharField(max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64)
    partner = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"
