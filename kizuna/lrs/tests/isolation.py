"""The LRS's objects for the isolation walk (kizuna/tests/test_isolation.py): a forwarder of partner A's statements."""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.lrs.forwarding import lrs_forwarder_create

    # Port 9 (discard) on loopback: nothing is sent during the walk anyway (no job runs).
    forwarder = lrs_forwarder_create(
        name="A's LRS", endpoint="http://127.0.0.1:9/xapi/", username="a", secret="a-secret", partner_code="partner-a"
    )
    return {"forwarder_id": forwarder.pk}
