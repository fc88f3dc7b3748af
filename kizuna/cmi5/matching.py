"""Which cmi5 course or AU a statement from another system is about (registered with kizuna.lrs.matching).

Our LMS's own ids (`<site>/xapi/cmi5/<key>` and `…/au/<n>`, as the launch passes them in `activityId`) name them
directly. Another LMS running the same course gives its own ids to the AUs and the course, and puts the
publisher's id from cmi5.xml in `contextActivities.grouping` of its cmi5-defined statements (cmi5 9.6.2.2):
those are matched by that publisher id, only in statements of the cmi5 category, so other statements cost no
query here.
"""

import uuid
from typing import Any

from django.conf import settings

from kizuna.lrs.matching import CONTENT, Target

from .models import Au, Course, MoveOn
from .selectors import CMI5_KIND

CATEGORY_CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
# The AU verbs that meet each moveOn on their own (CompletedAndPassed needs two statements: not one of them).
_MEETS = {
    MoveOn.NOT_APPLICABLE: frozenset({"completed", "passed"}),
    MoveOn.COMPLETED: frozenset({"completed"}),
    MoveOn.PASSED: frozenset({"passed"}),
    MoveOn.COMPLETED_OR_PASSED: frozenset({"completed", "passed"}),
    MoveOn.COMPLETED_AND_PASSED: frozenset(),
}


def _course_target(course: Course) -> Target:
    return Target(CONTENT, course.pk, part="course", content_kind=CMI5_KIND)


def _au_target(au: Au) -> Target:
    # In a course of many AUs one AU's outcome does not satisfy the course: the other LMS's `satisfied` does.
    alone = Au.objects.filter(course_id=au.course_id).count() == 1
    meets = _MEETS.get(MoveOn(au.move_on), frozenset()) if alone else frozenset()
    return Target(CONTENT, au.course_id, part="au", content_kind=CMI5_KIND, meets=meets)


def _own(iri: str) -> Target | None:
    key, _slash, rest = iri[len(f"{settings.SITE_URL}/xapi/cmi5/") :].partition("/")
    try:
        course = Course.objects.filter(key=uuid.UUID(key)).first()
    except ValueError:
        return None
    if course is None:
        return None
    if not rest:
        return _course_target(course)
    kind, _slash, position = rest.partition("/")
    if kind != "au" or not position.isdigit():
        return None
    au = Au.objects.filter(course=course, position=int(position)).first()
    return _au_target(au) if au is not None else None


def _ids(items: Any) -> list[str]:
    items = items if isinstance(items, list) else [items]
    return [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]


def activity_target(iri: str, statement: dict[str, Any]) -> Target | None:
    """The cmi5 course or AU this statement is about, or None."""
    if iri.startswith(f"{settings.SITE_URL}/xapi/cmi5/"):
        return _own(iri)
    activities = statement.get("context", {}).get("contextActivities", {})
    if CATEGORY_CMI5 not in _ids(activities.get("category", [])):
        return None
    grouping = _ids(activities.get("grouping", []))[:10]
    if not grouping:
        return None
    au = Au.objects.filter(publisher_id__in=grouping).order_by("-course__uploaded_at", "-pk").first()
    if au is not None:
        return _au_target(au)
    course = Course.objects.filter(publisher_id__in=grouping).order_by("-uploaded_at", "-pk").first()
    return _course_target(course) if course is not None else None
