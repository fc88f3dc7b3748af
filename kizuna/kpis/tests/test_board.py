from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from kizuna.kpis import selectors, services
from kizuna.kpis.models import KpiTarget, Metric, TargetKind
from kizuna.kpis.periods import current_month, month_add

from . import builders

THIS = current_month()
LAST = month_add(THIS, -1)


@pytest.fixture
def figures(cast: Any) -> None:
    for back in range(1, 5):
        month = month_add(THIS, -back)
        builders.figures(cast.admin, cast.rep_a1, month, 100, 10, 2, 100_000)
        builders.figures(cast.admin, cast.rep_a2, month, 100, 20, 4, 200_000)
        builders.figures(cast.admin, cast.rep_b1, month, 50, 5, 1, 10_000)
    builders.figures(cast.admin, cast.rep_a1, THIS, 100, 30, 6, 100_000)
    builders.quiz(cast.rep_a1, 0.9, THIS)
    builders.quiz(cast.rep_a2, 0.7, THIS)


def test_the_agency_board_sums_figures_per_month(cast: Any, figures: None) -> None:
    board = selectors.partner_board(partner=cast.partner_a, month=LAST)
    assert board.line("appointment_rate").value == pytest.approx(15.0)
    assert board.line("close_rate").value == pytest.approx(20.0)
    assert board.figures.reps == 2
    assert board.figures.per_rep("revenue") == 150_000
    this = selectors.partner_board(partner=cast.partner_a, month=THIS)
    assert this.line("average_score").value == pytest.approx(80.0)
    assert this.trends["appointment_rate"][-1] == pytest.approx(30.0)


def test_the_appointment_target_is_the_agency_baseline_raised(cast: Any, figures: None) -> None:
    services.kpi_target_set(
        partner=None,
        metric=Metric.APPOINTMENT_UPLIFT,
        value=5,
        kind=TargetKind.POINTS,
        baseline_from=month_add(THIS, -4),
        baseline_to=month_add(THIS, -2),
        by=cast.admin,
    )
    a = selectors.partner_board(partner=cast.partner_a, month=THIS).line("appointment_rate")
    assert (a.baseline, a.target, a.met) == (pytest.approx(15.0), pytest.approx(20.0), True)
    services.kpi_target_set(
        partner=cast.partner_b, metric=Metric.APPOINTMENT_UPLIFT, value=10, kind=TargetKind.PERCENT, by=cast.admin
    )
    b = selectors.partner_board(partner=cast.partner_b, month=LAST).line("appointment_rate")
    assert b.target == pytest.approx(11.0)


def test_partner_kpi_summary_lists_each_figure_with_its_target(cast: Any, figures: None) -> None:
    services.kpi_target_set(partner=None, metric=Metric.AVERAGE_SCORE, value=85, by=cast.admin)
    summary = {row["key"]: row for row in selectors.partner_kpi_summary(partner=cast.partner_a, month=THIS)}
    assert set(summary) == {"completion", "average_score", "appointment_rate", "close_rate"}
    assert summary["average_score"]["value"] == 80.0
    assert summary["average_score"]["target"] == 85.0 and summary["average_score"]["met"] is False
    assert all({"label", "value", "target", "met"} <= row.keys() for row in summary.values())


def test_the_principal_sees_every_agency_side_by_side(cast: Any, signed_in: Any, figures: None) -> None:
    response = signed_in(cast.admin).get(reverse("kpis:kpi_board") + f"?month={LAST:%Y-%m}")
    assert response.status_code == 200
    body = response.content.decode()
    assert cast.partner_a.name in body and cast.partner_b.name in body
    assert reverse("kpis:kpi_partner_board", args=[cast.partner_a.pk]) in body


def test_a_manager_sees_only_their_own_agency(cast: Any, signed_in: Any, figures: None) -> None:
    client = signed_in(cast.manager_b)
    body = client.get(reverse("kpis:kpi_board")).content.decode()
    assert cast.partner_b.name in body and cast.partner_a.name not in body
    assert client.get(reverse("kpis:kpi_partner_board", args=[cast.partner_a.pk])).status_code == 404
    assert client.get(reverse("kpis:kpi_team_board", args=[cast.team_a1.pk])).status_code == 404
    assert client.get(reverse("kpis:kpi_rep", args=[cast.rep_a1.pk])).status_code == 404
    assert client.get(reverse("kpis:kpi_chart", args=["appointment_rate"])).status_code == 404
    assert (
        client.get(reverse("kpis:kpi_partner_chart", args=[cast.partner_a.pk, "appointment_rate"])).status_code == 404
    )


def test_a_manager_drills_down_to_teams_and_reps(cast: Any, signed_in: Any, figures: None) -> None:
    client = signed_in(cast.manager_a)
    body = client.get(reverse("kpis:kpi_board")).content.decode()
    assert reverse("kpis:kpi_team_board", args=[cast.team_a1.pk]) in body
    team = client.get(reverse("kpis:kpi_team_board", args=[cast.team_a1.pk])).content.decode()
    assert cast.rep_a1.name in team and cast.rep_a2.name not in team
    assert client.get(reverse("kpis:kpi_rep", args=[cast.rep_a1.pk])).status_code == 200


