"""The JSON shapes of the API. Field names follow GLOSSARY.md's code column."""

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from kizuna.ops.bounds import Id

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_8601_only(value: Any) -> Any:
    # pydantic also reads numbers as Unix times ("0.5"); the API documents, and takes, ISO 8601 only.
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise PydanticCustomError("datetime_parsing", "Input should be a valid datetime")
    return value


def _in_utc(value: datetime) -> datetime:
    # Databases bound a stored offset (PostgreSQL refuses "+23:11"), so compare in UTC; a naive time is UTC.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError("datetime_parsing", "Input should be a valid datetime") from None


IsoDatetime = Annotated[datetime, BeforeValidator(_iso_8601_only), AfterValidator(_in_utc)]


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str = Field(description="principal or partner")


class TeamOut(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    public_id: uuid.UUID = Field(description="The opaque id used as the xAPI actor's account name.")
    name: str
    email: str
    language: str = Field(description="ja, en, or empty for the browser's setting")
    role: str | None = Field(description="admin, author, coach, manager or rep")
    organization: OrganizationOut | None
    team: TeamOut | None


class CourseRef(Schema):
    id: int
    title: str


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
    kind: str
    title: str
    course: CourseRef
    module: CourseRef
    position: int
    estimated_minutes: int
    body_html: str | None = Field(description="for articles: the sanitised HTML body")
    video: VideoOut | None
    progress: LessonProgressOut | None = Field(description="the caller's progress (reps only)")
    statements_url: str


class VerbIn(Schema):
    id: str = Field(description="launched, progressed or completed (adlnet IRIs)")


class ResultIn(Schema):
    duration: str | None = Field(None, description="ISO 8601 active time since the previous report, e.g. PT12S")
    extensions: dict[str, Any] = Field(default_factory=dict, description="xAPI Video Profile extensions")


class ContextIn(Schema):
    extensions: dict[str, Any] = Field(default_factory=dict)


class StatementIn(Schema):
    """An xAPI-shaped statement about one lesson. Actor and object are set by the server and ignored here."""

    id: uuid.UUID = Field(description="made by the client, so that a retried request is counted once")
    verb: VerbIn
    result: ResultIn | None = None
    context: ContextIn | None = None


class StatementCourseOut(Schema):
    percent: int
    completed: bool


class StatementStoredOut(Schema):
    id: uuid.UUID
    stored: bool = Field(description="false when this id was already recorded or there was nothing to record")
    progress: LessonProgressOut
    course: StatementCourseOut


class XapiStatementOut(Schema):
    """An xAPI 1.0.3 statement."""

    id: str
    actor: dict[str, Any]
    verb: dict[str, Any]
    object: dict[str, Any]
    result: dict[str, Any] | None = None
    context: dict[str, Any]
    timestamp: str
    stored: str
    version: str


class RepOut(Schema):
    id: int
    name: str
    email: str
    team: TeamOut | None


class ProgressRowOut(Schema):
    rep: RepOut
    course: CourseRef
    required: bool
    due_at: datetime | None
    overdue: bool
    percent: int
    completed_at: datetime | None
    last_activity_at: datetime | None
    time_spent_minutes: int


class ProgressReportFilters(Schema):
    partner_id: Id | None = Field(None, description="required for admins and coaches; managers see their own")
    team_id: Id | None = None


class ProblemTypeOut(Schema):
    type: str
    title: str
    status: int
    detail: str


class ProblemFieldError(Schema):
    loc: list[str | int] = Field(description="where: body, query or path, then the field (and list index)")
    msg: str


class ProblemOut(Schema):
    """An RFC 7807 problem document (`application/problem+json`)."""

    type: str = Field(description="a URL under /api/v1/problems/ describing this kind of problem")
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemFieldError] | None = Field(None, description="validation problems: each field to fix")
