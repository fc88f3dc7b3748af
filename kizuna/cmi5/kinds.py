"""The cmi5 lesson kind, registered with the catalog's seam (kizuna.catalog.kinds).

An imported cmi5 course never changes, so publishing keeps it; the lesson page lists its blocks and AUs with
the rep's status, each AU launched by the LMS (kizuna.cmi5.launching). The lesson is completed when the course
is satisfied.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from kizuna.catalog.kinds import ContentKind, register
from kizuna.orgs.access import Role, has_role, membership_of

from . import selectors, services


def _choices(user: Any) -> list[tuple[int, str]]:
    return [
        (c.pk, _("%(title)s (cmi5, imported %(date)s)") % {"title": c.title, "date": c.uploaded_at.date().isoformat()})
        for c in selectors.studio_cmi5_courses()
    ]


def _title(content_id: int) -> str | None:
    course = selectors.cmi5_course_by_id(content_id)
    return course.title if course else None


def cmi5_learner(request: HttpRequest, lesson: Any, progress: Any) -> tuple[str, dict[str, Any]]:
    course = selectors.cmi5_course_by_id(lesson.content_id)
    m = membership_of(request.user)
    rep = request.user if m is not None and m.is_rep else None
    outline = selectors.course_outline(course=course, rep=rep) if course else []
    registration = selectors.registration_of(rep=rep, course=course) if rep is not None and course else None
    return "cmi5/_lesson_cmi5.html", {
        "cmi5_course": course,
        "cmi5_outline": outline,
        "cmi5_is_rep": rep is not None,
        "cmi5_can_waive": has_role(request.user, Role.ADMIN),
        "cmi5_satisfied": registration is not None and "course" in registration.satisfied,
    }


def register_kinds() -> None:
    register(
        ContentKind(
            kind=services.CMI5_KIND,
            choices=_choices,
            publish_problems=services.cmi5_publish_problems,
            publish=lambda content_id, publisher: content_id,  # an imported course never changes
            learner=cmi5_learner,
            title=_title,
            scored=True,  # its result, with the score, is recorded on the lesson (a certification may require it)
        )
    )
