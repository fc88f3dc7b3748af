from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from kizuna.notifications import selectors, subjects
from kizuna.notifications.models import Notification
from kizuna.notifications.services import notification_send, notifications_prune
from kizuna.notifications.subjects import SubjectState, changed_subjects
from kizuna.ops.schedule import registered_jobs


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


def test_the_bell_counts_a_kind_with_unread_notifications_once(cast, client):
    for _ in range(3):
        _send(cast.rep_a1, email=False)
    notification_send(recipient=cast.rep_a1, kind="test.other", title=gettext_noop("Notifications"), email=False)
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.unread_notifications == 2
    client.force_login(cast.rep_a1)
    html = client.get(reverse("learning:home")).content.decode()
    assert 'class="bell-count">2<' in html


def test_the_list_shows_repeated_kinds_as_one_entry_with_their_count(cast, client):
    first = _send(cast.rep_a1, email=False)
    for _ in range(2):
        _send(cast.rep_a1, email=False)
    client.force_login(cast.rep_a1)
    page = client.get(reverse("notifications:notifications"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count('class="card notification-group unread"') == 1
    assert 'data-count="3"' in page
    assert "3 new" in page and "2 more like this" in page
    groups = selectors.notification_groups_for(cast.rep_a1)
    assert [g.count for g in groups] == [3] and groups[0].older[-1] == first


def test_opening_a_grouped_entry_marks_the_whole_group_read(cast, client):
    notifications = [_send(cast.rep_a1, email=False) for _ in range(3)]
    client.force_login(cast.rep_a1)
    client.post(
        reverse("notifications:notification_open", kwargs={"notification_id": notifications[-1].pk}), {"group": "1"}
    )
    assert not Notification.objects.filter(recipient=cast.rep_a1, read_at__isnull=True).exists()
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.unread_notifications == 0


def test_opening_one_of_a_group_leaves_the_others_unread(cast, client):
    notifications = [_send(cast.rep_a1, email=False) for _ in range(2)]
    client.force_login(cast.rep_a1)
    client.post(reverse("notifications:notification_open", kwargs={"notification_id": notifications[0].pk}))
    assert Notification.objects.filter(recipient=cast.rep_a1, read_at__isnull=True).count() == 1
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.unread_notifications == 1


def test_the_list_runs_one_query_for_the_notifications_however_many(cast, client, django_assert_max_num_queries):
    for _ in range(3):
        _send(cast.rep_a1, email=False)
    client.force_login(cast.rep_a1)
    client.get(reverse("notifications:notifications"))  # warm the session and the user
    with django_assert_max_num_queries(4) as few:
        client.get(reverse("notifications:notifications"))
    for _ in range(20):
        _send(cast.rep_a1, email=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:notifications"))


def test_pruning_deletes_old_read_and_older_unread_ones_and_recounts_the_bell(cast, settings):
    settings.NOTIFICATIONS_KEEP_READ_DAYS = 30
    settings.NOTIFICATIONS_KEEP_UNREAD_DAYS = 90
    now = timezone.now()
    old_read = _send(cast.rep_a1, email=False, at=now - timedelta(days=31))
    Notification.objects.filter(pk=old_read.pk).update(read_at=now - timedelta(days=30))
    kept_read = _send(cast.rep_a1, email=False, at=now - timedelta(days=29))
    Notification.objects.filter(pk=kept_read.pk).update(read_at=now)
    kept_unread = _send(cast.rep_a1, email=False, at=now - timedelta(days=60))
    old_unread = notification_send(
        recipient=cast.rep_a1, kind="test.old", title="x", email=False, at=now - timedelta(days=91)
    )

    assert notifications_prune(now=now) == 2
    assert notifications_prune(now=now) == 0  # idempotent
    left = set(Notification.objects.filter(recipient=cast.rep_a1).values_list("pk", flat=True))
    assert left == {kept_read.pk, kept_unread.pk}
    assert old_unread.pk not in left
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.unread_notifications == 1


def test_pruning_runs_every_night():
    assert "notifications_prune" in {job.id for job in registered_jobs()}


def test_a_notification_whose_subject_changed_since_says_what_it_is_now(cast, client, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(subjects, "_READERS", dict(subjects._READERS))
    subjects.register_subject("test.thing", lambda user, ids: {i: SubjectState("It is closed now", now) for i in ids})
    before = _send(cast.rep_a1, email=False, subject=("test.thing", 7), at=now - timedelta(hours=1))
    after = notification_send(
        recipient=cast.rep_a1, kind="test.other", title="x", email=False, subject=("test.thing", 7), at=now
    )
    assert changed_subjects(cast.rep_a1, [before, after]) == {before.pk: "It is closed now"}
    client.force_login(cast.rep_a1)
    page = client.get(reverse("notifications:notifications")).content.decode()
    assert page.count("It is closed now") == 1
