"""An experiment fast-forwarded through its period (the demo's command) and its result page."""

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from kizuna.kpis import rollouts, services
from kizuna.kpis.periods import month_add

from .rollout_builders import THIS, reps_with_history, unassigned_course


def _waves(cast: Any, reps: int = 24) -> Any:
    reps_with_history(cast, reps=reps, months=8, teams=6)
    return services.experiment_start(
        course=unassigned_course(cast),
        partners=[cast.partner_a],
        design=services.ExperimentDesign(metric="appointment_rate", design="waves", start=THIS, waves=2, spacing=2),
        started_by=cast.admin,
        seed=11,
        planned_effect=4.0,
    )


def test_fast_forward_plays_the_period_and_the_result_page_shows_the_effect_with_its_interval(
    cast: Any, signed_in: Any, capsys: Any
) -> None:
    experiment = _waves(cast)
    assert not rollouts.experiment_is_over(experiment)
    call_command("experiment_fast_forward", str(experiment.pk))
    assert "the period ended" in capsys.readouterr().out
    experiment.refresh_from_db()
    assert experiment.start == month_add(THIS, -4)
    assert experiment.preregistration["start"] == THIS.isoformat()  # the pre-registered dates stay
    assert rollouts.experiment_is_over(experiment)
    enrolment = rollouts.experiment_enrolment(experiment)
    assert all(g.released == g.reps for g in enrolment.groups)
    assert enrolment.contaminated == 0
    assert 0 < sum(g.finished for g in enrolment.groups) < enrolment.reps
    result = rollouts.experiment_result(experiment)
    assert result.primary is not None and result.primary.low < result.primary.effect < result.primary.high
    assert result.compliance is not None and 0 < result.compliance < 1
    assert [a.name for a in result.per_agency] == [cast.partner_a.name]
    body = (
        signed_in(cast.admin)
        .get(reverse("kpis:experiment_detail", args=[experiment.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "95% interval" in body and "cluster-robust by team" in body
    assert "<svg" in body and "All agencies (pre-registered)" in body
    assert "intention to treat" in body and "instrumental variables" in body
    assert "exploratory" in body


def test_while_it_runs_only_the_always_valid_interval_is_shown_and_it_is_wider(cast: Any) -> None:
    from kizuna.demo.experiments import experiment_fast_forward
    from kizuna.kpis.experiments import analyze

    experiment = _waves(cast)
    experiment_fast_forward(experiment=experiment)
    experiment.refresh_from_db()
    fixed = analyze(rollouts.experiment_frame(experiment), design="waves", metric="appointment_rate")
    sequential = rollouts.always_valid(fixed, tau=4.0)
    assert sequential.low < fixed.ci_low and sequential.high > fixed.ci_high
    assert sequential.effect == fixed.effect


def test_an_experiment_is_read_with_the_estimator_version_it_registered(cast: Any) -> None:
    """New experiments register the current version; one started before versions were stored (none in its
    preregistration) keeps version 1, in its result, per agency and its interim look alike."""
    from kizuna.demo.experiments import experiment_fast_forward
    from kizuna.kpis.experiments import ESTIMATOR_VERSION, analyze

    experiment = _waves(cast)
    assert experiment.preregistration["estimator_version"] == ESTIMATOR_VERSION == 2
    assert "counting every effect" in experiment.preregistration["estimator"]
    experiment_fast_forward(experiment=experiment)
    experiment.refresh_from_db()
    frame = rollouts.experiment_frame(experiment)
    by_version = {v: analyze(frame, design="waves", metric="appointment_rate", version=v) for v in (1, 2)}
    assert by_version[2].ci_high - by_version[2].ci_low > by_version[1].ci_high - by_version[1].ci_low
    primary = rollouts.experiment_result(experiment).primary
    assert primary is not None and (primary.low, primary.high) == (by_version[2].ci_low, by_version[2].ci_high)
    del experiment.preregistration["estimator_version"]  # as stored by an experiment started before versions
    experiment.save(update_fields=["preregistration"])
    result = rollouts.experiment_result(experiment)
    assert result.primary is not None and (result.primary.low, result.primary.high) == (
        by_version[1].ci_low,
        by_version[1].ci_high,
    )
    assert result.per_agency[0].estimate == result.primary


def test_another_imported_kpi_can_be_the_primary_metric_and_is_read_in_its_own_unit(cast: Any, signed_in: Any) -> None:
    """Deals closed per rep and month as the pre-registered metric: the effect is a count a month, not points,
    and both rates are the exploratory figures."""
    reps_with_history(cast, reps=24, months=8, teams=6)
    experiment = services.experiment_start(
        course=unassigned_course(cast),
        partners=[cast.partner_a],
        design=services.ExperimentDesign(metric="closed", design="waves", start=THIS, waves=2, spacing=2),
        started_by=cast.admin,
        seed=11,
    )
    assert experiment.metric == "closed"
    call_command("experiment_fast_forward", str(experiment.pk))
    experiment.refresh_from_db()
    result = rollouts.experiment_result(experiment)
    assert result.primary is not None and result.primary.low < result.primary.effect < result.primary.high
    assert [name for name, _estimate in result.exploratory] == ["appointment_rate", "close_rate"]
    client = signed_in(cast.admin)
    url = reverse("kpis:experiment_detail", args=[experiment.pk])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Change in the deals closed; 95% interval" in body
    assert "per rep a month (cluster-robust by team)" in body
    assert "Change in the deals closed (per rep a month), with 95% intervals" in body  # the chart's title
    assert "deals closed by about" in body or "the deals closed changed by" in body  # the plain reading
    assert "Appointment rate: " in body and "points (" in body  # the exploratory rates stay in points
    ja = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "件/人月" in ja and "成約数の変化" in ja


def test_the_start_form_offers_the_imported_kpis_and_refuses_an_unknown_metric(cast: Any) -> None:
    reps_with_history(cast, reps=12, months=4, teams=3)
    for metric in ("appointments", "closed", "calls"):
        design = services.ExperimentDesign(metric=metric, design="holdout", start=THIS, period=2)
        course = unassigned_course(cast, slug=f"course-{metric}")
        started = services.experiment_start(
            course=course, partners=[cast.partner_a], design=design, started_by=cast.admin, seed=1
        )
        assert started.metric == metric and started.units.count() > 0
    course = unassigned_course(cast, slug="course-unknown")
    with pytest.raises(services.KpiError):
        services.experiment_start(
            course=course,
            partners=[cast.partner_a],
            design=services.ExperimentDesign(metric="revenue_per_ghost", design="holdout", start=THIS),
            started_by=cast.admin,
            seed=1,
        )
