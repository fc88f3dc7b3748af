"""A published recording is an archive for everyone the session was for: attended, missed or never registered."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from kizuna.live import services
from kizuna.media.models import Video
from kizuna.media.services import MediaError, video_delete
from kizuna.tests.stored_support import fetched

from .conftest import schedule


def ready_video(cast, title="新料金プラン説明会 録画", uploaded_by=None):
    video = Video.objects.create(
        title=title, uploaded_by=uploaded_by or cast.author, status=Video.Status.READY, duration_seconds=65
    )
    video.mp4.save(f"videos/{video.key}/video.mp4", ContentFile(b"\x00" * 2048))
    video.poster.save(f"videos/{video.key}/poster.jpg", ContentFile(b"\xff\xd8\xff"))
    return video


@pytest.fixture
def published(cast):
    """A session of partner A three hours ago: rep 1 attended, rep 2 did not; its recording is published."""
    session = schedule(cast, starts_in=timedelta(hours=-3))
    services.live_audience_add(session=session, assigned_by=cast.author, partner=cast.partner_a, notify=False)
    services.live_attendance_import(session=session, file=io.BytesIO(f"email\n{cast.rep_a1.email}\n".encode()))
    video = ready_video(cast)
    services.live_recording_attach(session=session, video=video)
    course = services.live_recording_publish(session=session, publisher=cast.author)
    return session, video, course


def test_an_attendee_rewatches_the_recording_on_the_session_page(cast, published, signed_in):
    session, video, course = published
    client = signed_in(cast.rep_a1)
    html = client.get(f"/live/{session.pk}/").content.decode()
    assert f"/videos/{video.key}/stream" in html and f"/videos/{video.key}/poster" in html
    watched = fetched(client, f"/videos/{video.key}/stream", headers={"Range": "bytes=0-99"})
    assert watched.status_code == 206 and watched.body == b"\x00" * 100
    # The course link on the page opens for the attendee too (it was a 404: only those who missed were assigned).
    assert f"/learn/courses/{course.pk}/" in html
    assert client.get(f"/learn/courses/{course.pk}/").status_code == 200


def test_everyone_invited_may_watch_whether_they_attended_or_not(cast, published, signed_in):
    session, video, course = published
    for person in (cast.rep_a2, cast.manager_a, cast.coach):
        client = signed_in(person)
        assert f"/videos/{video.key}/stream" in client.get(f"/live/{session.pk}/").content.decode(), person
        assert fetched(client, f"/videos/{video.key}/stream").body == b"\x00" * 2048, person
        assert client.get(f"/learn/courses/{course.pk}/").status_code == 200, person


def test_people_the_session_was_not_for_cannot_watch(cast, published, signed_in):
    session, video, course = published
    for person in (cast.rep_b1, cast.manager_b):
        client = signed_in(person)
        assert client.get(f"/live/{session.pk}/").status_code == 404
        assert client.get(f"/videos/{video.key}/stream").status_code == 404
        assert client.get(f"/learn/courses/{course.pk}/").status_code == 404


def test_an_unpublished_recording_is_not_shown_and_cannot_be_deleted(cast, signed_in):
    session = schedule(cast, starts_in=timedelta(hours=-3))
    services.live_audience_add(session=session, assigned_by=cast.author, partner=cast.partner_a, notify=False)
    video = ready_video(cast)
    services.live_recording_attach(session=session, video=video)
    client = signed_in(cast.rep_a1)
    assert f"/videos/{video.key}/stream" not in client.get(f"/live/{session.pk}/").content.decode()
    assert client.get(f"/videos/{video.key}/stream").status_code == 404
    with pytest.raises(MediaError):
        video_delete(video=video)


def test_the_recording_picker_shows_titles_and_posters_and_never_a_reps_take(cast, signed_in):
    session = schedule(cast, starts_in=timedelta(hours=-3))
    titled = ready_video(cast, title="12月の説明会")
    untitled = ready_video(cast, title="")
    take = ready_video(cast, title="営業一子のロープレ", uploaded_by=cast.rep_a1)
    html = signed_in(cast.author).get(f"/live/{session.pk}/").content.decode()
    assert "12月の説明会" in html and f"/videos/{titled.key}/poster" in html
    assert str(untitled.key) not in html.replace(f"/videos/{untitled.key}/poster", "")
    assert "無題の動画" in html
    assert "営業一子のロープレ" not in html and str(take.key) not in html
    response = signed_in(cast.author).post(f"/live/{session.pk}/recording", {"video": take.pk})
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.recording_video is None


def test_times_read_as_dates_not_as_zone_names(cast, signed_in):
    session = schedule(cast, starts_in=timedelta(days=2))
    services.live_audience_add(session=session, assigned_by=cast.author, partner=cast.partner_a)
    for url in ("/live/", f"/live/{session.pk}/"):
        html = signed_in(cast.rep_a1).get(url).content.decode()
        assert "Asia/Tokyo" not in html
        assert "月" in html and "日(" in html
    from kizuna.notifications.models import Notification

    title = Notification.objects.get(recipient=cast.rep_a1, kind="live.assigned").title_text
    assert "Asia/Tokyo" not in title and "日(" in title


@override_settings(LANGUAGE_CODE="en")
def test_a_session_held_in_another_zone_names_the_hosts_zone_only(cast, signed_in):
    session = schedule(cast, starts_in=timedelta(days=2), time_zone="Asia/Singapore")
    services.live_audience_add(session=session, assigned_by=cast.author, partner=cast.partner_a)
    html = signed_in(cast.rep_a1).get(f"/live/{session.pk}/").content.decode()
    assert "Asia/Singapore" not in html and "UTC+8" in html
    assert "JST" not in html  # the reader's own zone goes unnamed


def test_the_schedule_form_names_zones_as_places_with_their_offset(cast, signed_in):
    html = signed_in(cast.author).get("/live/new/").content.decode()
    assert ">日本(東京) UTC+9</option>" in html
    assert ">Asia/Tokyo<" not in html
