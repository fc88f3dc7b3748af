"""Sign-in throttling: wrong passwords slow the next attempt down; they never lock the real person out.

The exact rule (README "Sign-in limits"), counted in the shared cache so every process sees it:

- **E-mail + address**: after the Nth wrong password in a row for one e-mail from one address, the next
  attempt for that e-mail from that address waits 2^N seconds (the first two are free: a typo costs
  nothing), at most 15 minutes. A correct password from that address starts again from zero.
- **Address** (all e-mails): an address may get 100 passwords wrong an hour (an office of 200 reps
  behind one address, with their typos); each wrong one beyond makes the address wait 2^(N-100)
  seconds, at most 15 minutes. Correct sign-ins are never counted.
- **E-mail** (all addresses): 20 wrong passwords an hour from anywhere; beyond, each makes new browsers
  wait 2^(N-20) seconds, at most 15 minutes. A browser that has signed in to that account before
  carries a signed cookie and is not slowed by this rule, so attackers spread over many addresses
  cannot keep the real person out. A password reset by e-mail clears every count for the account.

While a wait runs, the attempt is refused without checking the password (otherwise the answer would
tell an attacker whether the guess was right), with a message saying how long to wait.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

FREE_PER_ACCOUNT_ADDRESS = 2
FREE_PER_ADDRESS = 100
FREE_PER_ACCOUNT = 20
MAX_WAIT_SECONDS = 15 * 60
WINDOW_SECONDS = 60 * 60
DEVICE_COOKIE = "kizuna_device"
DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600
_DEVICE_SALT = "kizuna.accounts.signin_throttle.device"


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class _Rule:
    scope: str
    free: int

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
        return f"signin:{self.scope}:{digest}"

    def wait_after(self, failures: int) -> int:
        """Return the seconds to wait after this many failures (0 while within the free ones)."""
        beyond = failures - self.free
        if beyond <= 0:
            return 0
        return min(2 ** (failures if self.scope == "pair" else beyond), MAX_WAIT_SECONDS)


PAIR = _Rule("pair", FREE_PER_ACCOUNT_ADDRESS)
ADDRESS = _Rule("address", FREE_PER_ADDRESS)
ACCOUNT = _Rule("account", FREE_PER_ACCOUNT)


def _normalize(email: str) -> str:
    return (email or "").strip().lower()


def _keys(*, email: str, address: str) -> dict[_Rule, str]:
    email = _normalize(email)
    return {PAIR: PAIR.key(email, address), ADDRESS: ADDRESS.key(address), ACCOUNT: ACCOUNT.key(email)}


def wait_seconds(*, email: str, address: str, known_device: bool = False) -> int:
    """Return how many seconds this e-mail must still wait before trying a password from this address."""
    keys = _keys(email=email, address=address)
    if known_device:
        del keys[ACCOUNT]
    entries = cache.get_many(list(keys.values()))
    now = _now()
    waits = [0]
    for key in keys.values():
        entry = entries.get(key)
        if entry:
            waits.append(int(max(0.0, entry["until"] - now) + 0.999))
    return max(waits)


def failures(*, email: str, address: str) -> dict[str, int]:
    """Return the wrong passwords counted for this e-mail and address, per rule (for tests and admins)."""
    keys = _keys(email=email, address=address)
    entries = cache.get_many(list(keys.values()))
    return {rule.scope: (entries.get(key) or {}).get("failures", 0) for rule, key in keys.items()}


def failure_record(*, email: str, address: str) -> None:
    """Count one wrong password for this e-mail from this address under every rule."""
    now = _now()
    keys = _keys(email=email, address=address)
    entries = cache.get_many(list(keys.values()))
    updated = {}
    for rule, key in keys.items():
        count = (entries.get(key) or {}).get("failures", 0) + 1
        updated[key] = {"failures": count, "until": now + rule.wait_after(count)}
    # Forgotten an hour after the last failure; a pending wait (at most 15 minutes) is always shorter.
    cache.set_many(updated, timeout=WINDOW_SECONDS)


def success_record(*, email: str, address: str) -> None:
    """Start this e-mail's count from this address again after a correct password.

    The address and account counts stay: a correct sign-in in between must not let an attacker reset them.
    """
    cache.delete(PAIR.key(_normalize(email), address))


def account_clear(*, email: str) -> None:
    """Lift the account-wide count (after a password reset by e-mail, which proves who it is)."""
    cache.delete(ACCOUNT.key(_normalize(email)))


def device_cookie_value(*, user_id: int) -> str:
    return signing.dumps(user_id, salt=_DEVICE_SALT, compress=True)


def device_cookie_user_id(value: str | None) -> int | None:
    """Return the account this browser has signed in to before, if its cookie is genuine."""
    if not value:
        return None
    try:
        return int(signing.loads(value, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None
