"""What can be rolled out to reps as an experiment, told by the app that owns it (a registry of rollout kinds).

An experiment (kpis) draws reps at random and gives them some content at a time: a course now, a flash update or a
scenario, a certification requirement. The catalog is the lowest app that owns such content (courses and their
assignments) and every other owner (scenarios, updates, certification) sits above it, so the registry lives here:
each app registers its kind in its AppConfig.ready(), and the experiments read the registry, never the apps.

A kind says how to:
- **give** the content to one rep at their time (a per-rep assignment, the rep added to an update's audience, a
  requirement applying to them), returning an id of what was made (the "handle", stored on the draw);
- **withhold** it from the reps whose time has not come (`prepare`, once at the start: make the content reach no
  one but the reps it is given to; per-rep giving does the rest);
- **detect contamination**: `reach` lists the other ways it reaches a rep (with when), `exposure` when each rep
  first used it and finished it; a withheld rep reached or using it before their time is contaminated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


class Reach(Protocol):
    """The other ways the content reaches reps (an `AssignmentReach`-like index)."""

    def reaching(self, *, partner_id: int, team_id: int | None, rep_id: int) -> list[tuple[int | None, datetime]]:
        """(handle or None, since when) of each thing reaching this rep; handles the experiment made are its own."""
        ...


@dataclass(frozen=True)
class RolloutKind:
    #: "course", "update", "scenario", "requirement" — stored on the experiment.
    kind: str
    #: The kind's name for people ("Course", "Flash update", …; lazy).
    label: Any
    #: The content that can be rolled out now: [(id, title)] (published, active).
    choices: Callable[[], list[tuple[int, str]]]
    #: The content's title, or None if it does not exist or cannot be rolled out.
    title: Callable[[int], str | None]
    #: Why it cannot be rolled out now ("" if it can), in the user's language.
    problem: Callable[[int], str]
    #: reach(content_id, partner_ids): the other ways it reaches reps of these agencies.
    reach: Callable[[int, list[int]], Reach]
    #: exposure(content_id, rep_ids): {rep: (first used at, finished at or None)} of the reps who used it.
    exposure: Callable[[int, Iterable[int] | Any], dict[int, tuple[datetime, datetime | None]]]
    #: prepare(content_id, by, partner_ids): make the content reach only the reps it is given to (withhold).
    prepare: Callable[[int, Any, list[int]], None]
    #: give(content_id, rep, by, due_at): give it to one rep; returns the handle (0 when the rep had been given it
    #: outside the experiment already: that row is not the experiment's own); ApplicationError if it cannot.
    give: Callable[[int, Any, Any, datetime], int]


_kinds: dict[str, RolloutKind] = {}


def register_rollout_kind(kind: RolloutKind) -> None:
    _kinds[kind.kind] = kind


def rollout_kind(kind: str) -> RolloutKind:
    """The registered kind, or KeyError."""
    return _kinds[kind]


def rollout_kinds() -> list[RolloutKind]:
    """Every registered kind, courses first then in registration order."""
    return sorted(_kinds.values(), key=lambda k: k.kind != "course")


# --- Courses (the catalog's own kind) ---------------------------------------------------------------------------


def _course_choices() -> list[tuple[int, str]]:
    from .selectors import published_courses

    return [(c.pk, c.latest_version.title if c.latest_version else c.title) for c in published_courses()]


def _course_title(content_id: int) -> str | None:
    from .selectors import published_courses

    course = published_courses().filter(pk=content_id).first()
    return None if course is None else course.latest_version.title


def _course_problem(content_id: int) -> str:
    from django.utils.translation import gettext as _

    return "" if _course_title(content_id) is not None else _("Publish the course before rolling it out.")


def _course_reach(content_id: int, partner_ids: list[int]) -> Reach:
    from .selectors import course_assignment_reach

    return course_assignment_reach(course_id=content_id, partner_ids=partner_ids)


def _course_exposure(content_id: int, reps: Any) -> dict[int, tuple[datetime, datetime | None]]:
    from kizuna.records.selectors import course_progress_times

    return course_progress_times(course_id=content_id, users=reps)


def _course_give(content_id: int, rep: Any, by: Any, due_at: datetime) -> int:
    from .models import Course
    from .services import assignment_create

    course = Course.objects.get(pk=content_id)
    return assignment_create(course=course, assigned_by=by, required=True, due_at=due_at, rep=rep).pk


def course_rollout_kind() -> RolloutKind:
    from django.utils.translation import gettext_lazy as _

    return RolloutKind(
        kind="course",
        label=_("Course"),
        choices=_course_choices,
        title=_course_title,
        problem=_course_problem,
        reach=_course_reach,
        exposure=_course_exposure,
        prepare=lambda content_id, by, partner_ids: None,  # assignments are per rep already: nothing to withhold
        give=_course_give,
    )
