"""A scenario rolled out as an experiment: each drawn rep is given it on their own in their month and may then play
it outside any course; a withheld rep who gets it through a course, or plays it early, is marked contaminated."""

from typing import Any

from django.urls import reverse

from conftest import publish_course
from kizuna.kpis import rollouts, services
from kizuna.kpis.models import Experiment
from kizuna.kpis.periods import month_add
from kizuna.kpis.tests.rollout_builders import THIS, reps_with_history
from kizuna.notifications.models import Notification
from kizuna.scenarios.models import Assignment

from .helpers import play


def _start(cast: Any, scenario: Any, **extra: Any) -> Experiment:
    values: dict[str, Any] = {"metric": "appointment_rate", "design": "waves", "start": THIS, "waves": 2}
    values.update(extra)
    return services.experiment_start(
        kind="scenario",
        content_id=scenario.pk,
        partners=[cast.partner_a],
        design=services.ExperimentDesign(**values),
        started_by=cast.admin,
        seed=20261206,
    )


def _can_play(client: Any, version: Any) -> bool:
    return client.get(reverse("scenarios:scenario_play", args=[version.pk])).status_code == 200


def test_waves_of_a_scenario_let_each_wave_play_it_in_its_month_and_contamination_is_marked(
    cast: Any, complaint: Any, complaint_version: Any, signed_in: Any
) -> None:
    reps_with_history(cast)
    experiment = _start(cast, complaint)
    assert experiment.kind == "scenario" and experiment.content_title == complaint.title
    units = list(experiment.units.select_related("rep"))
    first = [u for u in units if u.group == "1"]
    second = [u for u in units if u.group == "2"]
    assert first and second
    # Wave 1 is given it (and told); wave 2 cannot open it yet.
    assert {a.rep_id for a in Assignment.objects.filter(scenario=complaint)} == {u.rep_id for u in first}
    assert Notification.objects.filter(kind="scenarios.assigned", recipient=first[0].rep).exists()
    assert _can_play(signed_in(first[0].rep), complaint_version)
    assert not _can_play(signed_in(second[0].rep), complaint_version)
    # A wave-1 rep plays it in their month: not contamination.
    play(first[0].rep, complaint_version, [])
    assert rollouts.experiment_enrolment(experiment).contaminated == 0
    # A wave-2 rep reached early through a course showing the scenario is contaminated, and so is one who played it.
    early, player = second[0], second[1]
    publish_course(
        cast,
        slug="complaint-course",
        title="クレーム対応",
        lessons=[{"kind": "scenario", "title": "最初のひとこと", "content_id": complaint.pk}],
        rep=early.rep,
    )
    play(player.rep, complaint_version, [])
    enrolment = rollouts.experiment_enrolment(experiment)
    assert enrolment.contaminated_reps == {early.rep_id, player.rep_id}
    # Simulated time: next month wave 2 is given it too; the contaminated reps stay marked.
    assert services.experiment_release_due(today=month_add(THIS, 1)) == len(second)
    assert _can_play(signed_in(second[-1].rep), complaint_version)
    assert rollouts.experiment_enrolment(experiment).contaminated_reps == {early.rep_id, player.rep_id}
    assert rollouts.experiment_replay(experiment)


def test_reps_who_played_it_already_are_not_drawn(cast: Any, complaint: Any, complaint_version: Any) -> None:
    reps_with_history(cast)
    play(cast.rep_a1, complaint_version, [])  # principal staff may play any version; so may the cast through a lesson
    experiment = _start(cast, complaint, design="holdout", period=3)
    assert not experiment.units.filter(rep=cast.rep_a1).exists()


def test_it_refuses_an_unpublished_scenario_and_writes_nothing(cast: Any, complaint: Any) -> None:
    import pytest

    reps_with_history(cast)
    with pytest.raises(services.KpiError) as refused:
        _start(cast, complaint)
    assert refused.value.field == "rollout"
    assert not Experiment.objects.exists() and not Assignment.objects.exists()


def test_the_admin_finds_roll_out_as_an_experiment_on_the_published_scenario(
    cast: Any, complaint: Any, complaint_version: Any, signed_in: Any
) -> None:
    page = signed_in(cast.admin).get(reverse("scenarios:studio_scenario", args=[complaint.pk])).content.decode()
    assert f"?kind=scenario&amp;content={complaint.pk}" in page
    author_page = signed_in(cast.author).get(reverse("scenarios:studio_scenario", args=[complaint.pk]))
    assert "roll-out-as-experiment" not in author_page.content.decode()
