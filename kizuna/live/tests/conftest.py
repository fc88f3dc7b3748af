"""Helpers for live session tests: a session scheduled through the service."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone


def schedule(cast: Any, *, starts_in: timedelta = timedelta(days=2), **overrides: Any) -> Any:
    from kizuna.live import services

    values = {
        "title": "新料金プラン説明会",
        "description": "新しい料金プランの説明と質疑応答です。",
        "starts_at": (timezone.now() + starts_in).replace(second=0, microsecond=0),
        "duration_minutes": 60,
        "time_zone": "Asia/Tokyo",
        "join_url": "https://meet.example.com/kizuna-123",
        **overrides,
    }
    return services.live_session_create(author=cast.author, data=services.SessionData(**values))


@pytest.fixture
def session_a(cast: Any) -> Any:
    """A session in two days, assigned to partner A."""
    from kizuna.live import services

    session = schedule(cast)
    services.live_audience_add(session=session, assigned_by=cast.author, partner=cast.partner_a)
    return session
