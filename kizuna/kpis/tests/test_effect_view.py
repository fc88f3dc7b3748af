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


def test_the_view_draws_the_intervals_against_the_zero_line(cast: Any, signed_in: Any, article_course: Any) -> None:
    builders.finishers(cast, article_course)
    client = signed_in(cast.admin)
    body = client.get(
        reverse("kpis:kpi_effect") + f"?course={article_course.pk}&partner={cast.partner_a.pk}"
    ).content.decode()
    assert 'role="img" aria-label="差(ポイント)と95%信頼区間"' in body
    assert "<circle" in body  # the before-and-after estimate is known
    assert 'aria-label="相関係数(r)と95%信頼区間"' not in body  # no quiz scores: no correlation is known


def test_the_interval_chart_places_each_reading_on_one_axis_with_zero_in_the_middle() -> None:
    import xml.etree.ElementTree as ET

    from kizuna.kpis import charts, stats
    from kizuna.kpis.effect import Reading

    def reading(title: str, value: float | None, low: float | None, high: float | None, unit: str) -> Reading:
        return Reading(title, stats.Estimate(value, low, high, 12), unit, "", [])

    points, correlations = charts.effect_charts(
        [
            reading("up", 4.0, 1.0, 7.0, "pt"),
            reading("unsure", 1.0, -3.0, 5.0, "pt"),
            reading("r", -0.1, -0.5, 0.3, "r"),
            reading("none", None, None, None, "r"),
        ]
    )
    svg = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(str(points))  # noqa: S314 - our own chart
    zero, first, *_rest = root.iter(svg + "line")
    x0, length = 12, 360 - 24  # the axis runs -10 .. +10 (the widest end, 7, rounded up)
    assert float(zero.get("x1")) == x0 + length / 2
    assert float(first.get("x1")) == x0 + length * 11 / 20 and float(first.get("x2")) == x0 + length * 17 / 20
    assert [c.get("fill") for c in root.iter(svg + "circle")] == ["#1f7a4d", "#8a94a3"]
    root = ET.fromstring(str(correlations))  # noqa: S314
    assert [t.text for t in root.iter(svg + "text")][:3] == ["-1", "0", "+1"]
    assert len(list(root.iter(svg + "circle"))) == 1  # nothing known: a dash, no dot


def test_readings_that_know_nothing_draw_no_chart() -> None:
    from kizuna.kpis import charts, stats
    from kizuna.kpis.effect import Reading

    unknown = stats.Estimate(None, None, None, 1)
    assert charts.effect_charts([Reading("a", unknown, "pt", "", []), Reading("b", unknown, "r", "", [])]) == []


def test_the_view_adds_the_staggered_adoption_estimate_with_its_pre_trend_check(
    cast: Any, signed_in: Any, article_course: Any, monkeypatch: Any
) -> None:
    from kizuna.kpis import effect, staggered

    known = staggered.Staggered(
        effect=3.21,
        low=1.05,
        high=5.37,
        p_value=0.004,
        n_reps=42,
        n_clusters=7,
        cohorts=5,
        events=[staggered.EventEffect(-1, 0.2, -1.0, 1.4), staggered.EventEffect(0, 3.0, 1.0, 5.0)],
        pre_trend_p=0.61,
    )
    monkeypatch.setattr(effect, "effect_staggered", lambda data: known)
    url = reverse("kpis:kpi_effect") + f"?course={article_course.pk}&partner={cast.partner_a.pk}"
    body = signed_in(cast.admin).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Staggered adoption: difference in differences" in body
    assert "+3.2 points" in body and "+1.1 to +5.4" in body
    assert "Check passed" in body and "p = 0.610" in body and "1 month before training" in body
    japanese = signed_in(cast.admin).get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "差の差" in japanese and "確認の結果" in japanese


def test_a_rollout_that_was_not_randomized_gets_the_staggered_estimate_from_the_stored_figures(
    cast: Any, signed_in: Any, article_course: Any
) -> None:
    """End to end, nothing stubbed: completions in different months and a year of figures in the database give the
    Callaway-Sant'Anna estimate, its event study by months since finishing and the pre-trend check, next to the
    other comparisons, each with its assumption."""
    from kizuna.kpis.models import CourseCompletion

    from .adoption_builders import staggered_adoption

    staggered_adoption(cast, article_course)
    assert CourseCompletion.objects.filter(course=article_course).count() == 20
    url = reverse("kpis:kpi_effect") + f"?course={article_course.pk}&partner={cast.partner_a.pk}"
    body = signed_in(cast.admin).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Staggered adoption: difference in differences" in body
    assert "Comparing reps from the month they finished with reps who had not finished yet" in body
    assert "It assumes reps who finished would have moved like those who had not finished yet" in body
    assert "Check passed" in body or "Check failed" in body
    assert "month before training" in body and "months after training" in body  # the event study's rows
    assert body.count("kpi-caveats") >= 4  # the other comparisons keep their caveats
