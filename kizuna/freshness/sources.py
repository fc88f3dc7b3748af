"""The content whose freshness is tracked, read from the apps that own it: lessons, quizzes, scenarios, updates.

Each kind lists its drafts as `Item`s (title, where it sits, its maker, where to edit it); nothing here writes to
another app.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from kizuna.assessments.selectors import quizzes_all
from kizuna.catalog.selectors import draft_lessons_all
from kizuna.scenarios.selectors import scenarios_for_editor
from kizuna.updates.selectors import updates_list_for

from .models import ContentKind


@dataclass(frozen=True)
class Item:
    kind: str
    object_id: int
    title: str
    where: str  # the course of a lesson; empty for the others
    author_id: int | None
    edit_url: str
    published: bool
    lesson_key: uuid.UUID | None = None

    @property
    def kind_label(self) -> str:
        return str(ContentKind(self.kind).label)


def _lessons(viewer: Any) -> list[Item]:
    return [
        Item(
            kind=ContentKind.LESSON,
            object_id=lesson.pk,
            title=lesson.title,
            where=lesson.module.course.title,
            author_id=lesson.module.course.created_by_id,
            edit_url=reverse("catalog:studio_lesson_edit", args=[lesson.pk]),
            published=lesson.module.course.latest_version_id is not None,
            lesson_key=lesson.key,
        )
        for lesson in draft_lessons_all()
    ]


def _quizzes(viewer: Any) -> list[Item]:
    return [
        Item(
            kind=ContentKind.QUIZ,
            object_id=quiz.pk,
            title=quiz.title,
            where="",
            author_id=quiz.created_by_id,
            edit_url=reverse("assessments:studio_quiz", args=[quiz.pk]),
            published=quiz.latest_version_id is not None,
        )
        for quiz in quizzes_all().prefetch_related(None).order_by("title", "pk")
    ]


def _scenarios(viewer: Any) -> list[Item]:
    return [
        Item(
            kind=ContentKind.SCENARIO,
            object_id=scenario.pk,
            title=scenario.title,
            where="",
            author_id=scenario.created_by_id,
            edit_url=reverse("scenarios:studio_scenario", args=[scenario.pk]),
            published=scenario.latest_version_id is not None,
        )
        for scenario in scenarios_for_editor(viewer).prefetch_related(None)
    ]


def _updates(viewer: Any) -> list[Item]:
    return [
        Item(
            kind=ContentKind.FLASH_UPDATE,
            object_id=update.pk,
            title=update.title,
            where="",
            author_id=update.created_by_id,
            edit_url=reverse("updates:update_edit", args=[update.pk]),
            published=update.is_published,
        )
        for update in updates_list_for(viewer)
    ]


SOURCES: dict[str, Callable[[Any], list[Item]]] = {
    ContentKind.LESSON: _lessons,
    ContentKind.QUIZ: _quizzes,
    ContentKind.SCENARIO: _scenarios,
    ContentKind.FLASH_UPDATE: _updates,
}


def items(viewer: Any, *, kind: str = "") -> list[Item]:
    """Return the content of one kind (or of every kind) that this author or admin may review."""
    kinds = [kind] if kind in SOURCES else list(SOURCES)
    return [item for k in kinds for item in SOURCES[k](viewer)]


def item(viewer: Any, *, kind: str, object_id: int) -> Item | None:
    """Return one piece of content, or None when it does not exist (or the kind is unknown)."""
    if kind not in SOURCES:
        return None
    return next((i for i in SOURCES[kind](viewer) if i.object_id == object_id), None)
