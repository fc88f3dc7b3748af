"""A flash update rolled out as an experiment: published to nobody but the drawn reps whose wave has come, given
rep by rep, and a withheld rep who gets it another way is marked contaminated."""

from typing import Any

from django.core import mail
from django.urls import reverse

from kizuna.kpis import rollouts, services
from kizuna.kpis.models import Experiment
from kizuna.kpis.periods import month_add
from kizuna.kpis.tests.rollout_builders import THIS, reps_with_history
from kizuna.updates import selectors
from kizuna.updates.models import FlashUpdate, Recipient
from kizuna.updates.services import update_create, update_open, update_recipient_add


def _draft(cast: Any, **extra: Any) -> FlashUpdate:
    return update_create(author=cast.admin, title="新料金のご案内", body="4月から料金が変わります。", **extra)


def _start(cast: Any, update: FlashUpdate, **extra: Any) -> Experiment:
    values: dict[str, Any] = {"metric": "appointment_rate", "design": "waves", "start": THIS, "waves": 3}
    values.update(extra)
    return services.experiment_start(
        kind="update",
        content_id=update.pk,
        partners=[cast.partner_a],
        design=services.ExperimentDesign(**values),
        started_by=cast.admin,
        seed=20261206,
    )


def _sees(rep: Any, update: FlashUpdate) -> bool:
    return selectors.updates_visible_to(rep).filter(pk=update.pk).exists()


def _on_home(rep: Any, update: FlashUpdate) -> bool:
    return update.pk in [item.pk for item in selectors.updates_for_home(rep).items]


def test_waves_of_an_update_reach_each_wave_in_its_month_and_contamination_is_marked(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reps_with_history(cast)
    update = _draft(cast, ack_due_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        experiment = _start(cast, update)
    update.refresh_from_db()
    assert update.is_published and update.audience == FlashUpdate.Audience.EXPERIMENT
    assert experiment.kind == "update" and experiment.content_id == update.pk
    assert experiment.preregistration["rolled_out"] == {"kind": "update", "id": update.pk}
    units = list(experiment.units.select_related("rep"))
    waves = {u.group for u in units}
    assert waves == {"1", "2", "3"}
    # Month 1: only wave 1 has it, on the home strip and by e-mail; the others cannot open it.
    for unit in units:
        assert _sees(unit.rep, update) == (unit.group == "1")
        assert _on_home(unit.rep, update) == (unit.group == "1")
    first = sorted(u.rep.email for u in units if u.group == "1")
    assert sorted(address for m in mail.outbox for address in m.to) == first
    assert not _sees(cast.rep_b1, update)  # partner B was not in the experiment
    # Simulated time: the next month releases wave 2, and only wave 2.
    with django_capture_on_commit_callbacks(execute=True):
        released = services.experiment_release_due(today=month_add(THIS, 1))
    assert released == sum(u.group == "2" for u in units)
    for unit in units:
        assert _sees(unit.rep, update) == (unit.group in ("1", "2"))
    # A wave-3 rep given the update another way (per-rep, outside the experiment) and opening it is contaminated.
    late = next(u for u in units if u.group == "3")
    update_recipient_add(update=update, rep=late.rep, by=cast.admin)
    update_open(rep=late.rep, update=update)
    enrolment = rollouts.experiment_enrolment(experiment)
    assert enrolment.contaminated_reps == {late.rep_id}
    wave3 = next(g for g in enrolment.groups if g.group == "3")
    assert wave3.contaminated == 1 and wave3.released == 0
    # The third month gives the rest their own; the contaminated rep keeps their group and is not given it twice.
    services.experiment_release_due(today=month_add(THIS, 2))
    assert all(_sees(u.rep, update) for u in units)
    assert Recipient.objects.filter(update=update, rep=late.rep).count() == 1
    assert rollouts.experiment_enrolment(experiment).contaminated_reps == {late.rep_id}
    assert rollouts.experiment_replay(experiment)


def test_a_rep_who_acknowledges_counts_as_finished(cast: Any) -> None:
    reps_with_history(cast)
    update = _draft(cast)
    experiment = _start(cast, update, design="holdout", period=3)
    update.refresh_from_db()
    treated = experiment.units.filter(group="treatment").select_related("rep").first()
    from kizuna.updates.services import update_acknowledge

    update_acknowledge(rep=treated.rep, update=update)
    assert set(rollouts.experiment_finished(experiment)) == {treated.rep_id}
    held = experiment.units.filter(group="control").select_related("rep").first()
    assert not _sees(held.rep, update)


def test_it_refuses_a_published_update_and_writes_nothing(cast: Any) -> None:
    import pytest

    from kizuna.updates.services import update_publish

    reps_with_history(cast)
    update = _draft(cast)
    update_publish(update=update, publisher=cast.admin)
    with pytest.raises(services.KpiError) as refused:
        _start(cast, update)
    assert refused.value.field == "rollout"
    assert not Experiment.objects.exists()


def test_publish_as_an_experiment_leads_to_the_experiment_form_with_the_draft_chosen(cast: Any, signed_in: Any) -> None:
    reps_with_history(cast)
    client = signed_in(cast.admin)
    response = client.post(
        reverse("updates:update_new"),
        {"title": "速報の実験", "body": "本文", "audience": "all", "action": "experiment"},
    )
    update = FlashUpdate.objects.get(title="速報の実験")
    assert not update.is_published
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("kpis:experiment_new") + f"?kind=update&content={update.pk}")
    page = client.get(response["Location"])
    assert f'value="update:{update.pk}" selected' in page.content.decode()
    started = client.post(
        reverse("kpis:experiment_new"),
        {
            "rollout": f"update:{update.pk}",
            "partners": [cast.partner_a.pk],
            "metric": "appointment_rate",
            "design": "holdout",
            "start": THIS.strftime("%Y-%m"),
            "period": 3,
            "held_out": 50,
            "waves": 3,
            "spacing": 1,
            "start_experiment": "1",
        },
    )
    experiment = Experiment.objects.get()
    assert started.status_code == 302 and experiment.kind == "update"
    detail = client.get(reverse("kpis:experiment_detail", args=[experiment.pk]))
    assert "速報の実験" in detail.content.decode()


def test_an_author_gets_no_experiment_button(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    assert "Publish as an experiment" in client.get(reverse("updates:update_new")).content.decode() or (
        "実験として公開" in client.get(reverse("updates:update_new")).content.decode()
    )
    author = signed_in(cast.author)
    response = author.post(
        reverse("updates:update_new"),
        {"title": "著者の速報", "body": "本文", "audience": "all", "action": "experiment"},
    )
    assert not response["Location"].startswith(reverse("kpis:experiment_new"))


def test_an_agencys_manager_cannot_see_who_was_given_an_experiments_update(
    cast: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reps_with_history(cast)
    update = _draft(cast, ack_due_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        _start(cast, update)
    report = reverse("updates:update_report", args=[update.pk])
    # The report names who has it (the arms): the principal's staff read it; an agency's manager may not.
    client.force_login(cast.admin)
    assert client.get(report).status_code == 200
    client.force_login(cast.manager_a)
    assert client.get(report).status_code == 404
    assert report.encode() not in client.get(reverse("updates:updates")).content
    update.refresh_from_db()
    assert not selectors.can_see_report_of(cast.manager_a, update)
    assert selectors.can_see_report_of(cast.admin, update)
