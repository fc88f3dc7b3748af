"""Reads of cmi5 courses: the course behind a published lesson, its AUs with the rep's status, the studio list."""

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from kizuna.catalog.selectors import access_lesson_for_user
from kizuna.orgs.access import visible_reps

from .models import Au, AuStatus, Course, Registration

if TYPE_CHECKING:
    from kizuna.accounts.models import User

CMI5_KIND = "cmi5"


def studio_cmi5_courses() -> QuerySet[Course]:
    return Course.objects.all()


def cmi5_course_by_id(course_id: int | None) -> Course | None:
    return Course.objects.filter(pk=course_id).first() if course_id else None


def access_cmi5_lesson_for_user(user: "User", lesson_id: int) -> tuple[Any, Course]:
    """Return a published cmi5 lesson the person may open and its cmi5 course, or 404."""
    lesson = access_lesson_for_user(user, lesson_id)
    course = cmi5_course_by_id(lesson.content_id) if lesson.kind == CMI5_KIND else None
    if course is None:
        raise Http404
    return lesson, course


def access_au_for_user(user: "User", lesson_id: int, au_id: int) -> tuple[Any, Au]:
    lesson, course = access_cmi5_lesson_for_user(user, lesson_id)
    au = Au.objects.select_related("course").filter(pk=au_id, course=course).first()
    if au is None:
        raise Http404
    return lesson, au


def registration_of(*, rep: "User", course: Course) -> Registration | None:
    return Registration.objects.filter(rep=rep, course=course).first()


def course_outline(*, course: Course, rep: "User | None") -> list[tuple[Any, AuStatus | None]]:
    """Blocks and AUs in order, each AU with the rep's status in it (None before a launch or for a non-rep)."""
    registration = registration_of(rep=rep, course=course) if rep is not None else None
    statuses = {s.au_id: s for s in registration.statuses.all()} if registration else {}
    nodes: list[Any] = [*course.blocks.all(), *course.aus.all()]
    nodes.sort(key=lambda n: n.position)
    result = []
    for node in nodes:
        status = statuses.get(node.pk) if isinstance(node, Au) else None
        if status is not None:
            status.au = node
        result.append((node, status))
    return result


def registration_for_waiver(*, email: str, au_publisher_id: str) -> tuple[Registration, Au] | None:
    """The (latest) registration of the person with this e-mail in a cmi5 course holding that AU, with the AU."""
    for registration in Registration.objects.filter(rep__email__iexact=email.strip()).order_by("-created_at"):
        au = registration.course.aus.filter(publisher_id=au_publisher_id).first()
        if au is not None:
            return registration, au
    return None


def registrations_for_waiver(*, user: "User", course: Course) -> QuerySet[Registration]:
    """The registrations in a cmi5 course of the reps this person may see (a waiver is for one of them)."""
    return (
        Registration.objects.filter(course=course, rep__in=visible_reps(user))
        .select_related("rep")
        .order_by("rep__name", "rep__email")
    )


def waivers_of(*, user: "User", course: Course) -> QuerySet[AuStatus]:
    """The AUs of a cmi5 course waived for the reps this person may see, the latest first."""
    return (
        AuStatus.objects.filter(registration__in=registrations_for_waiver(user=user, course=course))
        .exclude(waived_at=None)
        .select_related("registration__rep", "au")
        .order_by("-waived_at")
    )
