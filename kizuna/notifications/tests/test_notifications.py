from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_noop

from kizuna.notifications.models import Notification
from kizuna.notifications.services import notification_send


def _send(rep, **kwargs):
    return notification_send(
        recipient=rep,
        kind="test.answer",
        title=gettext_noop("%(name)s answered your question"),
        params={"name": "Coach"},
        url=reverse("learning:home"),
        **kwargs,
    )


def test_it_counts_unread_on_the_user_row_and_emails_in_the_recipient_language(
    cast, django_capture_on_commit_callbacks
):
    cast.rep_a1.language = "en"
    cast.rep_a1.save()
    with django_capture_on_commit_callbacks(execute=True):
        _send(cast.rep_a1)
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.unread_notifications == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.rep_a1.email]
    assert "Coach answered your question" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_a_dedupe_key_sends_once(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(cast.rep_a1, dedupe_key="answer:1") is not None
        assert _send(cast.rep_a1, dedupe_key="answer:1") is None
    assert Notification.objects.filter(recipient=cast.rep_a1).count() == 1
    assert len(mail.outbox) == 1


def test_no_email_when_the_person_turned_it_off(cast, client, django_capture_on_commit_callbacks):
    client.force_login(cast.rep_a1)
    client.post(reverse("notifications:notification_email_preference"), {})
    cast.rep_a1.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _send(cast.rep_a1)
    assert mail.outbox == []


def test_opening_marks_read_and_follows_the_link(cast, client):
    notification = _send(cast.rep_a1, email=False)
    client.force_login(cast.rep_a1)
    page = client.get(reverse("notifications:notifications"), HTTP_ACCEPT_LANGUAGE="ja")
    assert "Coach" in page.content.decode()
    response = client.post(reverse("notifications:notification_open", kwargs={"notification_id": notification.pk}))
    assert response.status_code == 302 and response["Location"] == reverse("learning:home")
    notification.refresh_from_db()
    cast.rep_a1.refresh_from_db()
    assert notification.read_at is not None and cast.rep_a1.unread_notifications == 0


def test_read_all_resets_the_count(cast, client):
    _send(cast.rep_a1, email=False)
    _send(cast.rep_a1, email=False)
    client.force_login(cast.rep_a1)
    client.post(reverse("notifications:notifications_read_all"))
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.unread_notifications == 0


def test_it_refuses_someone_elses_notification(cast, client):
    notification = _send(cast.rep_a1, email=False)
    client.force_login(cast.rep_b1)
    response = client.post(reverse("notifications:notification_open", kwargs={"notification_id": notification.pk}))
    assert response.status_code == 404


def test_the_bell_shows_the_unread_count(cast, client):
    _send(cast.rep_a1, email=False)
    client.force_login(cast.rep_a1)
    html = client.get(reverse("learning:home")).content.decode()
    assert 'class="bell-count">1<' in html


def test_a_notification_quoting_a_title_that_quotes_itself_has_no_doubled_brackets(cast):
    from django.utils.translation import gettext_noop

    from kizuna.notifications.services import notification_send

    notification = notification_send(
        recipient=cast.rep_a1,
        kind="feedback.lesson_feedback_handled",
        title=gettext_noop("Your feedback on “%(lesson)s” was handled"),
        params={"lesson": "「高いね」と言われたら"},
        email=False,
    )
    assert "「『高いね』と言われたら」" in notification.title_text
    assert "「「" not in notification.title_text and "」」" not in notification.title_text
