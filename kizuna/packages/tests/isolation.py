"""Partner A's package lesson for the isolation walk (kizuna/tests/test_isolation.py): its files, player, commits and navigation."""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from .conftest import package_lesson_course

    _course, lesson, package = package_lesson_course(cast, slug="a-only-scorm", team=cast.team_a1)
    return {
        "package_lesson_id": lesson.pk,
        "sco_id": package.scos.get().pk,
        "path": "sco1/index.html",
        "nav_request": "start",  # a navigation request (sequencing) of the package lesson
    }
