"""Learning-time rules on known histories: capped reports, idle gaps not counted, rebuild equals live."""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from kizuna.agreements import learning_time
from kizuna.agreements.models import LearningTimeDay, LearningTimeMonth
from kizuna.agreements.selectors import learning_time_for_partner, learning_time_for_rep
from kizuna.catalog.selectors import lesson_activity_data
from kizuna.records import vocab
from kizuna.records.services import Activity, lesson_launch, statement_record
from kizuna.records.time_reports import lesson_time_record

from .helpers import write_version


@pytest.fixture
def lesson(article_course):
    return article_course.latest_version.lessons.select_related("version__course").first()


def at(minutes: float, days_ago: int = 2):
    day = timezone.localdate() - timedelta(days=days_ago)
    start = datetime.combine(day, time(10, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return start + timedelta(minutes=minutes)


def answer(rep, lesson, when):
    statement_record(actor=rep, verb=vocab.ANSWERED, activity=Activity(**lesson_activity_data(lesson)), timestamp=when)


def seconds_of(rep, days_ago=2):
    day = timezone.localdate() - timedelta(days=days_ago)
    row = LearningTimeDay.objects.filter(rep=rep, day=day).first()
    return row.seconds if row else 0.0


def test_reported_active_time_counts_but_at_most_two_minutes_per_report(cast, lesson):
    lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=30, timestamp=at(1))
    # A tab left open for an hour that reports it all at once counts two minutes.
    lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=3600, timestamp=at(90))
    assert seconds_of(cast.rep_a1) == pytest.approx(30 + 120)


def test_an_idle_gap_longer_than_five_minutes_counts_nothing(cast, lesson):
    lesson_launch(rep=cast.rep_a1, lesson=lesson, timestamp=at(0))
    answer(cast.rep_a1, lesson, at(1))  # one minute after opening: counts
    answer(cast.rep_a1, lesson, at(3))  # two more: counts
    answer(cast.rep_a1, lesson, at(43))  # forty minutes idle, then an answer: counts nothing
    assert seconds_of(cast.rep_a1) == pytest.approx(180)


def test_opening_a_page_and_leaving_it_open_counts_nothing(cast, lesson):
    lesson_launch(rep=cast.rep_a1, lesson=lesson, timestamp=at(0))
    lesson_launch(rep=cast.rep_a1, lesson=lesson, timestamp=at(4))
    assert seconds_of(cast.rep_a1) == 0


def test_overlapping_time_counts_once(cast, lesson):
    lesson_launch(rep=cast.rep_a1, lesson=lesson, timestamp=at(0))
    lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=60, timestamp=at(1))
    answer(cast.rep_a1, lesson, at(1))  # the same minute, claimed by the answer too
    assert seconds_of(cast.rep_a1) == pytest.approx(60)


def test_statements_arriving_out_of_order_give_the_same_day(cast, lesson):
    answer(cast.rep_a1, lesson, at(3))
    answer(cast.rep_a1, lesson, at(1))
    lesson_launch(rep=cast.rep_a1, lesson=lesson, timestamp=at(0))
    assert seconds_of(cast.rep_a1) == pytest.approx(180)


def test_assignments_made_by_an_admin_count_for_nobody(cast, lesson):
    assert not LearningTimeDay.objects.filter(rep=cast.admin).exists()


def test_the_rebuild_gives_the_same_rows_as_the_live_path(cast, lesson):
    for rep, offset in ((cast.rep_a1, 0), (cast.rep_a2, 7), (cast.rep_b1, 11)):
        lesson_launch(rep=rep, lesson=lesson, timestamp=at(offset))
        lesson_time_record(rep=rep, lesson=lesson, seconds=45, timestamp=at(offset + 1))
        answer(rep, lesson, at(offset + 2))
        answer(rep, lesson, at(offset + 30))
        lesson_time_record(rep=rep, lesson=lesson, seconds=20, timestamp=at(offset, days_ago=40))
        statement_record(
            actor=rep,
            verb=vocab.COMPLETED,
            activity=Activity(**lesson_activity_data(lesson)),
            timestamp=at(offset + 3),
            statement_id=uuid.uuid4(),
        )
    fields = ("rep_id", "partner_id", "day", "seconds", "statements")
    live_days = sorted(LearningTimeDay.objects.values_list(*fields))
    live_months = sorted(LearningTimeMonth.objects.values_list("rep_id", "partner_id", "month", "seconds", "days"))
    assert len(live_days) == 6
    assert learning_time.rebuild() == 6
    assert sorted(LearningTimeDay.objects.values_list(*fields)) == live_days
    assert (
        sorted(LearningTimeMonth.objects.values_list("rep_id", "partner_id", "month", "seconds", "days")) == live_months
    )


