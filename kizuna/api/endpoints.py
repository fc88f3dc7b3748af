"""The endpoints of /api/v1: thin — parse, check access, call one selector or service, shape the answer."""

from collections.abc import Callable, Sequence
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from kizuna.analytics.selectors import ProgressStatus, partner_progress_rows
from kizuna.catalog.selectors import access_course_for_user, access_lesson_for_user, courses_visible_to, version_outline
from kizuna.learning.selectors import rep_next_up
from kizuna.ops.bounds import MAX_OFFSET, MAX_PAGE_SIZE, Id
from kizuna.orgs.access import access_partner_for_user, access_team_for_user, has_role, membership_of
from kizuna.orgs.models import Membership
from kizuna.records.selectors import course_progress_for, lesson_progress_for, lesson_statuses
from kizuna.records.services import statement_to_xapi

from . import schemas
from .problems import PROBLEM_TYPES, problem_type_iri
from .selectors import statements_visible_to
from .services import lesson_statement_submit

Role = Membership.Role
MAX_PAGE = MAX_PAGE_SIZE

router = Router()


class Page(LimitOffsetPagination):
    """limit/offset pagination: {"items": [...], "count": total}; at most 200 items a page.

    Both numbers are bounded, so an offset past what the database can hold is a 422, never a 500.
    """

    class Input(Schema):
        limit: int = Field(min(ninja_settings.PAGINATION_PER_PAGE, MAX_PAGE), ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


class Mapped(Sequence):
    """A queryset paginated as usual whose items on the page are converted after they are fetched."""

    def __init__(self, queryset: Any, convert: Callable[[Any], Any]) -> None:
        self.queryset, self.convert = queryset, convert

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.convert(item) for item in self.queryset[index]]
        return self.convert(self.queryset[index])


def _is_rep(user: Any) -> bool:
    return has_role(user, Role.REP)


def _course_progress(cp: Any) -> dict[str, Any] | None:
    if cp is None:
        return None
    return {
        "percent": cp.percent,
        "completed": cp.completed_at is not None,
        "completed_at": cp.completed_at,
        "last_activity_at": cp.last_activity_at,
    }


