"""A course rolled out as an experiment: the stratified, seeded draw, its statements, releases and contamination."""

from collections import Counter
from typing import Any

import pytest
from django.urls import reverse

from kizuna.catalog.selectors import courses_visible_to
from kizuna.kpis import rollouts, services, vocab
from kizuna.kpis.models import Experiment, ExperimentUnit
from kizuna.kpis.periods import month_add
from kizuna.records.models import Statement

from .rollout_builders import THIS, reps_with_history, unassigned_course


def _design(**extra: Any) -> services.ExperimentDesign:
    values: dict[str, Any] = {"metric": "appointment_rate", "design": "holdout", "start": THIS, "period": 3}
    values.update(extra)
    return services.ExperimentDesign(**values)


def _start(cast: Any, course: Any, **extra: Any) -> Experiment:
    return services.experiment_start(
        course=course, partners=[cast.partner_a], design=_design(**extra), started_by=cast.admin, seed=20261206
    )


def test_a_holdout_draws_half_of_each_stratum_records_it_and_gives_the_course_only_to_the_treated(cast: Any) -> None:
    reps = reps_with_history(cast)
    course = unassigned_course(cast)
    experiment = _start(cast, course)
    units = list(experiment.units.all())
    # rep_a1 and rep_a2 of the cast have no figures: they are drawn too, in the "prior: none" strata.
    assert len(units) == len(reps) + 2
    by_stratum: dict[str, Counter] = {}
    for unit in units:
        by_stratum.setdefault(unit.stratum, Counter())[unit.group] += 1
    for counts in by_stratum.values():
        assert abs(counts["treatment"] - counts["control"]) <= 1
    assert any("prior:high" in s for s in by_stratum) and any("prior:low" in s for s in by_stratum)
    statements = Statement.objects.filter(verb=vocab.ALLOCATED.iri)
    assert statements.count() == len(units)
    one = statements.get(id=units[0].statement_id)
    extensions = one.context["extensions"]
    assert extensions[vocab.EXT_SEED.iri] == "20261206"
    assert extensions[vocab.EXT_ARM.iri] == units[0].group
    for unit in units:
        visible = courses_visible_to(unit.rep).filter(pk=course.pk).exists()
        assert visible == (unit.group == "treatment")
        assert (unit.released_at is not None) == (unit.group == "treatment")
    assert rollouts.experiment_replay(experiment)
    assert experiment.preregistration["metric"] == "appointment_rate"
    assert experiment.preregistration["seed"] == "20261206"


def test_the_same_seed_and_strata_give_the_same_draw_and_another_seed_another(cast: Any) -> None:
    reps_with_history(cast)
    experiment = _start(cast, unassigned_course(cast))
    units = list(experiment.units.order_by("position"))
    design = _design()
    strata = [u.stratum for u in units]
    assert services.experiment_draw(strata=strata, design=design, seed=20261206) == [u.group for u in units]
    assert services.experiment_draw(strata=strata, design=design, seed=7) != [u.group for u in units]
    ExperimentUnit.objects.filter(pk=units[0].pk).update(
        group="control" if units[0].group == "treatment" else "treatment"
    )
    assert not rollouts.experiment_replay(experiment)


def test_waves_give_the_course_wave_by_wave(cast: Any) -> None:
    reps_with_history(cast)
    course = unassigned_course(cast)
    experiment = _start(cast, course, design="waves", waves=3, spacing=1)
    units = list(experiment.units.all())
    assert {u.group for u in units} == {"1", "2", "3"}
    assert {u.release_on for u in units} == {THIS, month_add(THIS, 1), month_add(THIS, 2)}
    assert all((u.released_at is not None) == (u.group == "1") for u in units)
    assert services.experiment_release_due(today=month_add(THIS, 1)) == sum(u.group == "2" for u in units)
    assert services.experiment_release_due(today=month_add(THIS, 1)) == 0
    services.experiment_release_due(today=month_add(THIS, 2))
    for unit in ExperimentUnit.objects.filter(experiment=experiment):
        assert unit.released_at is not None and courses_visible_to(unit.rep).filter(pk=course.pk).exists()


def test_a_held_out_rep_given_the_course_by_another_assignment_is_marked_contaminated(cast: Any) -> None:
    from kizuna.catalog.services import assignment_create

    reps_with_history(cast)
    course = unassigned_course(cast)
    experiment = _start(cast, course)
    held = experiment.units.filter(group="control").select_related("rep").first()
    assert rollouts.experiment_enrolment(experiment).contaminated == 0
    assignment_create(course=course, assigned_by=cast.admin, required=False, rep=held.rep)
    enrolment = rollouts.experiment_enrolment(experiment)
    assert enrolment.contaminated == 1 and enrolment.contaminated_reps == {held.rep_id}
    control = next(g for g in enrolment.groups if g.group == "control")
    assert control.contaminated == 1


