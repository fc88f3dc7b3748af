"""Builders for the dashboard tests: courses published, assigned and learned through the real services."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from conftest import make_person
from kizuna.catalog import services as catalog
from kizuna.records import services as records
from kizuna.records import time_reports


def publish_course(cast: Any, *, title: str, slug: str, lessons: int = 2) -> Any:
    course = catalog.course_create(author=cast.author, title=title, slug=slug)
    module = catalog.module_create(course=course, title="はじめに")
    for n in range(1, lessons + 1):
        catalog.lesson_create(module=module, kind="article", title=f"{title} {n}", body=f"本文 {n}")
    catalog.course_publish(course=course, publisher=cast.author)
    course.refresh_from_db()
    return course


def assign(cast: Any, course: Any, *, required: bool = True, due_in_days: int | None = 7, **target: Any) -> Any:
    due_at = timezone.now() + timedelta(days=due_in_days) if due_in_days is not None else None
    return catalog.assignment_create(course=course, assigned_by=cast.admin, required=required, due_at=due_at, **target)


def learn(rep: Any, course: Any, *, lessons: int, seconds: float = 60) -> None:
    """Open the course's first lessons, spend time on each and complete them."""
    for lesson in list(course.latest_version.lessons.order_by("position"))[:lessons]:
        records.lesson_launch(rep=rep, lesson=lesson)
        time_reports.lesson_time_record(rep=rep, lesson=lesson, seconds=seconds)
        records.lesson_complete(rep=rep, lesson=lesson)


def start(rep: Any, course: Any, *, seconds: float = 60) -> None:
    """Open the course's first lesson and read for a while without completing it."""
    lesson = course.latest_version.lessons.order_by("position").first()
    records.lesson_launch(rep=rep, lesson=lesson)
    time_reports.lesson_time_record(rep=rep, lesson=lesson, seconds=seconds)


def add_rep(cast: Any, n: int, *, partner: Any = None, team: Any = None) -> Any:
    return make_person(f"extra{n}@partner-a.example", f"追加 {n:03d}", partner or cast.partner_a, "rep", team)
