"""JSON API of a rep's learning: their assignments, a course's outline and a lesson with their progress,
the statements they send about a lesson, and the xAPI statement feed.

The operation ids are part of the published OpenAPI contract: kept from kizuna.api.endpoints, where these lived.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from kizuna.catalog.schemas import course_out
from kizuna.catalog.selectors import access_course_for_user, access_lesson_for_user, version_outline
from kizuna.ops.api_types import IsoDatetime, Mapped, Page
from kizuna.ops.bounds import Id
from kizuna.orgs.access import Role, has_role
from kizuna.records.selectors import course_progress_for, lesson_progress_for, lesson_statuses, statements_visible_to
from kizuna.records.services import MAX_STATEMENT_BYTES, StatementTooLarge, statement_to_xapi
from kizuna.records.submissions import lesson_statement_submit

from . import schemas
from .selectors import rep_next_up

router = Router()


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


@router.get(
    "/me/assignments",
    response=list[schemas.AssignmentOut],
    tags=["me"],
    summary="The rep's assigned courses",
    operation_id="kizuna_api_endpoints_my_assignments",
)
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


@router.get(
    "/courses/{course_id}",
    response=schemas.CourseDetailOut,
    tags=["courses"],
    summary="One course",
    operation_id="kizuna_api_endpoints_course",
)
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
        **course_out(found),
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
        "stream_url": _url(request, "media:video_stream", video.key) if video.is_ready and video.mp4 else None,
        "poster_url": _url(request, "media:video_poster", video.key) if video.poster else None,
        "duration_seconds": video.duration_seconds,
        "status": video.status,
    }


@router.get(
    "/lessons/{lesson_id}",
    response=schemas.LessonOut,
    tags=["lessons"],
    summary="One lesson",
    operation_id="kizuna_api_endpoints_lesson",
)
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
        # An article's body, or the notes shown with a lesson of another kind; a micro lesson has a video too.
        "body_html": found.body_html or None,
        "video": _video(request, found.video) if found.video_id else None,
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
    operation_id="kizuna_api_endpoints_lesson_statement_create",
)
def lesson_statement_create(request: HttpRequest, lesson_id: Id, statement: schemas.StatementIn) -> dict[str, Any]:
    """Record launched, progressed (reading time, or a video's played segments) or completed, for the caller.

    Actor and object come from the server. Send a new UUID as `id` for each statement and the same one
    when retrying: a repeated id is answered again (`stored`: false) and counted once. A statement kept on a
    phone while offline carries its `timestamp`; one over 16 KB is refused (413).
    """
    if len(request.body) > MAX_STATEMENT_BYTES:
        raise StatementTooLarge(
            _("This statement is too large (at most %(kb)s KB).") % {"kb": MAX_STATEMENT_BYTES // 1024}
        )
    user = request.auth  # type: ignore[attr-defined]
    found = access_lesson_for_user(user, lesson_id)
    outcome = lesson_statement_submit(
        user=user,
        lesson=found,
        statement_id=statement.id,
        verb=statement.verb.id,
        result=statement.result.model_dump() if statement.result else None,
        context=statement.context.model_dump() if statement.context else None,
        timestamp=statement.timestamp,
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


# --- Statements --------------------------------------------------------------------------------


@router.get(
    "/statements",
    response=list[schemas.XapiStatementOut],
    exclude_none=True,
    tags=["statements"],
    summary="xAPI statements",
    operation_id="kizuna_api_endpoints_statements",
)
@paginate(Page)
def statements(request: HttpRequest, since: IsoDatetime | None = None, ascending: bool = False) -> Mapped:
    """Statements the caller may see, newest first (or oldest first with `ascending`), stored after `since`.

    A rep sees their own; a partner manager their agency's reps'; admins and coaches everyone's.
    """
    visible = statements_visible_to(request.auth, since=since, ascending=ascending)  # type: ignore[attr-defined]
    return Mapped(visible, statement_to_xapi)
