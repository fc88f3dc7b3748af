"""Live session services: scheduling rules, registration with capacity and waiting list, check-in, reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kizuna.live import services, vocab
from kizuna.live.models import Registration
from kizuna.live.services import LiveError
from kizuna.notifications.models import Notification
from kizuna.records.models import Statement

from .conftest import schedule


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://files.example.com/x", "meet.example.com", "https://"])
def test_it_refuses_join_links_that_are_not_http_or_https(cast, link):
    with pytest.raises(LiveError) as info:
        schedule(cast, join_url=link)
    assert info.value.field == "join_url"


def test_it_refuses_an_unknown_time_zone(cast):
    with pytest.raises(LiveError):
        schedule(cast, time_zone="Mars/Olympus")


def test_assigning_invites_the_partners_reps_only(cast, session_a):
    invited = set(Notification.objects.filter(kind="live.assigned").values_list("recipient_id", flat=True))
    assert invited == {cast.rep_a1.pk, cast.rep_a2.pk}


def test_registering_records_a_statement_and_mails_a_calendar_invitation(
    cast, session_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.live_register(session=session_a, rep=cast.rep_a1)
    assert registration.status == Registration.Status.REGISTERED
    st = Statement.objects.get(verb=vocab.REGISTERED.iri)
    assert st.actor == cast.rep_a1 and st.object_type == vocab.TYPE_MEETING.iri
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [cast.rep_a1.email]
    again = services.live_register(session=session_a, rep=cast.rep_a1)
    assert again.pk == registration.pk and Statement.objects.filter(verb=vocab.REGISTERED.iri).count() == 1


def test_capacity_is_enforced_and_the_waiting_list_moves_up_when_a_seat_frees(cast):
    session = schedule(cast, capacity=1, waitlist=True, open_to_all=True)
    assert services.live_register(session=session, rep=cast.rep_a1).status == Registration.Status.REGISTERED
    assert services.live_register(session=session, rep=cast.rep_b1).status == Registration.Status.WAITLISTED
    services.live_unregister(session=session, rep=cast.rep_a1)
    assert Registration.objects.get(rep=cast.rep_b1).status == Registration.Status.REGISTERED
    assert Notification.objects.filter(recipient=cast.rep_b1, kind="live.seat").exists()


def test_a_full_session_without_a_waiting_list_refuses(cast):
    session = schedule(cast, capacity=1, open_to_all=True)
    services.live_register(session=session, rep=cast.rep_a1)
    with pytest.raises(LiveError):
        services.live_register(session=session, rep=cast.rep_a2)


def test_check_in_works_only_with_the_right_code_inside_the_session_window(cast, session_a):
    code = session_a.checkin_code
    before = session_a.starts_at - timedelta(minutes=30)
    during = session_a.starts_at + timedelta(minutes=10)
    after = session_a.ends_at + timedelta(minutes=1)
    with pytest.raises(LiveError):
        services.live_checkin(session=session_a, rep=cast.rep_a1, code=code, now=before)
    with pytest.raises(LiveError):
        services.live_checkin(session=session_a, rep=cast.rep_a1, code=code, now=after)
    with pytest.raises(LiveError) as wrong:
        services.live_checkin(
            session=session_a, rep=cast.rep_a1, code="000000" if code != "000000" else "111111", now=during
        )
    assert wrong.value.field == "code"
    registration = services.live_checkin(session=session_a, rep=cast.rep_a1, code=code, now=during)
    services.live_checkin(session=session_a, rep=cast.rep_a1, code=code, now=during + timedelta(minutes=1))
    assert registration.attended_at == during
    attended = Statement.objects.filter(verb=vocab.ATTENDED.iri, actor=cast.rep_a1)
    assert attended.count() == 1
    assert attended.get().context["extensions"][vocab.EXT_ATTENDANCE_SOURCE.iri] == "checkin"


def test_reminders_go_out_a_day_and_an_hour_before_once_each(cast):
    session = schedule(cast, starts_in=timedelta(hours=23), open_to_all=True)
    services.live_register(session=session, rep=cast.rep_a1)
    now = timezone.now()
    assert services.live_reminders_send(now=now) == 1
    assert services.live_reminders_send(now=now + timedelta(minutes=10)) == 0
    assert services.live_reminders_send(now=session.starts_at - timedelta(minutes=55)) == 1
    assert services.live_reminders_send(now=session.starts_at - timedelta(minutes=45)) == 0
    kinds = Notification.objects.filter(recipient=cast.rep_a1, kind="live.reminder").count()
    assert kinds == 2


def test_the_reminder_job_is_registered_with_the_scheduler():
    from kizuna.ops.schedule import registered_jobs

    assert "live_session_reminders" in {job.id for job in registered_jobs()}


def test_giving_up_a_seat_withdraws_the_registration_statement(cast, session_a):
    from kizuna.records import vocab as records_vocab
    from kizuna.records.models import Statement

    services.live_register(session=session_a, rep=cast.rep_a1, invite=False)
    registered = Statement.objects.get(actor=cast.rep_a1, verb=records_vocab.REGISTERED.iri)
    services.live_unregister(session=session_a, rep=cast.rep_a1)
    void = Statement.objects.get(actor=cast.rep_a1, verb=records_vocab.VOIDED.iri)
    assert void.object_type == "StatementRef" and void.object_iri == str(registered.id)
