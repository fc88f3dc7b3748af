"""Attendance from an uploaded list (all or nothing), and the recording published to those who missed the session."""

import io
from datetime import timedelta

import pytest

from kizuna.catalog.models import Assignment
from kizuna.live import services, vocab
from kizuna.live.models import Registration
from kizuna.live.services import LiveError
from kizuna.media.models import Video
from kizuna.notifications.models import Notification
from kizuna.records.models import Statement

from .conftest import schedule


def csv_file(*emails: str) -> io.BytesIO:
    return io.BytesIO(("email\n" + "\n".join(emails) + "\n").encode())


@pytest.fixture
def past_session(cast):
    session = schedule(cast, starts_in=timedelta(hours=-3))
    services.live_audience_add(session=session, assigned_by=cast.author, partner=cast.partner_a)
    return session


def test_an_attendance_list_records_everyone_on_it(cast, past_session):
    count = services.live_attendance_import(session=past_session, file=csv_file(cast.rep_a1.email.upper()))
    assert count == 1
    registration = Registration.objects.get(rep=cast.rep_a1)
    assert registration.attended_at == past_session.starts_at and registration.attendance_source == "upload"
    assert Statement.objects.filter(verb=vocab.ATTENDED.iri, actor=cast.rep_a1).count() == 1


def test_one_bad_row_refuses_the_whole_list_and_each_problem_is_named(cast, past_session):
    with pytest.raises(LiveError) as info:
        services.live_attendance_import(
            session=past_session,
            file=io.BytesIO(
                f"name,email\n一子,{cast.rep_a1.email}\n誰か,nobody@example.com\n一子,{cast.rep_a1.email}\n"
                f"B一,{cast.rep_b1.email}\n空欄,\n".encode()
            ),
        )
    problems = info.value.problems
    assert len(problems) == 4
    assert problems[0].startswith("3行目") and "nobody@example.com" in problems[0]
    assert problems[1].startswith("4行目") and "重複" in problems[1]
    assert problems[2].startswith("5行目") and problems[3].startswith("6行目")
    assert not Registration.objects.filter(attended_at__isnull=False).exists()
    assert not Statement.objects.filter(verb=vocab.ATTENDED.iri).exists()


def test_a_list_without_an_email_column_is_refused(cast, past_session):
    with pytest.raises(LiveError):
        services.live_attendance_import(session=past_session, file=io.BytesIO(b"name\nfoo\n"))


def test_the_recording_becomes_a_video_course_assigned_to_those_who_missed_it(cast, past_session):
    services.live_attendance_import(session=past_session, file=csv_file(cast.rep_a1.email))
    video = Video.objects.create(
        title="録画",
        uploaded_by=cast.author,
        original="videos/x/original",
        status=Video.Status.READY,
        duration_seconds=3000,
    )
    services.live_recording_attach(session=past_session, video=video)
    course = services.live_recording_publish(session=past_session, publisher=cast.author)
    lesson = course.latest_version.lessons.get()
    assert lesson.kind == "video" and lesson.video == video
    assigned = set(Assignment.objects.filter(course=course).values_list("rep_id", flat=True))
    assert assigned == {cast.rep_a2.pk}  # rep_a1 attended; partner B was never invited
    assert Notification.objects.filter(recipient=cast.rep_a2, kind="live.recording").exists()
    with pytest.raises(LiveError):
        services.live_recording_publish(session=past_session, publisher=cast.author)


def test_a_recording_still_processing_cannot_be_published(cast, past_session):
    video = Video.objects.create(title="録画", uploaded_by=cast.author, original="videos/x/original")
    services.live_recording_attach(session=past_session, video=video)
    with pytest.raises(LiveError):
        services.live_recording_publish(session=past_session, publisher=cast.author)


def test_a_long_list_is_written_in_short_batches_and_a_lock_timeout_is_retried(cast, past_session, monkeypatch):
    from django.db import OperationalError

    from kizuna.ops import locks

    monkeypatch.setattr(services, "ATTENDANCE_BATCH", 1)
    monkeypatch.setattr(locks, "LOCK_BACKOFF_SECONDS", 0)
    real, calls = services._attend, []

    def attend_locked_once(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 2:
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_attend", attend_locked_once)
    count = services.live_attendance_import(session=past_session, file=csv_file(cast.rep_a1.email, cast.rep_a2.email))
    assert count == 2 and calls == [cast.rep_a1, cast.rep_a2, cast.rep_a2]
    assert Statement.objects.filter(verb=vocab.ATTENDED.iri).count() == 2


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        ("氏名,メールアドレス", "cp932"),
        ("氏名,Ｅメールアドレス", "utf-8-sig"),
        ("Name,E-mail", "utf-8"),
        ("氏名\tメールアドレス", "utf-16"),
    ],
    ids=["japanese shift_jis", "full-width japanese", "english", "utf-16 tab-separated"],
)
def test_a_list_with_the_email_column_named_in_either_language_and_encoding_is_read(
    cast, past_session, header, encoding
):
    separator = "\t" if "\t" in header else ","
    text = f"{header}\r\n一子{separator}{cast.rep_a1.email}\r\n"
    count = services.live_attendance_import(session=past_session, file=io.BytesIO(text.encode(encoding)))
    assert count == 1


def test_a_problem_names_the_line_of_the_file_even_after_blank_lines(cast, past_session):
    text = f"email\n{cast.rep_a1.email}\n\n\nnobody@example.com\n"
    with pytest.raises(LiveError) as info:
        services.live_attendance_import(session=past_session, file=io.BytesIO(text.encode()))
    assert info.value.problems[0].startswith("5行目")


def test_a_file_the_csv_reader_cannot_read_is_refused_with_a_message(cast, past_session):
    with pytest.raises(LiveError):
        services.live_attendance_import(session=past_session, file=io.BytesIO(b"email\nrep\x00@example.com\n"))
