"""Departed reps are anonymized once their agreement's retention period is over; statements stay."""

from datetime import timedelta

from django.utils import timezone

from kizuna.agreements.services import departed_reps_anonymize
from kizuna.records.models import Statement

from .helpers import write_version


def test_a_departed_rep_is_anonymized_after_the_retention_days(cast, article_course):
    write_version(cast, retention_days=30)
    lesson = article_course.latest_version.lessons.first()
    from kizuna.records.services import lesson_launch

    lesson_launch(rep=cast.rep_a1, lesson=lesson)
    rep = cast.rep_a1
    rep.is_active = False
    rep.save()
    now = timezone.now()
    assert departed_reps_anonymize(now=now) == 0  # first seen as departed today
    assert departed_reps_anonymize(now=now + timedelta(days=29)) == 0
    assert departed_reps_anonymize(now=now + timedelta(days=31)) == 1
    rep.refresh_from_db()
    assert rep.name != "営業 一子" and "partner-a" not in rep.email and not rep.has_usable_password()
    assert Statement.objects.filter(actor=rep).exists()
    other = cast.rep_a2
    other.refresh_from_db()
    assert other.name == "営業 二郎"


def test_a_rep_who_comes_back_is_not_anonymized(cast):
    write_version(cast, retention_days=1)
    rep = cast.rep_a1
    rep.is_active = False
    rep.save()
    now = timezone.now()
    departed_reps_anonymize(now=now)
    rep.is_active = True
    rep.save()
    assert departed_reps_anonymize(now=now + timedelta(days=5)) == 0
    rep.refresh_from_db()
    assert rep.name == "営業 一子"
