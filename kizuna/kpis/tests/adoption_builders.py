"""A rollout that was not randomized: reps of partner A finish a course in different months (staggered adoption),
with a year of sales figures, for the "did learning move sales?" page's difference in differences."""

from typing import Any

from kizuna.kpis.periods import month_add
from kizuna.records import services as records

from . import builders
from .rollout_builders import THIS, reps_with_history


def staggered_adoption(cast: Any, course: Any) -> list[Any]:
    """30 reps in 6 teams with 12 months of figures; two in three finish `course`, 2 to 9 months ago."""
    reps = reps_with_history(cast, reps=30, months=12, teams=6)
    lessons = list(course.latest_version.lessons.all())
    for i, rep in enumerate(reps):
        if i % 3 == 0:
            continue
        when = builders.moment(month_add(THIS, -(2 + i % 8)))
        for lesson in lessons:
            records.lesson_complete(rep=rep, lesson=lesson, timestamp=when)
    return reps
