"""Calendar invitations: the e-mailed REQUEST and the downloaded file parse with the icalendar library."""

from datetime import timedelta

from django.core import mail
from icalendar import Calendar

from kizuna.live import services


def test_the_emailed_invitation_is_an_icalendar_request_for_the_right_time(
    cast, session_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.live_register(session=session_a, rep=cast.rep_a1)
    message = mail.outbox[0]
    parts = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1 and parts[0].get_param("method") == "REQUEST"
    assert parts[0].get_filename() == "invite.ics"
    calendar = Calendar.from_ical(parts[0].get_payload(decode=True))
    assert str(calendar["method"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("dtstart") == session_a.starts_at
    assert event.decoded("dtend") == session_a.ends_at
    assert str(event["summary"]) == "新料金プラン説明会"
    assert str(event["location"]) == "https://meet.example.com/kizuna-123"
    assert str(event["attendee"]) == f"mailto:{cast.rep_a1.email}"
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Asia/Tokyo"


def test_cancelling_mails_a_cancel_with_the_same_uid(cast, session_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.live_register(session=session_a, rep=cast.rep_a1)
    with django_capture_on_commit_callbacks(execute=True):
        services.live_unregister(session=session_a, rep=cast.rep_a1)
    calendars = [
        Calendar.from_ical(p.get_payload(decode=True))
        for m in mail.outbox
        for p in m.message().walk()
        if p.get_content_type() == "text/calendar"
    ]
    assert [str(c["method"]) for c in calendars] == ["REQUEST", "CANCEL"]
    assert len({str(c.walk("VEVENT")[0]["uid"]) for c in calendars}) == 1


def test_the_download_link_gives_a_calendar_file_to_those_who_may_see_the_session(cast, session_a, signed_in):
    response = signed_in(cast.rep_a1).get(f"/live/{session_a.pk}/invite.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == session_a.starts_at
    assert signed_in(cast.rep_b1).get(f"/live/{session_a.pk}/invite.ics").status_code == 404


def test_moving_a_session_sends_an_updated_invitation_with_a_higher_sequence(
    cast, session_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.live_register(session=session_a, rep=cast.rep_a1)
    later = session_a.starts_at + timedelta(hours=2)
    data = services.SessionData(
        title=session_a.title,
        description=session_a.description,
        starts_at=later,
        duration_minutes=session_a.duration_minutes,
        time_zone=session_a.time_zone,
        join_url=session_a.join_url,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.live_session_update(session=session_a, data=data)
    calendars = [
        Calendar.from_ical(p.get_payload(decode=True))
        for m in mail.outbox
        for p in m.message().walk()
        if p.get_content_type() == "text/calendar"
    ]
    first, second = (c.walk("VEVENT")[0] for c in calendars)
    assert str(first["uid"]) == str(second["uid"]) and int(second["sequence"]) == int(first["sequence"]) + 1
    assert second.decoded("dtstart") == later
