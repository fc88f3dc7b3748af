from typing import Any

from django.urls import reverse

from kizuna.kpis.periods import current_month, month_add
from kizuna.records import services as records

from . import builders

THIS = current_month()


def test_the_view_shows_each_reading_with_its_caveats(cast: Any, signed_in: Any, article_course: Any) -> None:
    for lesson in article_course.latest_version.lessons.all():
        records.lesson_complete(rep=cast.rep_a1, lesson=lesson, timestamp=builders.moment(month_add(THIS, -4)))
    for back in range(1, 9):
        builders.figures(cast.admin, cast.rep_a1, month_add(THIS, -back), 100, 10 if back > 4 else 20, 2)
    client = signed_in(cast.admin)
    response = client.get(reverse("kpis:kpi_effect") + f"?course={article_course.pk}&partner={cast.partner_a.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "kpi-reading" in body and "kpi-caveats" in body


def test_a_manager_reads_their_own_agency_without_choosing_it(cast: Any, signed_in: Any, article_course: Any) -> None:
    client = signed_in(cast.manager_a)
    response = client.get(reverse("kpis:kpi_effect") + f"?course={article_course.pk}")
    assert response.status_code == 200 and "kpi-reading" in response.content.decode()


def test_partner_b_may_not_read_partner_a(cast: Any, signed_in: Any, article_course: Any) -> None:
    client = signed_in(cast.manager_b)
    # The course is assigned to partner A only, and partner A is not theirs.
    assert client.get(reverse("kpis:kpi_effect") + f"?course={article_course.pk}").status_code == 404
    assert client.get(reverse("kpis:kpi_effect") + f"?partner={cast.partner_a.pk}").status_code == 200
    assert cast.partner_a.name not in client.get(reverse("kpis:kpi_effect")).content.decode()


def test_a_certification_reads_who_earned_it_when(cast: Any, monkeypatch: Any) -> None:
    from types import SimpleNamespace

    from kizuna.certification import selectors as certification_selectors
    from kizuna.kpis import effect

    earned = builders.moment(month_add(THIS, -3))
    events = [SimpleNamespace(rep_id=cast.rep_a1.pk, certification_id=7, at=earned)]
    monkeypatch.setattr(certification_selectors, "certification_events", lambda **kwargs: events)
    data = effect.effect_data(partner=cast.partner_a, certification_id=7)
    assert data.finished == {cast.rep_a1.pk: month_add(THIS, -3)}
    assert effect.effect_data(partner=cast.partner_a, certification_id=8).finished == {}


def test_an_unknown_certification_answers_404(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    assert (
        client.get(reverse("kpis:kpi_effect") + f"?certification=999999&partner={cast.partner_a.pk}").status_code == 404
    )