def _url(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


# --- Me ----------------------------------------------------------------------------------------


@router.get("/me", response=schemas.MeOut, tags=["me"], summary="The caller")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    m = membership_of(user)
    return {
        "id": user.pk,
        "public_id": user.public_id,
        "name": user.name,
        "email": user.email,
        "language": user.language,
        "role": m.role if m else None,
        "organization": (
            {"id": m.organization.pk, "name": m.organization.name, "kind": m.organization.kind} if m else None
        ),
        "team": {"id": m.team.pk, "name": m.team.name} if m and m.team else None,
    }


@router.get("/me/assignments", response=list[schemas.AssignmentOut], tags=["me"], summary="The rep's assigned courses")
@paginate(Page)
def my_assignments(request: HttpRequest) -> list[dict[str, Any]]:
    """Overdue and required first, then courses in progress, optional ones, and finished ones."""
    return [
        {
            "course": {"id": card.course_id, "title": card.title},
            "required": card.required,
            "due_at": card.due_at,
            "overdue": card.overdue,
            "progress": {
                "percent": card.percent,
                "completed": card.completed,
                "completed_at": card.progress.completed_at if card.progress else None,
                "last_activity_at": card.progress.last_activity_at if card.progress else None,
            },
        }
        for card in rep_next_up(rep=request.auth).all  # type: ignore[attr-defined]
    ]


# --- Courses and lessons -----------------------------------------------------------------------


def _course(course: Any) -> dict[str, Any]:
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


@router.get("/courses", response=list[schemas.CourseOut], tags=["courses"], summary="Courses the caller may open")
@paginate(Page)
def courses(request: HttpRequest) -> Mapped:
    visible = courses_visible_to(request.auth).select_related("latest_version").order_by("title", "pk")  # type: ignore[attr-defined]
    return Mapped(visible, _course)


@router.get("/courses/{course_id}", response=schemas.CourseDetailOut, tags=["courses"], summary="One course")
def course(request: HttpRequest, course_id: Id) -> dict[str, Any]:
    """The latest published version's modules and lessons, and for reps their progress."""
    user = request.auth  # type: ignore[attr-defined]
    found = access_course_for_user(user, course_id)
    outline = version_outline(found.latest_version)
    done: set[int] | None = None
    cp = None
    if _is_rep(user):
        lessons = [lesson for _module, module_lessons in outline for lesson in module_lessons]
        statuses = lesson_statuses(user=user, lessons=lessons)
        done = {pk for pk, lp in statuses.items() if lp.completed_at}
        cp = course_progress_for(user=user, course_id=found.pk)
    return {
        **_course(found),
        "modules": [
            {
                "id": module.pk,
                "title": module.title,
                "position": module.position,
                "lessons": [
                    {
                        "id": lesson.pk,
                        "kind": lesson.kind,
                        "title": lesson.title,
                        "position": lesson.position,
                        "estimated_minutes": lesson.estimated_minutes,
                        "completed": None if done is None else lesson.pk in done,
                    }
                    for lesson in module_lessons
                ],
            }
            for module, module_lessons in outline
        ],
        "progress": _course_progress(cp),
    }


def _lesson_progress(lp: Any) -> dict[str, Any]:
    return {
        "position_seconds": lp.position_seconds if lp else 0.0,
        "progress": lp.progress if lp else 0.0,
        "completed": bool(lp and lp.completed_at),
    }


def _video(request: HttpRequest, video: Any) -> dict[str, Any] | None:
    if video is None:
        return None
    return {
        "stream_url": _url(request, "video_stream", video.key) if video.is_ready and video.mp4 else None,
        "poster_url": _url(request, "video_poster", video.key) if video.poster else None,
        "duration_seconds": video.duration_seconds,
        "status": video.status,
    }


@router.get("/lessons/{lesson_id}", response=schemas.LessonOut, tags=["lessons"], summary="One lesson")
def lesson(request: HttpRequest, lesson_id: Id) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    found = access_lesson_for_user(user, lesson_id)
    version = found.version
    return {
        "id": found.pk,
        "kind": found.kind,
        "title": found.title,
        "course": {"id": version.course_id, "title": version.title},
        "module": {"id": found.module.pk, "title": found.module.title},
        "position": found.position,
        "estimated_minutes": found.estimated_minutes,
        "body_html": found.body_html if found.kind == "article" else None,
        "video": _video(request, found.video) if found.kind == "video" else None,
        "progress": _lesson_progress(lesson_progress_for(user=user, lesson=found)) if _is_rep(user) else None,
        "statements_url": request.build_absolute_uri(
            reverse("api:lesson_statement_create", kwargs={"lesson_id": found.pk})
        ),
    }


@router.post(
    "/lessons/{lesson_id}/statements",
    response=schemas.StatementStoredOut,
    tags=["lessons"],
    url_name="lesson_statement_create",
    summary="Record a statement about a lesson",
)
def lesson_statement_create(request: HttpRequest, lesson_id: Id, statement: schemas.StatementIn) -> dict[str, Any]:
    """Record launched, progressed (reading time, or a video's played segments) or completed, for the caller.

    Actor and object come from the server. Send a new UUID as `id` for each statement and the same one
    when retrying: a repeated id is answered again (`stored`: false) and counted once.
    """
    user = request.auth  # type: ignore[attr-defined]
    found = access_lesson_for_user(user, lesson_id)
    outcome = lesson_statement_submit(
        user=user,
        lesson=found,
        statement_id=statement.id,
        verb=statement.verb.id,
        result=statement.result.model_dump() if statement.result else None,
        context=statement.context.model_dump() if statement.context else None,
    )
    return {
        "id": outcome.id,
        "stored": outcome.stored,
        "progress": {
            "progress": outcome.progress,
            "completed": outcome.completed,
            "position_seconds": outcome.position_seconds,
        },
        "course": {"percent": outcome.course_percent, "completed": outcome.course_completed},
    }


# --- Statements and reports --------------------------------------------------------------------


@router.get("/statements", response=list[schemas.XapiStatementOut], tags=["statements"], summary="xAPI statements")
@paginate(Page)
def statements(request: HttpRequest, since: schemas.IsoDatetime | None = None, ascending: bool = False) -> Mapped:
    """Statements the caller may see, newest first (or oldest first with `ascending`), stored after `since`.

    A rep sees their own; a partner manager their agency's reps'; admins and coaches everyone's.
    """
    visible = statements_visible_to(request.auth, since=since, ascending=ascending)  # type: ignore[attr-defined]
    return Mapped(visible, statement_to_xapi)


@router.get("/reports/progress", response=list[schemas.ProgressRowOut], tags=["reports"], summary="Progress of reps")
@paginate(Page)
def progress_report(request: HttpRequest, filters: Query[schemas.ProgressReportFilters]) -> list[dict[str, Any]]:
    """One row per rep and assigned course, by rep name then course title.

    A partner manager sees their own agency (`partner_id` may be left out); admins and coaches choose
    the agency with `partner_id`. `team_id` narrows the rows to one team.
    """
    user = request.auth  # type: ignore[attr-defined]
    m = membership_of(user)
    if m is None or m.role not in (Role.ADMIN, Role.COACH, Role.MANAGER):
        raise Http404
    if filters.partner_id is not None:
        partner = access_partner_for_user(user, filters.partner_id)
    elif m.role == Role.MANAGER:
        partner = m.organization
    else:
        raise ValidationError([{"type": "missing", "loc": ("query", "partner_id"), "msg": "Field required"}])
    team = access_team_for_user(user, filters.team_id) if filters.team_id is not None else None
    if team is not None and team.organization_id != partner.pk:
        raise Http404
    return [
        {
            "rep": {
                "id": row.rep_id,
                "name": row.rep_name,
                "email": row.rep_email,
                "team": {"id": row.team_id, "name": row.team_name} if row.team_id else None,
            },
            "course": {"id": row.course_id, "title": row.course_title},
            "required": row.required,
            "due_at": row.due_at,
            "overdue": row.status == ProgressStatus.OVERDUE,
            "percent": row.percent,
            "completed_at": row.completed_at,
            "last_activity_at": row.last_activity_at,
            "time_spent_minutes": row.time_spent_minutes,
        }
        for row in partner_progress_rows(partner=partner, team=team)
    ]


# --- Problem types -----------------------------------------------------------------------------


@router.get("/problems/{slug}", response=schemas.ProblemTypeOut, auth=None, tags=["problems"], summary="A problem type")
def problem_type(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Describe one of the `type` URLs that error responses carry."""
    kind = PROBLEM_TYPES.get(slug)
    if kind is None:
        raise Http404
    return {"type": problem_type_iri(slug), "title": str(kind.title), "status": kind.status, "detail": str(kind.detail)}
