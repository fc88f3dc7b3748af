"""Partner A's live session for the isolation walk (kizuna/tests/test_isolation.py): assigned to partner A only."""

from datetime import timedelta
from typing import Any

from django.utils import timezone


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.live import services

    session = services.live_session_create(
        author=cast.author,
        data=services.SessionData(
            title="A社だけのライブ研修",
            description="",
            starts_at=timezone.now() + timedelta(days=1),
            duration_minutes=30,
            time_zone="Asia/Tokyo",
            join_url="https://meet.example.com/a-only",
        ),
    )
    services.live_audience_add(session=session, assigned_by=cast.author, partner=cast.partner_a)
    return {"live_session_id": session.pk}