@pytest.mark.parametrize("who", ["rep_a1", "author"])
def test_reps_and_authors_do_not_see_the_board(cast: Any, signed_in: Any, who: str) -> None:
    client = signed_in(getattr(cast, who))
    assert client.get(reverse("kpis:kpi_board")).status_code == 404
    assert client.get(reverse("kpis:kpi_effect")).status_code == 404
    assert client.get(reverse("kpis:rising_talent")).status_code == 404


def test_the_trend_chart_is_an_svg_with_the_target_line(cast: Any, signed_in: Any, figures: None) -> None:
    services.kpi_target_set(partner=None, metric=Metric.AVERAGE_SCORE, value=85, by=cast.admin)
    response = signed_in(cast.admin).get(reverse("kpis:kpi_chart", args=["average_score"]))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in response.content and b"dasharray" in response.content
    assert signed_in(cast.admin).get(reverse("kpis:kpi_chart", args=["nope"])).status_code == 404


def test_the_admin_sets_a_target_on_the_board(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    response = client.post(reverse("kpis:kpi_target_set"), {"metric": "completion", "value": "90", "kind": "points"})
    assert response.status_code == 302
    assert KpiTarget.objects.get(partner=None, metric="completion").value == 90
    client.post(
        reverse("kpis:kpi_target_set"),
        {"partner": cast.partner_a.pk, "metric": "average_score", "value": "88", "kind": "points"},
    )
    board = client.get(reverse("kpis:kpi_partner_board", args=[cast.partner_a.pk])).content.decode()
    assert "88.0" in board and "90.0%" in board


def test_a_bad_target_is_refused_with_a_message(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    response = client.post(
        reverse("kpis:kpi_target_set"), {"metric": "completion", "value": "120", "kind": "points"}, follow=True
    )
    assert KpiTarget.objects.count() == 0
    assert "0" in response.content.decode() and response.status_code == 200


@pytest.mark.parametrize("who", ["manager_a", "coach"])
def test_only_admins_set_targets(cast: Any, signed_in: Any, who: str) -> None:
    response = signed_in(getattr(cast, who)).post(
        reverse("kpis:kpi_target_set"), {"metric": "completion", "value": "90", "kind": "points"}
    )
    assert response.status_code == 404
    assert KpiTarget.objects.count() == 0


def test_the_board_reads_a_fixed_number_of_queries(
    cast: Any, signed_in: Any, figures: None, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(cast.admin)
    client.get(reverse("kpis:kpi_board"))  # the first view counts completion into its snapshot
    with django_assert_max_num_queries(12):
        assert client.get(reverse("kpis:kpi_board")).status_code == 200


def test_an_unknown_month_falls_back_to_the_latest(cast: Any, figures: None) -> None:
    assert selectors.default_month() == THIS
    assert isinstance(selectors.rep_months(rep=cast.rep_a1)[0].month, date)


def test_the_agency_and_team_boards_read_a_fixed_number_of_queries(
    cast: Any, signed_in: Any, figures: None, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(cast.manager_a)
    client.get(reverse("kpis:kpi_board"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("kpis:kpi_board")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("kpis:kpi_team_board", args=[cast.team_a1.pk])).status_code == 200


def test_the_board_shows_the_same_numbers_after_every_rollup_is_rebuilt(cast: Any, figures: None) -> None:
    from kizuna.kpis import projections, rollups

    builders.scenario(cast.rep_a1, 0.7, LAST)

    def numbers() -> list[Any]:
        boards = [selectors.overall_board(partners=[cast.partner_a, cast.partner_b], month=m) for m in (LAST, THIS)] + [
            selectors.partner_board(partner=cast.partner_a, month=m) for m in (LAST, THIS)
        ]
        return [
            ([(line.key, line.value, line.target) for line in b.lines], b.trends, [r.figures for r in b.rows])
            for b in boards
        ]

    live = numbers()
    projections.rebuild()
    rollups.sales_months_rebuild()
    assert numbers() == live


def test_a_board_without_figures_says_how_to_get_them(cast: Any, signed_in: Any) -> None:
    from django.utils import translation

    with translation.override("en"):
        body = signed_in(cast.admin).get(reverse("kpis:kpi_board"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("kpis:kpi_import") in body
    assert signed_in(cast.manager_a).get(reverse("kpis:kpi_board")).status_code == 200


def test_the_rep_page_draws_each_rate_month_by_month_beside_the_table(cast: Any, signed_in: Any, figures: None) -> None:
    body = signed_in(cast.manager_a).get(reverse("kpis:kpi_rep", args=[cast.rep_a1.pk])).content.decode()
    spark = body.index('role="img" aria-label="アポイント獲得率の月別推移"')
    chart = body[spark : body.index("</svg>", spark)]
    # Months without figures break the line; the four months before this one at 10%, then this one at 30%.
    points = [p.split(",") for p in chart.split('points="')[-1].split('"')[0].split()]
    assert [float(y) for _x, y in points][-1] == 2.0  # the newest month is the highest
    assert "30.0%" in body[spark:]
