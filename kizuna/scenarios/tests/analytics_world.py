"""A played scenario for the analytics tests: the example complaint call, in a course assigned to partners A and B.

Partner A's reps mostly choose like the top rep; partner B's rep apologises first every time (the seed's example).
The coach plays the reference too, which never counts for a partner.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from conftest import publish_course

from .helpers import APOLOGY_PATH, REFERENCE_PATH, play

# rep_a2's apology path matches the top rep at 2 of its 5 moments (see test_selectors).
APOLOGY_ALIGNMENT = 0.4


@dataclass
class World:
    scenario: Any
    version: Any
    lesson: Any
    attempts: dict[str, Any]


def build_world(cast: Any, complaint: Any, *, b_plays: int = 5, a1_plays: int = 3) -> World:
    """Publish the complaint scenario in a course for A and B, and play it: A close to the top rep, B apologising."""
    from django.utils import timezone

    from kizuna.catalog.services import assignment_create

    course = publish_course(
        cast,
        slug="complaint-analytics",
        title="クレーム対応",
        lessons=[{"kind": "scenario", "title": "最初のひとこと", "content_id": complaint.pk}],
    )
    assignment_create(
        course=course,
        assigned_by=cast.admin,
        required=True,
        due_at=timezone.now() + timedelta(days=7),
        partner=cast.partner_b,
    )
    lesson = course.latest_version.lessons.get()
    from kizuna.scenarios.models import ScenarioVersion

    version = ScenarioVersion.objects.get(pk=lesson.content_id)
    attempts = {
        "coach": play(cast.coach, version, REFERENCE_PATH),
        "a2": play(cast.rep_a2, version, APOLOGY_PATH, lesson=lesson),
        "a2_unfinished": play(cast.rep_a2, version, APOLOGY_PATH[:1], lesson=lesson),
    }
    for n in range(a1_plays):
        attempts[f"a1_{n}"] = play(cast.rep_a1, version, REFERENCE_PATH, lesson=lesson)
    for n in range(b_plays):
        attempts[f"b1_{n}"] = play(cast.rep_b1, version, APOLOGY_PATH, lesson=lesson)
    return World(scenario=complaint, version=version, lesson=lesson, attempts=attempts)
