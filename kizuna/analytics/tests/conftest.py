"""Fixtures of the dashboard tests."""

from typing import Any

import pytest

from .builders import publish_course


@pytest.fixture
def courses(cast: Any) -> dict[str, Any]:
    """Three published courses: a partner-wide required one, a team one and an optional one."""
    return {
        "basics": publish_course(cast, title="製品の基本", slug="basics", lessons=2),
        "closing": publish_course(cast, title="クロージング", slug="closing", lessons=4),
        "values": publish_course(cast, title="行動指針", slug="values", lessons=1),
    }
