"""Reads of a rep's learning: what is next, where they are in each course — in a fixed number of queries."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kizuna.catalog.selectors import LessonRef, lesson_kind_label, published_lessons, rep_assigned_courses
from kizuna.records.models import CourseProgress, LessonProgress
from kizuna.records.selectors import url_with_id


@dataclass
class CourseCard:
    course_id: int
    title: str
    version_id: int
    required: bool
    due_at: datetime | None
    overdue: bool
    progress: CourseProgress | None
    lessons_total: int
    lessons_completed: int
    next_lesson: LessonRef | None
    minutes_left: int

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_completed / self.lessons_total) if self.lessons_total else 0

    @property
    def href(self) -> str:
        """Where the card leads: the next lesson once started, else the course page."""
        if self.next_lesson and self.started:
            return url_with_id("learning:lesson", self.next_lesson.pk)
        return url_with_id("learning:course", self.course_id)

    @property
    def lessons_label(self) -> str:
        return _("%(done)s of %(total)s lessons") % {"done": self.lessons_completed, "total": self.lessons_total}

    @property
    def minutes_label(self) -> str:
        return ngettext("about %(minutes)s minute left", "about %(minutes)s minutes left", self.minutes_left) % {
            "minutes": self.minutes_left
        }

    @property
    def completed(self) -> bool:
        return bool(self.progress and self.progress.completed_at)

    @property
    def started(self) -> bool:
        return self.progress is not None


@dataclass(frozen=True)
class Resume:
    """The unfinished lesson the rep touched last, and where its video stopped."""

    lesson: LessonRef
    position_seconds: float


@dataclass(frozen=True)
class NextStep:
    """The one lesson a rep should open now, with what they need to decide to start it."""

    lesson: LessonRef
    course_title: str
    due_at: datetime | None
    overdue: bool
    required: bool
    started: bool
    position_seconds: float = 0.0

    @property
    def href(self) -> str:
        return url_with_id("learning:lesson", self.lesson.pk)

    @property
    def kind_label(self) -> str:
        return lesson_kind_label(self.lesson.kind)

    @property
    def minutes(self) -> int:
        return max(1, self.lesson.estimated_minutes)


@dataclass
class NextUp:
    urgent: list[CourseCard]  # required, overdue first then by due date
    continuing: list[CourseCard]  # started, not required-urgent, most recent first
    optional: list[CourseCard]  # optional, not started
    completed: list[CourseCard]
    resume: Resume | None = None

    @property
    def fingerprint(self) -> str:
        """Everything the course cards show, hashed: the key of their cached rendering."""
        parts = [
            (
                c.course_id,
                c.title,
                c.required,
                c.due_at,
                c.overdue,
                c.completed,
                c.started,
                c.lessons_total,
                c.lessons_completed,
                c.minutes_left,
                c.next_lesson.pk if c.next_lesson else None,
                c.next_lesson.title if c.next_lesson else None,
            )
            for c in self.all
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    @property
    def sections(self) -> list[tuple[str, str, list[CourseCard]]]:
        """(id, heading, cards) in the order of the home page; "next up" is shown even when empty."""
        return [
            (section_id, heading, cards)
            for section_id, heading, cards in (
                ("h-next", _("Next up"), self.urgent),
                ("h-continue", _("Continue where you left off"), self.continuing),
                ("h-optional", _("Optional courses"), self.optional),
            )
            if cards or section_id == "h-next"
        ]

    @property
    def all(self) -> list[CourseCard]:
        return self.urgent + self.continuing + self.optional + self.completed

    @property
    def next_step(self) -> NextStep | None:
        """The one thing to do now: the next lesson of the most urgent required course, else the lesson the rep
        left unfinished, else the next lesson of what they were doing, else of the first optional course."""
        resume = self.resume
        for card in self.urgent[:1] or ([] if resume else self.continuing[:1] or self.optional[:1]):
            if card.next_lesson is None:
                continue
            position = resume.position_seconds if resume and resume.lesson.pk == card.next_lesson.pk else 0.0
            return NextStep(
                card.next_lesson, card.title, card.due_at, card.overdue, card.required, card.started, position
            )
        if resume is not None:
            course = next((c for c in self.all if c.version_id == resume.lesson.version_id), None)
            return NextStep(
                resume.lesson,
                course.title if course else "",
                course.due_at if course else None,
                bool(course and course.overdue),
                bool(course and course.required),
                True,
                resume.position_seconds,
            )
        return None

    @property
    def resume_elsewhere(self) -> Resume | None:
        """The unfinished lesson, unless it already is the next step (shown once, not twice)."""
        step = self.next_step
        if self.resume is None or (step is not None and step.lesson.pk == self.resume.lesson.pk):
            return None
        return self.resume


def rep_course_cards(*, rep: Any, now: datetime | None = None) -> list[CourseCard]:
    """Return one card per course assigned to the rep, with their progress and next lesson (four queries)."""
    return _rep_learning(rep=rep, now=now or timezone.now())[0]


def _rep_learning(*, rep: Any, now: datetime) -> tuple[list[CourseCard], Resume | None]:
    assigned: dict[int, dict[str, Any]] = {}
    rows = rep_assigned_courses(rep)
    for course_id, version_id, title, published_at, required, due_at in rows:
        entry = assigned.setdefault(
            course_id, {"version": (version_id, title, published_at), "required": False, "due_at": None}
        )
        if required:
            entry["required"] = True
            if due_at and (entry["due_at"] is None or due_at < entry["due_at"]):
                entry["due_at"] = due_at
    if not assigned:
        return [], None
    progress = {
        cp.course_id: cp
        for cp in CourseProgress.objects.filter(user=rep, course_id__in=assigned).annotate(
            version_title=F("version__title"), version_published_at=F("version__published_at")
        )
    }
    # A rep stays on the version they started; everyone else gets the latest.
    versions = {
        cid: (
            (progress[cid].version_id, progress[cid].version_title, progress[cid].version_published_at)
            if cid in progress
            else entry["version"]
        )
        for cid, entry in assigned.items()
    }
    by_version = published_lessons((version_id, at) for version_id, _title, at in versions.values())
    lessons = [lesson for outline in by_version.values() for lesson in outline]
    lesson_ids = {lesson.pk for lesson in lessons}
    started = LessonProgress.objects.filter(user=rep, course_id__in=assigned).values_list(
        "lesson_id", "completed_at", "last_activity_at", "position_seconds"
    )
    done = set()
    last_touched = None
    for lesson_id, completed_at, last_activity_at, position in started:
        if lesson_id not in lesson_ids:
            continue  # a lesson of another version of the course
        if completed_at is not None:
            done.add(lesson_id)
        elif last_touched is None or last_activity_at > last_touched[1]:
            last_touched = (lesson_id, last_activity_at, position)
    cards = []
    for cid, entry in assigned.items():
        version_id, title, _published_at = versions[cid]
        vlessons: Sequence[LessonRef] = by_version.get(version_id, [])
        remaining = [lesson for lesson in vlessons if lesson.pk not in done]
        cp = progress.get(cid)
        due_at = entry["due_at"] if entry["required"] else None
        completed = bool(cp and cp.completed_at)
        cards.append(
            CourseCard(
                course_id=cid,
                title=title,
                version_id=version_id,
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
    resume = None
    if last_touched is not None:
        lesson_by_id = {lesson.pk: lesson for lesson in lessons}
        resume = Resume(lesson=lesson_by_id[last_touched[0]], position_seconds=last_touched[2])
    return cards, resume


def rep_next_up(*, rep: Any, now: datetime | None = None) -> NextUp:
    """Order the rep's work: overdue and required first, then what they were doing, then optional courses."""
    cards, resume = _rep_learning(rep=rep, now=now or timezone.now())
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
    return NextUp(urgent=urgent, continuing=continuing, optional=optional, completed=completed, resume=resume)
