"""The JSON shapes of a rep's assignments and progress, lessons as a rep opens them, and statements."""

import uuid
from datetime import datetime
from typing import Any

from ninja import Field, Schema

from kizuna.catalog.schemas import CourseOut, CourseRef, ModuleOut


class CourseProgressOut(Schema):
    percent: int
    completed: bool
    completed_at: datetime | None
    last_activity_at: datetime | None


class AssignmentOut(Schema):
    course: CourseRef
    required: bool
    due_at: datetime | None
    overdue: bool
    progress: CourseProgressOut | None = Field(description="null until the rep starts the course")


class CourseDetailOut(CourseOut):
    modules: list[ModuleOut]
    progress: CourseProgressOut | None = Field(description="the caller's progress (reps only)")


class VideoOut(Schema):
    stream_url: str | None
    poster_url: str | None
    duration_seconds: float | None
    status: str = Field(description="processing, ready or failed")


class LessonProgressOut(Schema):
    position_seconds: float = Field(description="where to resume a video")
    progress: float = Field(description="0..1; for videos, the share actually watched")
    completed: bool


class LessonOut(Schema):
    id: int
    kind: str = Field(description="article, video, micro, quiz, scenario or survey")
    title: str
    course: CourseRef
    module: CourseRef
    position: int
    estimated_minutes: int
    body_html: str | None = Field(
        description="the sanitised HTML body of an article, or the notes shown with a lesson of another kind"
    )
    video: VideoOut | None
    progress: LessonProgressOut | None = Field(description="the caller's progress (reps only)")
    statements_url: str


class VerbIn(Schema):
    id: str = Field(
        description="launched, progressed or completed (adlnet IRIs); for a video the Video Profile's initialized,"
        " played, paused, seeked or terminated (docs/statements.md)"
    )


class ResultIn(Schema):
    duration: str | None = Field(None, description="ISO 8601 active time since the previous report, e.g. PT12S")
    extensions: dict[str, Any] = Field(
        default_factory=dict,
        description="xAPI Video Profile result extensions: time, time-from, time-to, played-segments",
    )


class ContextIn(Schema):
    extensions: dict[str, Any] = Field(
        default_factory=dict, description="xAPI Video Profile context extensions: length, session-id (a UUID)"
    )


class StatementIn(Schema):
    """An xAPI-shaped statement about one lesson. Actor and object are set by the server and ignored here."""

    id: uuid.UUID = Field(description="made by the client, so that a retried request is counted once")
    verb: VerbIn
    result: ResultIn | None = None
    context: ContextIn | None = None
    timestamp: datetime | None = Field(
        None,
        description="when it happened, with a time zone, for a statement sent late (a phone's offline queue): at"
        " most 14 days old and not in the future; left out: now",
    )


class StatementCourseOut(Schema):
    percent: int
    completed: bool


class StatementStoredOut(Schema):
    id: uuid.UUID
    stored: bool = Field(description="false when this id was already recorded or there was nothing to record")
    progress: LessonProgressOut
    course: StatementCourseOut


class XapiStatementOut(Schema):
    """An xAPI 1.0.3 statement (a property it does not have is left out, never null)."""

    id: str
    actor: dict[str, Any]
    verb: dict[str, Any]
    object: dict[str, Any]
    result: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    timestamp: str
    stored: str
    authority: dict[str, Any]
    version: str
