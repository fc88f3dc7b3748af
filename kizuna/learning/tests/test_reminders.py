"""Reminder e-mails: a few days before a required course is due, and once when it is overdue — never twice."""

from django.core import mail

from conftest import publish_course
from kizuna.learning.reminders import reminders_send
from kizuna.records import services


def _course(cast, slug, days, **kw):
    return publish_course(
        cast,
        slug=slug,
        title=f"コース {slug}",
        lessons=[{"kind": "article", "title": "本文", "body": "本文"}],
        due_in_days=days,
        **kw,
    )


def test_reps_are_reminded_before_the_due_date_and_when_overdue_once_each(cast):
    _course(cast, "soon", 2)
    _course(cast, "late", -1)
    _course(cast, "far", 20)
    _course(cast, "optional", None, required=False)
    sent = reminders_send()
    # partner A has two reps; each gets one due-soon and one overdue reminder
    assert sent == {"due_soon": 2, "overdue": 2}
    subjects = sorted(m.subject for m in mail.outbox if m.to == [cast.rep_a1.email])
    assert subjects == ["【期限超過】コース late", "【期限間近】コース soon"]
    assert "/learn/courses/" in mail.outbox[0].body
    assert reminders_send() == {"due_soon": 0, "overdue": 0}
    assert not [m for m in mail.outbox if m.to == [cast.rep_b1.email]]


def test_finished_courses_are_not_reminded_and_english_reps_get_english(cast):
    course = _course(cast, "done", 1)
    for lesson in course.latest_version.lessons.all():
        services.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    cast.rep_a2.language = "en"
    cast.rep_a2.save()
    reminders_send()
    assert [m.to for m in mail.outbox] == [[cast.rep_a2.email]]
    assert mail.outbox[0].subject == "Due soon: コース done"


def test_the_scheduler_enqueues_the_daily_reminder_task(cast, settings):
    from kizuna.learning.tasks import enqueue_reminders
    from kizuna.ops.schedule import build_scheduler

    _course(cast, "late", -3)
    job = build_scheduler().get_job("reminders")
    assert str(job.trigger.fields[5]) == str(settings.REMINDER_HOUR)  # hour field of the cron trigger
    enqueue_reminders()  # the immediate backend runs the task at once in tests
    assert len(mail.outbox) == 2
