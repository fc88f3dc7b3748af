"""Partner A's objects for the isolation walk: the KPI routes' own parameter is the chart's figure, and an
experiment run on partner A's reps (the principal's alone: every partner person gets a 404)."""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.catalog.services import course_create
    from kizuna.kpis.models import Experiment, ExperimentUnit
    from kizuna.kpis.periods import current_month

    course = course_create(author=cast.author, title="実験の講座", slug="isolation-experiment")
    experiment = Experiment.objects.create(
        course=course,
        metric="appointment_rate",
        design="holdout",
        start=current_month(),
        months=3,
        held_out=0.5,
        seed=1,
        preregistration={},
        started_by=cast.admin,
    )
    experiment.partners.set([cast.partner_a])
    ExperimentUnit.objects.create(
        experiment=experiment,
        rep=cast.rep_a1,
        partner=cast.partner_a,
        team=cast.team_a1,
        position=0,
        stratum="agency|team|none",
        group="control",
        release_on=current_month(),
        statement_id="6a1c0c36-8a53-4c11-9b57-0e6d3c7c6a11",
    )
    return {"metric": "appointment_rate", "experiment_id": experiment.pk}