def test_reps_already_given_the_course_are_not_drawn(cast: Any) -> None:
    from kizuna.catalog.services import assignment_create

    reps = reps_with_history(cast)
    course = unassigned_course(cast)
    for rep in reps[:3]:
        assignment_create(course=course, assigned_by=cast.admin, required=False, rep=rep)
    experiment = _start(cast, course)
    drawn = {u.rep_id for u in experiment.units.all()}
    assert drawn.isdisjoint({rep.pk for rep in reps[:3]}) and len(drawn) == len(reps) - 3 + 2


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"start": month_add(THIS, -1)}, "start"),
        ({"start": month_add(THIS, 4)}, "start"),
        ({"held_out": 0.95}, "held_out"),
        ({"design": "waves", "waves": 9}, "waves"),
        ({"metric": "revenue"}, "metric"),
    ],
)
def test_it_refuses_a_bad_design_and_writes_nothing(cast: Any, extra: dict[str, Any], field: str) -> None:
    reps_with_history(cast)
    course = unassigned_course(cast)
    with pytest.raises(services.KpiError) as caught:
        _start(cast, course, **extra)
    assert caught.value.field == field
    assert not Experiment.objects.exists() and not Statement.objects.filter(verb=vocab.ALLOCATED.iri).exists()


def test_it_refuses_when_too_few_reps_can_take_part(cast: Any) -> None:
    course = unassigned_course(cast)
    with pytest.raises(services.KpiError):
        services.experiment_start(
            course=course, partners=[cast.partner_b], design=_design(), started_by=cast.admin, seed=1
        )
    assert not Experiment.objects.exists()


def _form(cast: Any, course: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "course": course.pk,
        "partners": [cast.partner_a.pk],
        "metric": "appointment_rate",
        "design": "waves",
        "start": THIS.strftime("%Y-%m"),
        "period": 3,
        "held_out": 50,
        "waves": 3,
        "spacing": 1,
    }
    data.update(extra)
    return data


def test_the_admin_sees_what_it_can_detect_then_starts_it(cast: Any, signed_in: Any) -> None:
    reps_with_history(cast)
    course = unassigned_course(cast)
    client = signed_in(cast.admin)
    url = reverse("kpis:experiment_new")
    preview = client.post(url, {**_form(cast, course), "preview": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    body = preview.content.decode()
    assert preview.status_code == 200 and "you would notice a change of" in body
    assert not Experiment.objects.exists()
    response = client.post(url, {**_form(cast, course), "start_experiment": "1"})
    experiment = Experiment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "kpis:experiment_detail", args=[experiment.pk]
    )
    assert experiment.planned_effect is not None and experiment.planned_effect > 0
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enrolment" in page and "always-valid" in page and str(experiment.seed) in page


def test_a_bad_form_shows_the_problem_and_starts_nothing(cast: Any, signed_in: Any) -> None:
    reps_with_history(cast)
    course = unassigned_course(cast)
    response = signed_in(cast.admin).post(
        reverse("kpis:experiment_new"),
        {**_form(cast, course, start=month_add(THIS, -2).strftime("%Y-%m")), "start_experiment": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "starts this month or in one of the next three" in response.content.decode()
    assert not Experiment.objects.exists()


def test_managers_and_reps_see_no_experiment_page(cast: Any, signed_in: Any) -> None:
    reps_with_history(cast)
    experiment = _start(cast, unassigned_course(cast))
    for person in (cast.manager_a, cast.rep_a1, cast.manager_b):
        client = signed_in(person)
        for url in (
            reverse("kpis:experiments"),
            reverse("kpis:experiment_new"),
            reverse("kpis:experiment_detail", args=[experiment.pk]),
        ):
            assert client.get(url).status_code == 404


def test_ticking_as_an_experiment_on_the_assignment_form_leads_to_the_experiment_form(
    cast: Any, signed_in: Any
) -> None:
    reps_with_history(cast)
    course = unassigned_course(cast)
    client = signed_in(cast.admin)
    response = client.post(
        reverse("catalog:assignments"),
        {"course": course.pk, "target": "partner", "partner": cast.partner_a.pk, "as_experiment": "on"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("kpis:experiment_new") + f"?course={course.pk}")
    page = client.get(response["Location"]).content.decode()
    assert f'<option value="{course.pk}" selected>' in page
    assert f'value="{cast.partner_a.pk}"' in page and "checked" in page
    from kizuna.catalog.models import Assignment

    assert not Assignment.objects.filter(course=course, partner=cast.partner_a).exists()


def test_a_drawn_rep_who_became_a_manager_is_skipped_and_the_others_still_get_the_course(cast: Any) -> None:
    from kizuna.orgs.models import Membership

    reps_with_history(cast)
    experiment = _start(cast, unassigned_course(cast), design="waves", waves=2, spacing=1)
    second = list(experiment.units.filter(group="2").order_by("pk"))
    Membership.objects.filter(user_id=second[0].rep_id).update(role="manager")
    assert services.experiment_release_due(today=month_add(THIS, 1)) == len(second) - 1
    assert [
        u.released_at is None for u in ExperimentUnit.objects.filter(pk__in=[u.pk for u in second]).order_by("pk")
    ] == [True] + [False] * (len(second) - 1)
