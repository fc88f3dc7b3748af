"""Partner A's objects for the isolation walk (kizuna/tests/test_isolation.py)."""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from .helpers import ask, png

    return {"ticket_id": ask(cast.rep_a1, screenshot=png()).pk}
