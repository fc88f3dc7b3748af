"""A certification requirement rolled out as an experiment: added as targeted it applies to no one, then to each
wave's reps from their wave's month; a withheld rep who is given it or meets it early is marked contaminated."""

from typing import Any

import pytest
from django.urls import reverse

from conftest import publish_course
from kizuna.certification import selectors
from kizuna.certification import services as certification
from kizuna.certification.models import Requirement
from kizuna.kpis import rollouts, services
from kizuna.kpis.models import Experiment
from kizuna.kpis.periods import month_add
from kizuna.kpis.tests.rollout_builders import THIS, reps_with_history

from .helpers import finish_course, product_certification

LESSON = [{"kind": "article", "title": "基本", "body": "本文"}]


def _setup(cast: Any) -> tuple[Any, Any, Requirement]:
    """A certification needing course A, and course B added as an experiment (targeted); both courses given to
    partner B's rep only, so partner A's reps have neither."""
    basics = publish_course(cast, slug="basics", title="基本コース", lessons=LESSON, rep=cast.rep_b1)
    advanced = publish_course(cast, slug="advanced", title="応用コース", lessons=LESSON, rep=cast.rep_b1)
    cert = product_certification(cast, basics)
    requirement = certification.requirement_add(
        certification=cert, kind="course", label="応用コース", course=advanced, targeted=True
    )
    return cert, basics, requirement


def _start(cast: Any, requirement: Requirement, **extra: Any) -> Experiment:
    values: dict[str, Any] = {"metric": "appointment_rate", "design": "waves", "start": THIS, "waves": 2}
    values.update(extra)
    return services.experiment_start(
        kind="requirement",
        content_id=requirement.pk,
        partners=[cast.partner_a],
        design=services.ExperimentDesign(**values),
        started_by=cast.admin,
        seed=20261206,
    )


def _requirements_of(rep: Any, cert: Any) -> int:
    (card,) = selectors.rep_certifications(rep, certification=cert)
    return len(card.requirements)


def _status(rep: Any, cert: Any) -> str:
    (card,) = selectors.rep_certifications(rep, certification=cert)
    return card.status


def test_a_targeted_requirement_applies_wave_by_wave_and_contamination_is_marked(cast: Any) -> None:
    reps_with_history(cast)
    cert, basics, requirement = _setup(cast)
    experiment = _start(cast, requirement)
    assert experiment.content_title == "クラウドPro販売認定: 応用コース"
    units = list(experiment.units.select_related("rep"))
    first = [u for u in units if u.group == "1"]
    second = [u for u in units if u.group == "2"]
    # Month 1: the requirement applies to wave 1 only; a wave-2 rep who finishes course A is certified on it alone.
    assert all(_requirements_of(u.rep, cert) == 2 for u in first)
    assert all(_requirements_of(u.rep, cert) == 1 for u in second)
    finish_course(first[0].rep, basics)
    finish_course(second[0].rep, basics)
    assert _status(first[0].rep, cert) == "in_progress"
    assert _status(second[0].rep, cert) == "certified"
    # A wave-2 rep given the requirement outside the experiment is contaminated; one who did course B early too.
    certification.requirement_give(requirement=requirement, rep=second[1].rep, by=cast.admin)
    finish_course(second[2].rep, requirement.course)
    enrolment = rollouts.experiment_enrolment(experiment)
    assert enrolment.contaminated_reps == {second[1].rep_id, second[2].rep_id}
    # Simulated time: the next month gives it to wave 2; the certified rep now needs course B too.
    assert services.experiment_release_due(today=month_add(THIS, 1)) == len(second)
    assert all(_requirements_of(u.rep, cert) == 2 for u in units)
    assert _status(second[0].rep, cert) == "in_progress"
    assert rollouts.experiment_enrolment(experiment).contaminated_reps == {second[1].rep_id, second[2].rep_id}
    assert rollouts.experiment_replay(experiment)


def test_meeting_the_requirement_counts_as_finishing(cast: Any) -> None:
    reps_with_history(cast)
    _cert, _basics, requirement = _setup(cast)
    experiment = _start(cast, requirement, design="holdout", period=3)
    treated = experiment.units.filter(group="treatment").select_related("rep").first()
    finish_course(treated.rep, requirement.course)
    assert set(rollouts.experiment_finished(experiment)) == {treated.rep_id}


def test_it_refuses_a_requirement_that_applies_to_everyone(cast: Any) -> None:
    reps_with_history(cast)
    cert, _basics, _requirement = _setup(cast)
    everyone = Requirement.objects.get(certification=cert, targeted=False)
    with pytest.raises(services.KpiError) as refused:
        _start(cast, everyone)
    assert refused.value.field == "rollout"
    assert not Experiment.objects.exists()


def test_adding_a_requirement_as_an_experiment_leads_to_the_experiment_form(cast: Any, signed_in: Any) -> None:
    advanced = publish_course(cast, slug="advanced", title="応用コース", lessons=LESSON, rep=cast.rep_b1)
    basics = publish_course(cast, slug="basics", title="基本コース", lessons=LESSON, rep=cast.rep_b1)
    cert = product_certification(cast, basics)
    client = signed_in(cast.admin)
    response = client.post(
        reverse("certification:certification_requirement_add", args=[cert.pk]),
        {"kind": "course", "course": str(advanced.pk), "as_experiment": "on"},
    )
    requirement = Requirement.objects.get(certification=cert, course=advanced)
    assert requirement.targeted
    assert response["Location"] == reverse("kpis:experiment_new") + f"?kind=requirement&content={requirement.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f'value="requirement:{requirement.pk}" selected' in page
