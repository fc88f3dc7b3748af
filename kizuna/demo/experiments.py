"""Fast-forward a demo experiment: as if its period had passed, so its result page can be read today.

The experiment is moved back so its period ends with the last complete month (kpis.services.experiment_rewind);
everyone whose month has come is given the course; the reps given it finish it with a chance that rises with
their own sales level (keen reps learn more: the selection that flatters naive comparisons), on a day in their
first month; and the period's sales figures of the drawn reps are simulated again with the demo's generator
(kizuna.demo.kpis: 5 points more appointments after the month a rep finished the course). Everything goes
through the records and KPI services, as real learning and a CRM load would.
"""

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from kizuna.catalog.selectors import version_outline
from kizuna.kpis import rollouts
from kizuna.kpis import services as kpis
from kizuna.kpis.periods import month_add, month_of, months_between
from kizuna.records import services as records

from .activity import Timeline, lesson_steps, steps_play
from .kpis import EFFECT_COURSE, PRODUCT, product_exists, rep_profile, rep_rows


def _finish(rep: Any, lessons: list[Any], at: datetime, rng: random.Random, *, now: datetime) -> None:
    for lesson in lessons:
        if lesson.kind in ("article", "video"):
            timeline = Timeline(rep=rep, rng=rng, now=now)
            left = lesson_steps(timeline, lesson, at)
            steps_play(timeline.steps)
            at = (left or at) + timedelta(minutes=rng.uniform(1, 20))
        else:
            records.lesson_launch(rep=rep, lesson=lesson, timestamp=at)
            records.lesson_complete(rep=rep, lesson=lesson, timestamp=at + timedelta(minutes=3), by_content=True)
            at += timedelta(minutes=rng.uniform(4, 20))


def experiment_fast_forward(*, experiment: Any, now: datetime | None = None) -> dict[str, int]:
    """Play an experiment's period as if it had passed (see the module's docstring); return what was done."""
    from kizuna.kpis.selectors import course_finish_months

    now = now or timezone.now()
    this = month_of(now)
    kpis.experiment_rewind(experiment=experiment, start=month_add(this, -experiment.months))
    experiment.refresh_from_db()
    end = rollouts.experiment_end(experiment)
    released = kpis.experiment_release_due(today=timezone.localdate(now))
    units = [u for u in rollouts.experiment_units(experiment) if u.release_on < end]
    if experiment.kind != "course":
        return _fast_forward_other(experiment, units=units, released=released, end=end, now=now)
    lessons = [lesson for _module, items in version_outline(experiment.course.latest_version) for lesson in items]
    enrolment = rollouts.experiment_enrolment(experiment)
    finished = 0
    for unit in units:
        if unit.rep_id in enrolment.finished_reps:
            continue
        rng = random.Random(f"{experiment.pk}:{unit.rep_id}")  # noqa: S311 - demo data
        _rng, base, _close, _calls = rep_profile(unit.rep)
        if rng.random() > min(0.95, max(0.2, 0.45 + 3 * (base - 0.175))):
            continue
        day = unit.release_on + timedelta(days=rng.randint(2, 20))
        at = timezone.make_aware(datetime.combine(day, time(12, 0))) + timedelta(minutes=rng.randint(0, 300))
        if at >= now:
            continue
        _finish(unit.rep, lessons, at, rng, now=now)
        finished += 1
    # The learning effect of the demo's seed course stays; this course's finishers get theirs from their month.
    done = dict(course_finish_months(course_slug=EFFECT_COURSE))
    from kizuna.records.selectors import course_progress_times

    for rep_id, (_started, completed) in course_progress_times(
        course_id=experiment.course_id, users=[u.rep_id for u in rollouts.experiment_units(experiment)]
    ).items():
        if completed is not None:
            month = month_of(timezone.localtime(completed))
            done[rep_id] = min(done.get(rep_id, month), month)
    months = months_between(experiment.start, month_add(end, -1))
    product = PRODUCT if product_exists() else ""
    rows: list[tuple[int, dict[str, Any]]] = []
    for unit in rollouts.experiment_units(experiment):
        rows += rep_rows(unit.rep, now=now, months=months, finished=done, product=product, first_line=len(rows) + 2)
    admin = experiment.started_by
    kpis.sales_figures_upsert(rows=rows, by=admin, source="demo")
    return {"released": released, "finished": finished, "figures": len(rows)}


def _fast_forward_other(experiment: Any, *, units: list[Any], released: int, end: Any, now: datetime) -> dict[str, int]:
    """Another rollout kind (a flash update, a scenario, a requirement): nothing is played for the reps; the figures
    are simulated with the demo's effect from the month each rep was given it (as if every rep given it took it)."""
    from kizuna.kpis.selectors import course_finish_months

    done = dict(course_finish_months(course_slug=EFFECT_COURSE))
    for unit in units:
        done[unit.rep_id] = min(done.get(unit.rep_id, unit.release_on), unit.release_on)
    months = months_between(experiment.start, month_add(end, -1))
    product = PRODUCT if product_exists() else ""
    rows: list[tuple[int, dict[str, Any]]] = []
    for unit in rollouts.experiment_units(experiment):
        rows += rep_rows(unit.rep, now=now, months=months, finished=done, product=product, first_line=len(rows) + 2)
    kpis.sales_figures_upsert(rows=rows, by=experiment.started_by, source="demo")
    return {"released": released, "finished": 0, "figures": len(rows)}
