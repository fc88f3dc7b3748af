"""Partner A's objects for the isolation walk (kizuna/tests/test_isolation.py)."""

from typing import Any

# A help page is the principal's text for whole roles (its own check refuses the other roles), never partner data.
PUBLIC_ROUTES = {"support:help_page"}


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from .helpers import ask, png

    return {"ticket_id": ask(cast.rep_a1, screenshot=png()).pk}
