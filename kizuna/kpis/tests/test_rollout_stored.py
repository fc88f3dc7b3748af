"""An ended experiment's result is computed once and stored, keyed by the analysis version and the data watermark."""

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from kizuna.kpis import rollouts, services
from kizuna.kpis.experiments import month_numbers, trained_by_month
from kizuna.kpis.models import ExperimentReading, SalesFigure

from .rollout_builders import THIS, reps_with_history, unassigned_course


def _ended(cast: Any) -> Any:
    from kizuna.demo.experiments import experiment_fast_forward

    reps_with_history(cast, reps=24, months=8, teams=6)
    experiment = services.experiment_start(
        course=unassigned_course(cast),
        partners=[cast.partner_a],
        design=services.ExperimentDesign(metric="appointment_rate", design="waves", start=THIS, waves=2, spacing=2),
        started_by=cast.admin,
        seed=11,
        planned_effect=4.0,
    )
    experiment_fast_forward(experiment=experiment)
    experiment.refresh_from_db()
    return experiment


def test_the_trained_indicator_is_month_on_or_after_the_wave_row_by_row() -> None:
    months = [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)] * 3
    waves: list[date | None] = [date(2025, 12, 1)] * 4 + [None] * 4 + [date(2026, 2, 1)] * 4
    frame = pd.DataFrame({"month": months, "wave": waves})
    expected = [w is not None and m >= w for w, m in zip(waves, months, strict=True)]
    assert trained_by_month(frame).tolist() == [float(x) for x in expected]
    assert month_numbers([date(2026, 1, 1), None])[0] == 2026 * 12
    assert month_numbers([None])[0] > month_numbers([date(9999, 12, 1)])[0]


def test_the_stored_result_is_the_computed_one(cast: Any) -> None:
    experiment = _ended(cast)
    computed = rollouts.experiment_result(experiment)
    stored, hit = rollouts.experiment_result_stored(experiment)
    assert not hit
    again, hit = rollouts.experiment_result_stored(experiment)
    assert hit
    for result in (stored, again):
        assert result.primary == computed.primary
        assert result.iv == computed.iv
        assert result.per_agency == computed.per_agency
        assert result.exploratory == computed.exploratory
        assert result.months == computed.months
        assert result.by_group == computed.by_group
        assert result.staggered == computed.staggered
        assert result.compliance == pytest.approx(computed.compliance)


def test_a_changed_figure_makes_the_result_recomputed(cast: Any) -> None:
    experiment = _ended(cast)
    first, _ = rollouts.experiment_result_stored(experiment)
    figure = SalesFigure.objects.filter(period__gte=experiment.start).order_by("pk").first()
    figure.appointments = 0 if figure.appointments else 1
    figure.save()
    second, hit = rollouts.experiment_result_stored(experiment)
    assert not hit
    assert second.primary is not None and first.primary is not None
    assert second.primary.effect != first.primary.effect


def test_a_rep_finishing_the_course_makes_the_result_recomputed(cast: Any) -> None:
    experiment = _ended(cast)
    finished = rollouts.experiment_finished(experiment)
    rollouts.experiment_result_stored(experiment, finished=finished)
    rep = next(r for r in experiment.units.values_list("rep_id", flat=True) if r not in finished)
    more = {**finished, rep: min(finished.values())}
    _, hit = rollouts.experiment_result_stored(experiment, finished=more)
    assert not hit


def test_a_new_analysis_version_makes_the_result_recomputed(cast: Any, monkeypatch: Any) -> None:
    experiment = _ended(cast)
    rollouts.experiment_result_stored(experiment)
    monkeypatch.setattr(rollouts, "ANALYSIS_VERSION", rollouts.ANALYSIS_VERSION + 1)
    assert rollouts.experiment_result_stored(experiment)[1] is False
    assert ExperimentReading.objects.filter(experiment=experiment).count() == 1


def test_the_hourly_job_stores_each_reading_once(cast: Any) -> None:
    experiment = _ended(cast)
    assert rollouts.experiment_readings_refresh() == 1
    assert rollouts.experiment_readings_refresh() == 0
    assert ExperimentReading.objects.get(experiment=experiment).kind == "result"


def test_the_result_page_reads_the_stored_result(cast: Any, signed_in: Any, django_assert_max_num_queries: Any) -> None:
    experiment = _ended(cast)
    rollouts.experiment_readings_refresh()
    client = signed_in(cast.admin)
    url = reverse("kpis:experiment_detail", args=[experiment.pk])
    stored = ExperimentReading.objects.get(experiment=experiment)
    stored.payload["primary"][0] = 12.345  # a stored figure the page can only show if it read it back
    stored.save()
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "+12.3" in body
    assert np.isfinite(stored.seconds)


def test_the_result_page_of_waves_shows_the_staggered_difference_in_differences(cast: Any, signed_in: Any) -> None:
    experiment = _ended(cast)
    result = rollouts.experiment_result(experiment)
    assert result.staggered is not None and result.staggered.low < result.staggered.effect < result.staggered.high
    url = reverse("kpis:experiment_detail", args=[experiment.pk])
    body = signed_in(cast.admin).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Staggered rollout: difference in differences" in body and "Callaway" in body
    assert "not yet trained" in body and "months since training" in body
    japanese = signed_in(cast.admin).get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "差の差" in japanese


def test_a_figure_that_is_not_a_number_is_stored_as_none() -> None:
    assert rollouts._finite({"a": [float("nan"), 1.5, (float("inf"), None)], "b": "x"}) == {
        "a": [None, 1.5, [None, None]],
        "b": "x",
    }
