"""The JSON shapes of courses, shared by the catalog's endpoints and those that show a rep's progress in them."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class CourseRef(Schema):
    id: int
    title: str


class LessonSummaryOut(Schema):
    id: int
    kind: str
    title: str
    position: int
    estimated_minutes: int
    completed: bool | None = Field(None, description="for reps: whether they completed it")


class ModuleOut(Schema):
    id: int
    title: str
    position: int
    lessons: list[LessonSummaryOut]


class CourseOut(Schema):
    id: int
    title: str
    summary: str
    version: int = Field(description="number of the latest published version")
    published_at: datetime
    lesson_count: int
    estimated_minutes: int


def course_out(course: Any) -> dict[str, Any]:
    """Return a course's CourseOut fields, from its latest published version."""
    version = course.latest_version
    return {
        "id": course.pk,
        "title": version.title,
        "summary": version.summary,
        "version": version.number,
        "published_at": version.published_at,
        "lesson_count": version.lesson_count,
        "estimated_minutes": version.estimated_minutes,
    }
