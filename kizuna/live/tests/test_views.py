"""Live session screens: scheduling, assigning, registering, checking in, uploading attendance; who is refused."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kizuna.live.models import LiveSession, Registration

from .conftest import schedule


def test_an_author_schedules_and_assigns_a_session(cast, signed_in):
    client = signed_in(cast.author)
    day = (timezone.now() + timedelta(days=3)).date()
    form = {
        "title": "決算期キャンペーン説明会",
        "description": "",
        "start_date": day.isoformat(),
        "start_time": "15:00",
        "time_zone": "Asia/Tokyo",
        "duration_minutes": "45",
        "join_url": "https://meet.example.com/abc",
        "capacity": "30",
    }
    response = client.post("/live/new/", form)
    session = LiveSession.objects.get()
    assert response.status_code == 302
    assert session.starts_at.astimezone(timezone.get_fixed_timezone(540)).hour == 15
    assigned = client.post(f"/live/{session.pk}/audience", {"team": cast.team_a1.pk})
    assert assigned.status_code == 302 and session.audience.get().team == cast.team_a1


def test_a_javascript_join_link_is_refused_with_a_message(cast, signed_in):
    day = (timezone.now() + timedelta(days=3)).date()
    form = {
        "title": "x",
        "start_date": day.isoformat(),
        "start_time": "15:00",
        "time_zone": "Asia/Tokyo",
        "duration_minutes": "45",
        "join_url": "javascript:alert(1)",
    }
    response = signed_in(cast.author).post("/live/new/", form)
    assert response.status_code == 400 and not LiveSession.objects.exists()


def test_a_rep_registers_from_the_session_page(cast, session_a, signed_in):
    client = signed_in(cast.rep_a1)
    page = client.get("/live/")
    assert "新料金プラン説明会" in page.content.decode()
    assert client.post(f"/live/{session_a.pk}/register").status_code == 302
    assert Registration.objects.get(rep=cast.rep_a1).status == "registered"
    page = client.get(f"/live/{session_a.pk}/").content.decode()
    assert "https://meet.example.com/kizuna-123" in page


def test_a_rep_checks_in_with_the_code_during_the_session(cast, signed_in):
    session = schedule(cast, starts_in=timedelta(minutes=-5), open_to_all=True)
    client = signed_in(cast.rep_b1)
    wrong = client.post(f"/live/{session.pk}/checkin", {"code": "abc"})
    assert wrong.status_code == 400
    assert client.post(f"/live/{session.pk}/checkin", {"code": session.checkin_code}).status_code == 302
    assert Registration.objects.get(rep=cast.rep_b1).attended_at is not None


def test_the_host_sees_the_code_only_during_the_session(cast, session_a, signed_in):
    from kizuna.live import services

    assert session_a.checkin_code not in signed_in(cast.author).get(f"/live/{session_a.pk}/").content.decode()
    live = schedule(cast, starts_in=timedelta(minutes=-5))
    assert live.checkin_code in signed_in(cast.author).get(f"/live/{live.pk}/").content.decode()
    services.live_audience_add(session=live, assigned_by=cast.author, partner=cast.partner_a)
    assert 'class="live-code"' not in signed_in(cast.rep_a1).get(f"/live/{live.pk}/").content.decode()


def test_an_uploaded_attendance_list_with_a_bad_row_shows_every_problem(cast, signed_in):
    session = schedule(cast, starts_in=timedelta(hours=-2), open_to_all=True)
    upload = SimpleUploadedFile("attendance.csv", f"email\n{cast.rep_a1.email}\nwho@example.com\n".encode())
    response = signed_in(cast.author).post(f"/live/{session.pk}/attendance", {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400 and "who@example.com" in body
    assert not Registration.objects.exists()


def test_a_manager_sees_only_their_agencys_registrations(cast, signed_in):
    from kizuna.live import services

    session = schedule(cast, open_to_all=True)
    services.live_register(session=session, rep=cast.rep_a1)
    services.live_register(session=session, rep=cast.rep_b1)
    body = signed_in(cast.manager_a).get(f"/live/{session.pk}/").content.decode()
    assert cast.rep_a1.name in body and cast.rep_b1.name not in body


def test_partner_b_gets_404_for_a_session_assigned_to_partner_a(cast, session_a, signed_in):
    for person in (cast.rep_b1, cast.manager_b):
        client = signed_in(person)
        assert client.get(f"/live/{session_a.pk}/").status_code == 404
        assert client.post(f"/live/{session_a.pk}/register").status_code == 404
        assert session_a.title not in client.get("/live/").content.decode()
    assert not Registration.objects.exists()


def test_reps_and_managers_cannot_use_the_hosts_tools(cast, session_a, signed_in):
    for person in (cast.rep_a1, cast.manager_a, cast.coach):
        client = signed_in(person)
        assert client.get(f"/live/{session_a.pk}/edit/").status_code == 404
        assert client.post(f"/live/{session_a.pk}/attendance", {"file": io.BytesIO(b"email\n")}).status_code == 404


def test_a_recording_that_is_not_a_video_is_refused_by_the_media_pipeline(cast, signed_in):
    session = schedule(cast, starts_in=timedelta(hours=-2), open_to_all=True)
    upload = SimpleUploadedFile("recording.mp4", "これは動画ではありません。".encode() * 50, content_type="video/mp4")
    response = signed_in(cast.author).post(f"/live/{session.pk}/recording", {"file": upload})
    assert response.status_code == 400 and "動画ファイルとして読み取れませんでした" in response.content.decode()
    session.refresh_from_db()
    assert session.recording_video is None


def test_a_manager_opens_one_of_their_reps_live_attendance_but_not_another_agencys(cast, signed_in):
    from kizuna.live import services

    session = schedule(cast, starts_in=timedelta(minutes=-5), open_to_all=True)
    services.live_checkin(session=session, rep=cast.rep_a1, code=session.checkin_code)
    page = signed_in(cast.manager_a).get(f"/live/reps/{cast.rep_a1.pk}/")
    assert page.status_code == 200 and "新料金プラン説明会" in page.content.decode()
    assert signed_in(cast.manager_a).get(f"/live/reps/{cast.rep_b1.pk}/").status_code == 404
    assert signed_in(cast.rep_a2).get(f"/live/reps/{cast.rep_a1.pk}/").status_code == 404
