"""Partner A's objects for the isolation walk: a success story about partner A's rep."""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from .helpers import nominated

    return {"story_id": nominated(cast).pk}
