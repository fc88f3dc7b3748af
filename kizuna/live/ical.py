"""Calendar invitations for live sessions, in iCalendar (RFC 5545) made by the icalendar library."""

from email.utils import parseaddr
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import LiveSession


def session_uid(session: LiveSession) -> str:
    return f"live-{session.key}@kizuna"


def invitation_ics(*, session: LiveSession, rep: Any = None, method: str = "REQUEST") -> bytes:
    """Return the session as an iCalendar object: REQUEST (invitation), CANCEL, or PUBLISH (download)."""
    zone = ZoneInfo(session.time_zone)
    cal = Calendar()
    cal.add("prodid", "-//Kizuna//Live sessions//JA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.title)
    event.add("description", "\n\n".join(part for part in (session.description, session.join_url) if part))
    event.add("location", session.join_url)
    event.add("url", session.join_url)
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'no-reply@kizuna.invalid'}")
    organizer.params["cn"] = vText("Kizuna")
    event["organizer"] = organizer
    if rep is not None:
        attendee = vCalAddress(f"mailto:{rep.email}")
        attendee.params["cn"] = vText(rep.name or rep.email)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
