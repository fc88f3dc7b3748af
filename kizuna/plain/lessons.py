"""The published lesson a rep asks about a word in: what the "I didn't understand this word" route needs of it."""

from dataclasses import dataclass
from typing import Any

from kizuna.catalog.selectors import access_lesson_for_user


@dataclass(frozen=True)
class AskedLesson:
    id: int
    title: str
    course_title: str


def lesson_for_user(user: Any, lesson_id: int) -> AskedLesson:
    """The published lesson the user may open, or Http404 (as every lesson route answers)."""
    lesson = access_lesson_for_user(user, lesson_id)
    return AskedLesson(id=lesson.pk, title=lesson.title, course_title=lesson.version.title)
