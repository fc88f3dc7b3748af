"""The learning-time pages draw their per-day charts from the figures they already read."""

import calendar
import re

from django.urls import reverse
from django.utils import timezone

from kizuna.agreements.models import LearningTimeDay, LearningTimeMonth


def _learned(cast, rep, day_of_month, minutes):
    day = timezone.localdate().replace(day=day_of_month)
    LearningTimeDay.objects.create(rep=rep, partner=cast.partner_a, day=day, seconds=minutes * 60, statements=3)


def test_each_rep_on_the_learning_time_page_gets_a_strip_of_the_days_of_the_month(cast, signed_in):
    _learned(cast, cast.rep_a1, 1, 45)
    page = signed_in(cast.manager_a).get(reverse("agreements:learning_time")).content.decode()
    label = f'aria-label="日別の学習時間(分): {cast.rep_a1.name}"'
    assert label in page
    strip = page[page.index(label) : page.index("</svg>", page.index(label))]
    month = timezone.localdate().month
    assert f'fill-opacity="0.8" stroke="#dfe4ea" stroke-width="0.5"><title>{month}/1: 45</title>' in strip
    today = timezone.localdate()
    assert strip.count("<rect") == calendar.monthrange(today.year, today.month)[1]


def test_the_rep_page_draws_each_days_minutes_as_columns_beside_the_table(cast, signed_in):
    _learned(cast, cast.rep_a1, 1, 30)
    url = reverse("agreements:learning_time_rep", kwargs={"rep_id": cast.rep_a1.pk})
    page = signed_in(cast.manager_a).get(url).content.decode()
    assert 'role="img" aria-label="日別の学習時間(分)"' in page
    # No agreement says learning counts as work, so the day's 30 minutes all fall in the other series.
    assert "<title>1: 業務時間扱い(分) 0, 業務時間扱いでない(分) 30</title>" in page


def test_the_compliance_page_draws_each_reps_minutes_against_what_they_should_have_by_now(cast, signed_in):
    from datetime import timedelta

    from .helpers import write_version

    write_version(cast, min_minutes_per_month=60, effective_from=timezone.localdate() - timedelta(days=70))
    month = timezone.localdate().replace(day=1)
    LearningTimeMonth.objects.create(rep=cast.rep_a1, partner=cast.partner_a, month=month, seconds=90 * 60, days=1)
    page = signed_in(cast.manager_a).get(reverse("agreements:compliance")).content.decode()
    bars = re.findall(r'aria-label="学習時間\(分\): 現時点の目安 (\d+) のうち (\d+)".*?</svg>', page)
    assert len(bars) == 2  # one per rep of partner A
    done = next(m for m in re.finditer(r'aria-label="学習時間\(分\): 現時点の目安 \d+ のうち 90".*?</svg>', page))
    assert 'fill="#1f7a4d"/>' in done.group(0)  # 90 minutes is more than expected: green
    short = next(m for m in re.finditer(r'aria-label="学習時間\(分\): 現時点の目安 \d+ のうち 0".*?</svg>', page))
    assert 'fill="#e4572e"/>' in short.group(0) and '<line x1="' in short.group(0)  # short: orange, with the tick
