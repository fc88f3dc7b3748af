"""Partner A's entry in the audit trail, for the isolation walk (kizuna/tests/test_isolation.py)."""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.ops.trail import Action, audit_record

    entry = audit_record(
        action=Action.PERSON_UPDATE,
        actor=cast.manager_a,
        target=cast.rep_a1,
        organization_id=cast.partner_a.pk,
        before={"name": "A only"},
        after={"name": "A only (changed)"},
    )
    return {"audit_entry_id": entry.pk}