def test_learning_counts_as_work_time_up_to_the_monthly_cap(cast, lesson):
    write_version(
        cast,
        counts_as_work=True,
        work_cap_minutes_per_month=3,
        effective_from=timezone.localdate() - timedelta(days=60),
    )
    for minute in range(0, 10, 2):  # five reports of two minutes: ten minutes learned
        lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=120, timestamp=at(minute + 2, days_ago=1))
    month = (timezone.localdate() - timedelta(days=1)).replace(day=1)
    line = learning_time_for_rep(rep=cast.rep_a1, month=month)
    assert line.minutes == 10 and line.work_minutes == 3
    lines = {line.rep_id: line for line in learning_time_for_partner(partner=cast.partner_a, month=month)}
    assert lines[cast.rep_a1.pk].work_minutes == 3 and lines[cast.rep_a2.pk].minutes == 0
    assert cast.rep_b1.pk not in lines


def test_learning_is_not_work_time_when_the_agreement_says_no(cast, lesson):
    write_version(cast, counts_as_work=False, effective_from=timezone.localdate() - timedelta(days=60))
    lesson_time_record(rep=cast.rep_a1, lesson=lesson, seconds=120, timestamp=at(2, days_ago=1))
    month = (timezone.localdate() - timedelta(days=1)).replace(day=1)
    line = learning_time_for_rep(rep=cast.rep_a1, month=month)
    assert line.minutes == 2 and line.work_minutes == 0


def _history(cast, lesson):
    for rep, offset in ((cast.rep_a1, 0), (cast.rep_b1, 11)):
        lesson_time_record(rep=rep, lesson=lesson, seconds=45, timestamp=at(offset + 1))
        answer(rep, lesson, at(offset + 2))
        lesson_time_record(rep=rep, lesson=lesson, seconds=20, timestamp=at(offset, days_ago=40))


def test_a_partners_rebuild_derives_its_reps_rows_and_leaves_the_others(cast, lesson):
    _history(cast, lesson)
    fields = ("rep_id", "partner_id", "day", "seconds", "statements")
    live = sorted(LearningTimeDay.objects.filter(rep=cast.rep_a1).values_list(*fields))
    LearningTimeDay.objects.update(seconds=1)
    LearningTimeMonth.objects.update(seconds=1)
    assert learning_time.rebuild_reps([cast.rep_a1.pk]) == 2
    assert sorted(LearningTimeDay.objects.filter(rep=cast.rep_a1).values_list(*fields)) == live
    assert set(LearningTimeDay.objects.filter(rep=cast.rep_b1).values_list("seconds", flat=True)) == {1}
    assert LearningTimeMonth.objects.filter(rep=cast.rep_a1).exclude(seconds=1).exists()


def test_a_months_rebuild_derives_that_months_rows_only(cast, lesson):
    _history(cast, lesson)
    fields = ("rep_id", "partner_id", "day", "seconds", "statements")
    month = at(0, days_ago=40).date().replace(day=1)
    live = sorted(LearningTimeDay.objects.filter(day__gte=month).values_list(*fields))
    LearningTimeDay.objects.update(seconds=1)
    made = learning_time.rebuild_month(month)
    assert made == LearningTimeDay.objects.filter(day__gte=month, day__lt=month + timedelta(days=31)).count() >= 2
    rebuilt = LearningTimeDay.objects.exclude(seconds=1)
    assert {row.day.replace(day=1) for row in rebuilt} == {month}
    assert sorted(rebuilt.values_list(*fields)) == [row for row in live if row[2].replace(day=1) == month]
