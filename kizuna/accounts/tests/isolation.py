"""Second factors in the isolation walk (kizuna/tests/test_isolation.py).

allauth.mfa's security-key pages (`/accounts/2fa/webauthn/keys/<pk>/…`) ask for the password again before
anything else, so the walk's outsiders, signed in without it, meet that page rather than a 404. They are
listed as public routes here; `test_second_factor_isolation.py` checks them the long way: partner B's
manager, freshly signed in with their password, gets 404 for partner A's key.
"""

from typing import Any

PUBLIC_ROUTES = {"mfa_edit_webauthn", "mfa_remove_webauthn"}


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from allauth.mfa.models import Authenticator

    key = Authenticator.objects.create(
        user=cast.rep_a1, type=Authenticator.Type.WEBAUTHN, data={"name": "A's key", "credential": {}}
    )
    return {"pk": key.pk}
