"""Bearer tokens and secrets that integrations present: made here, and stored only as a hash.

A token is 32 random bytes: a plain SHA-256 of it is as strong as a slow password hash, and it can be
looked up by its hash in one indexed query on every request.
"""

import hashlib
import secrets


def token_new(prefix: str = "") -> str:
    """Return a new random token; the prefix (``kz_``, ``kzscim_``) makes a leaked one easy to recognise."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(raw: str) -> str:
    """Return what is stored of a token (and what a presented one is looked up by)."""
    return hashlib.sha256(raw.encode()).hexdigest()
