"""A scenario as a rollout kind (`catalog.rollouts`): rolled out as an experiment, each drawn rep is given it on
its own (`Assignment`) in their month, and plays its latest version outside any course.

- **give**: a per-rep assignment (and a notification linking to the scenario);
- **withhold**: nothing to do at the start: a scenario reaches nobody until given (or shown in a course);
- **contamination**: a withheld rep reached before their month by an assignment the experiment did not make, or by
  an assignment of a course that shows the scenario, or who played it before their month (an attempt);
  "finished" is the first finished attempt.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kizuna.catalog.rollouts import RolloutKind

from .models import Assignment, Attempt, Scenario, ScenarioVersion


class ScenarioReach:
    """(handle or None, since when) per rep: the scenario's own assignments (the handle) and the assignments of the
    courses showing it (no handle: never the experiment's own)."""

    def __init__(self, scenario_id: int, partner_ids: list[int]) -> None:
        from kizuna.catalog.selectors import course_assignment_reach, courses_showing_content

        self.own: dict[int, list[tuple[int | None, datetime]]] = {}
        for pk, rep_id, at in Assignment.objects.filter(scenario_id=scenario_id).values_list(
            "pk", "rep_id", "assigned_at"
        ):
            self.own.setdefault(rep_id, []).append((pk, at))
        versions = list(ScenarioVersion.objects.filter(scenario_id=scenario_id).values_list("pk", flat=True))
        self.courses = [
            course_assignment_reach(course_id=course_id, partner_ids=partner_ids)
            for course_id in courses_showing_content(kind="scenario", content_ids=versions)
        ]

    def reaching(self, *, partner_id: int, team_id: int | None, rep_id: int) -> list[tuple[int | None, datetime]]:
        found: list[tuple[int | None, datetime]] = list(self.own.get(rep_id, ()))
        for reach in self.courses:
            found += [(None, at) for _pk, at in reach.reaching(partner_id=partner_id, team_id=team_id, rep_id=rep_id)]
        return found


def _published(content_id: int) -> Scenario | None:
    return Scenario.objects.filter(pk=content_id, latest_version__isnull=False).first()


def _choices() -> list[tuple[int, str]]:
    return list(
        Scenario.objects.filter(latest_version__isnull=False).order_by("title", "pk").values_list("pk", "title")
    )


def _title(content_id: int) -> str | None:
    return Scenario.objects.filter(pk=content_id).values_list("title", flat=True).first()


def _problem(content_id: int) -> str:
    return "" if _published(content_id) else _("Publish the scenario before rolling it out.")


def _exposure(content_id: int, reps: Iterable[int] | Any) -> dict[int, tuple[datetime, datetime | None]]:
    out: dict[int, tuple[datetime, datetime | None]] = {}
    rows = Attempt.objects.filter(version__scenario_id=content_id, rep_id__in=reps).order_by("started_at")
    for rep, started, finished in rows.values_list("rep_id", "started_at", "finished_at"):
        first, done = out.get(rep, (started, None))
        if finished is not None and (done is None or finished < done):
            done = finished
        out[rep] = (min(first, started), done)
    return out


def _give(content_id: int, rep: Any, by: Any, due_at: datetime) -> int:
    from .services import scenario_assign_rep

    scenario = Scenario.objects.get(pk=content_id)
    before = Assignment.objects.filter(scenario=scenario, rep=rep).exists()
    given = scenario_assign_rep(scenario=scenario, rep=rep, by=by, due_at=due_at)
    return 0 if before else given.pk  # given outside the experiment already: not its own (stays contamination)


SCENARIO_ROLLOUT = RolloutKind(
    kind="scenario",
    label=gettext_lazy("Scenario"),
    choices=_choices,
    title=_title,
    problem=_problem,
    reach=lambda content_id, partner_ids: ScenarioReach(content_id, partner_ids),
    exposure=_exposure,
    prepare=lambda content_id, by, partner_ids: None,  # given per rep: it reaches nobody else through this
    give=_give,
)
