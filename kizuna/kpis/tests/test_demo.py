from typing import Any

from django.utils import timezone

from kizuna.demo.kpis import MONTHS, seed_kpis
from kizuna.kpis import selectors
from kizuna.kpis.models import KpiTarget, SalesFigure
from kizuna.records import services as records


def test_the_demo_seed_loads_months_of_figures_and_targets(cast: Any, article_course: Any) -> None:
    for lesson in article_course.latest_version.lessons.all():
        records.lesson_complete(rep=cast.rep_a1, lesson=lesson)
    seed_kpis(now=timezone.now())
    assert SalesFigure.objects.filter(rep=cast.rep_a1).count() == MONTHS
    assert SalesFigure.objects.values("rep").distinct().count() == 3
    assert KpiTarget.objects.filter(partner=None).count() == 3
    board = selectors.partner_board(partner=cast.partner_a)
    assert board.line("appointment_rate").value is not None
    # Loading the demo again updates the same rows.
    seed_kpis(now=timezone.now())
    assert SalesFigure.objects.filter(rep=cast.rep_a1).count() == MONTHS
