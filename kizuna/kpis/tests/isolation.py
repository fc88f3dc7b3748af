"""Partner A's objects for the isolation walk: the KPI routes' own parameter is the chart's figure."""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    return {"metric": "appointment_rate"}
