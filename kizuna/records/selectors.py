"""Reads of a rep's learning: what is next, where they are, and their progress — in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from kizuna.catalog.models import CourseVersion, PublishedLesson
from kizuna.catalog.selectors import assignments_for_rep

from .models import CourseProgress, LessonProgress


@dataclass
class CourseCard:
    course_id: int
    title: str
    version: CourseVersion
    required: bool
    due_at: datetime | None
    overdue: bool
    progress: CourseProgress | None
    lessons_total: int
    lessons_completed: int
    next_lesson: PublishedLesson | None
    minutes_left: int

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_completed / self.lessons_total) if self.lessons_total else 0

    @property
    def completed(self) -> bool:
        return bool(self.progress and self.progress.completed_at)

    @property
    def started(self) -> bool:
        return self.progress is not None


@dataclass
class NextUp:
    urgent: list[CourseCard]  # required, overdue first then by due date
    continuing: list[CourseCard]  # started, not required-urgent, most recent first
    optional: list[CourseCard]  # optional, not started
    completed: list[CourseCard]

    @property
    def all(self) -> list[CourseCard]:
        return self.urgent + self.continuing + self.optional + self.completed


def rep_course_cards(*, rep: Any, now: datetime | None = None) -> list[CourseCard]:
    """Return one card per course assigned to the rep, with their progress and next lesson (four queries)."""
    now = now or timezone.now()
    assigned: dict[int, dict[str, Any]] = {}
    for a in assignments_for_rep(rep).select_related("course__latest_version"):
        if a.course.latest_version is None:
            continue
        entry = assigned.setdefault(a.course_id, {"course": a.course, "required": False, "due_at": None})
        if a.required:
            entry["required"] = True
            if a.due_at and (entry["due_at"] is None or a.due_at < entry["due_at"]):
                entry["due_at"] = a.due_at
    if not assigned:
        return []
    progress = {
        cp.course_id: cp
        for cp in CourseProgress.objects.filter(user=rep, course_id__in=assigned).select_related("version")
    }
    versions = {
        cid: (progress[cid].version if cid in progress else e["course"].latest_version) for cid, e in assigned.items()
    }
    lessons = list(
        PublishedLesson.objects.filter(version_id__in=[v.pk for v in versions.values()])
        .only("id", "version_id", "position", "title", "kind", "estimated_minutes")
        .order_by("position")
    )
    done = set(
        LessonProgress.objects.filter(user=rep, lesson__in=lessons, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )
    by_version: dict[int, list[PublishedLesson]] = {}
    for lesson in lessons:
        by_version.setdefault(lesson.version_id, []).append(lesson)
    cards = []
    for cid, entry in assigned.items():
        version = versions[cid]
        vlessons = by_version.get(version.pk, [])
        remaining = [lesson for lesson in vlessons if lesson.pk not in done]
        cp = progress.get(cid)
        due_at = entry["due_at"] if entry["required"] else None
        completed = bool(cp and cp.completed_at)
        cards.append(
            CourseCard(
                course_id=cid,
                title=version.title,
                version=version,
                required=entry["required"],
                due_at=due_at,
                overdue=bool(due_at and due_at < now and not completed),
                progress=cp,
                lessons_total=len(vlessons),
                lessons_completed=len(vlessons) - len(remaining),
                next_lesson=remaining[0] if remaining else (vlessons[0] if vlessons else None),
                minutes_left=sum(lesson.estimated_minutes for lesson in remaining),
            )
        )
    return cards


def rep_next_up(*, rep: Any, now: datetime | None = None) -> NextUp:
    """Order the rep's work: overdue and required first, then what they were doing, then optional courses."""
    cards = rep_course_cards(rep=rep, now=now)
    far_future = timezone.now().replace(year=9999)
    urgent = sorted(
        (c for c in cards if c.required and not c.completed),
        key=lambda c: (not c.overdue, c.due_at or far_future, c.title),
    )
    continuing = sorted(
        (c for c in cards if not c.required and c.started and not c.completed),
        key=lambda c: c.progress.last_activity_at if c.progress else far_future,
        reverse=True,
    )
    optional = sorted((c for c in cards if not c.required and not c.started), key=lambda c: c.title)
    completed = sorted(
        (c for c in cards if c.completed),
        key=lambda c: c.progress.completed_at if c.progress and c.progress.completed_at else far_future,
        reverse=True,
    )
    return NextUp(urgent=urgent, continuing=continuing, optional=optional, completed=completed)


def rep_last_lesson(*, rep: Any) -> LessonProgress | None:
    """Return the lesson the rep touched last and has not finished, to resume from the home page."""
    return (
        LessonProgress.objects.filter(user=rep, completed_at__isnull=True)
        .select_related("lesson__version")
        .order_by("-last_activity_at")
        .first()
    )


def lesson_progress_for(*, user: Any, lesson: PublishedLesson) -> LessonProgress | None:
    return LessonProgress.objects.filter(user=user, lesson=lesson).first()


def lesson_statuses(*, user: Any, lessons: list[PublishedLesson]) -> dict[int, LessonProgress]:
    return {lp.lesson_id: lp for lp in LessonProgress.objects.filter(user=user, lesson__in=lessons)}


def course_progress_for(*, user: Any, course_id: int) -> CourseProgress | None:
    return CourseProgress.objects.filter(user=user, course_id=course_id).select_related("version").first()
