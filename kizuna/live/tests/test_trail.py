"""Scheduling and changing a live session are recorded in the audit trail, with what changed."""

from typing import Any

from kizuna.audit.models import AuditEntry
from kizuna.live import services

from .conftest import schedule


def test_scheduling_a_live_session_is_recorded(cast: Any) -> None:
    session = schedule(cast)
    entry = AuditEntry.objects.get(action="live.create")
    assert (entry.actor_id, entry.target_id, entry.target_label) == (cast.author.pk, str(session.pk), session.title)
    assert entry.after["join_url"] == "https://meet.example.com/kizuna-123"
    assert "checkin_code" not in entry.after


def test_changing_a_live_session_records_before_and_after(cast: Any) -> None:
    session = schedule(cast)
    data = services.SessionData(
        title=session.title,
        description=session.description,
        starts_at=session.starts_at,
        duration_minutes=90,
        time_zone=session.time_zone,
        join_url=session.join_url,
    )
    services.live_session_update(session=session, data=data)
    entry = AuditEntry.objects.get(action="live.update")
    assert (entry.before, entry.after) == ({"duration_minutes": 60}, {"duration_minutes": 90})
    services.live_session_update(session=session, data=data)  # nothing changed: nothing more recorded
    assert AuditEntry.objects.filter(action="live.update").count() == 1
