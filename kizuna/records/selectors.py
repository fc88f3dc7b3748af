"""Reads of statements and progress: a person's latest statement, their progress in a lesson or a course."""

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet, Subquery, Sum
from django.urls import reverse

from kizuna.orgs.access import Role, can_author, membership_of, visible_reps

from .models import CourseProgress, LearningDay, LessonProgress, Statement, StatementKey
from .partitions import keys_kept, stored_window

# --- Statements --------------------------------------------------------------------------------

if TYPE_CHECKING:
    from kizuna.accounts.models import User


def _with_id(statement_id: uuid.UUID) -> QuerySet[Statement]:
    """The statement with this id; on PostgreSQL also at the `stored` its key holds, so that only its month's
    partition is read (the others are pruned when the query runs, and all of them when the id is unknown)."""
    statements = Statement.objects.filter(id=statement_id)
    if keys_kept():
        statements = statements.filter(stored=Subquery(StatementKey.objects.filter(id=statement_id).values("stored")))
    return statements.order_by()


def statement_by_id(statement_id: uuid.UUID) -> Statement | None:
    """Return the stored statement with this id, or None."""
    return next(iter(_with_id(statement_id)[:1]), None)


def statement_owner_id(statement_id: uuid.UUID) -> int | None:
    """Return who stored the statement with this id, or None if nobody did yet."""
    return next(iter(_with_id(statement_id).values_list("actor_id", flat=True)[:1]), None)


def statement_ids_stored(statement_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Return which of these statement ids are stored already (statement_owner_id for many, in one query).

    On PostgreSQL the key table answers (every id stored, an archived month's too), without reading a partition.
    """
    if keys_kept():
        return set(StatementKey.objects.filter(id__in=list(statement_ids)).values_list("id", flat=True))
    return set(Statement.objects.filter(id__in=list(statement_ids)).values_list("id", flat=True))


def statements_visible_to(user: Any, *, since: datetime | None = None, ascending: bool = False) -> QuerySet[Statement]:
    """Return the statements the user may read: their own; their reps' for a manager; all for admins and coaches."""
    m = membership_of(user)
    statements = Statement.objects.select_related("actor")
    if m is None:
        return statements.none()
    if m.role == Role.MANAGER:
        # Only what the reps did while at this agency, even if one of them moved here from another.
        statements = statements.filter(Q(actor=user) | Q(actor__in=visible_reps(user), partner_id=m.organization_id))
    elif m.role not in (Role.ADMIN, Role.COACH):
        statements = statements.filter(actor=user)
    if since is not None:
        statements = statements.filter(stored_window(since), stored__gt=since)
    return statements.order_by("seq" if ascending else "-seq")


def latest_statement_id(
    *, actor: "User", verb: str, object_iri: str, stored_since: datetime | None = None
) -> uuid.UUID | None:
    """Return the id of this person's latest statement with this verb on this activity, if any.

    ``stored_since``: the caller knows it was stored after about then (the months before are not read).
    """
    return (
        Statement.objects.filter(stored_window(stored_since), actor=actor, verb=verb, object_iri=object_iri)
        .order_by("-seq")
        .values_list("id", flat=True)
        .first()
    )


def _url_pattern(name: str) -> str:
    return reverse(name, args=[987654321])


def url_with_id(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for the one-id routes of hot lists, without resolving the pattern each time."""
    return _url_pattern(name).replace("987654321", str(pk))


def lesson_progress_for(*, user: Any, lesson: Any) -> LessonProgress | None:
    return LessonProgress.objects.filter(user=user, lesson=lesson).first()


def lesson_progress_in_course(*, user: Any, course_id: int) -> dict[int, LessonProgress]:
    """{lesson id: the person's progress} in every lesson (of any version) of a course they started (one query)."""
    return {lp.lesson_id: lp for lp in LessonProgress.objects.filter(user=user, course_id=course_id)}


def lesson_statuses(*, user: Any, lessons: list[Any]) -> dict[int, LessonProgress]:
    return {lp.lesson_id: lp for lp in LessonProgress.objects.filter(user=user, lesson__in=lessons)}


def course_progress_for(*, user: "User", course_id: int) -> CourseProgress | None:
    return CourseProgress.objects.filter(user=user, course_id=course_id).select_related("version").first()


# --- Progress for the dashboards and reports of the apps above (analytics, agreements) ---------------------
# Each is one query; rows are plain tuples, so that a dashboard of thousands of reps builds no model instances.

ProgressRow = tuple[int, int, datetime | None, datetime, int, int, float]


def course_progress_rows(*, users: Any) -> Iterable[ProgressRow]:
    """Return (user id, course id, completed at, last activity at, lessons completed, lessons total, seconds
    spent) for every course these users (ids or a queryset) started."""
    return (
        CourseProgress.objects.filter(user_id__in=users)
        .order_by()
        .values_list(
            "user_id",
            "course_id",
            "completed_at",
            "last_activity_at",
            "lessons_completed",
            "lessons_total",
            "time_spent_seconds",
        )
    )


def rep_course_progress_rows(*, rep: Any) -> Iterable[tuple[Any, ...]]:
    """Return (course id, version id, version title, completed at, last activity at, lessons completed, lessons
    total, seconds spent) for every course the rep started."""
    return (
        CourseProgress.objects.filter(user=rep)
        .order_by()
        .values_list(
            "course_id",
            "version_id",
            "version__title",
            "completed_at",
            "last_activity_at",
            "lessons_completed",
            "lessons_total",
            "time_spent_seconds",
        )
    )


def rep_lesson_progress_rows(*, rep: Any, course_ids: Iterable[int]) -> Iterable[tuple[Any, ...]]:
    """Return (lesson id, completed at, last activity at, seconds spent, progress 0–1) for the rep's lessons
    in these courses."""
    return LessonProgress.objects.filter(user=rep, course_id__in=course_ids).values_list(
        "lesson_id", "completed_at", "last_activity_at", "time_spent_seconds", "progress"
    )


def last_activity_per_partner(*, users: Any) -> dict[int, datetime]:
    """Return {partner id: the latest activity of these users (a queryset) in any course}."""
    rows = (
        CourseProgress.objects.filter(user_id__in=users)
        .order_by()
        .values("user__membership__organization_id")
        .annotate(last=Max("last_activity_at"))
    )
    return {row["user__membership__organization_id"]: row["last"] for row in rows}


def learning_activity_per_partner(
    *, partner_ids: Iterable[int], users: Any, since: date, active_since: date, until: date
) -> dict[int, tuple[int, float]]:
    """Return {partner id: (how many of these users learned on a day after active_since, their learning seconds
    on the days after since)}, up to until — from the per-day projection, so the cost follows reps × days."""
    rows = (
        LearningDay.objects.filter(partner_id__in=partner_ids, user_id__in=users, day__gt=since, day__lte=until)
        .order_by()
        .values("partner_id")
        .annotate(
            active=Count("user_id", distinct=True, filter=Q(day__gt=active_since)),
            seconds=Sum("seconds"),
        )
    )
    return {row["partner_id"]: (row["active"], row["seconds"] or 0.0) for row in rows}


def learning_days_per_user(*, partner_ids: Iterable[int], since: date, until: date, at_least: int) -> dict[int, int]:
    """Return {user id: days with learning from since to until} of the people of these partners who learned on
    at least that many of them."""
    return dict(
        LearningDay.objects.filter(partner_id__in=partner_ids, day__gte=since, day__lte=until)
        .order_by()
        .values("user_id")
        .annotate(n=Count("day"))
        .filter(n__gte=at_least)
        .values_list("user_id", "n")
    )


def learning_day_rows(*, users: Iterable[int], since: date, until: date) -> Iterable[tuple[int, date]]:
    """Return (user id, day) of each day from since to until on which these users learned."""
    return LearningDay.objects.filter(user_id__in=users, day__gte=since, day__lte=until).values_list("user_id", "day")


def courses_finished(
    *,
    course_ids: Iterable[int] | None = None,
    by: datetime | None = None,
    users: Any = None,
    partner_ids: Iterable[int] | None = None,
) -> set[tuple[int, int]]:
    """Return the (user id, course id) pairs of the courses finished (by that time, if given), of these courses
    (if given), of these users (ids or a queryset) and/or of the people of these partners."""
    progress = CourseProgress.objects.all()
    if users is not None:
        progress = progress.filter(user__in=users)
    if course_ids is not None:
        progress = progress.filter(course_id__in=list(course_ids))
    progress = progress.filter(completed_at__lte=by) if by is not None else progress.filter(completed_at__isnull=False)
    if partner_ids is not None:
        progress = progress.filter(user__membership__organization_id__in=list(partner_ids))
    return set(progress.order_by().values_list("user_id", "course_id"))


def course_progress_times(
    *, course_id: int, users: Iterable[int] | QuerySet[Any]
) -> dict[int, tuple[datetime, datetime | None]]:
    """Return {user id: (started at, completed at or None)} for these users' progress in one course.

    `users` may be a queryset of user ids (one column), used as a subquery: 10,000s of ids as parameters cost more
    to send than the rows they select."""
    chosen = users if isinstance(users, QuerySet) else list(users)
    return {
        user_id: (started, completed)
        for user_id, started, completed in CourseProgress.objects.filter(course_id=course_id, user_id__in=chosen)
        .order_by()
        .values_list("user_id", "started_at", "completed_at")
    }


def courses_finished_per_partner(*, course_ids: Iterable[int], by: datetime, users: Any) -> dict[tuple[int, int], int]:
    """Return {(partner id, course id): how many of these users (a queryset) finished it by that time}."""
    return {
        (partner_id, course_id): n
        for partner_id, course_id, n in CourseProgress.objects.filter(
            user__in=users, course_id__in=list(course_ids), completed_at__lte=by
        )
        .order_by()
        .values_list("user__membership__organization_id", "course_id")
        .annotate(n=Count("pk"))
        .values_list("user__membership__organization_id", "course_id", "n")
    }


def statements_after(*, seq: int, limit: int, stored_since: datetime | None = None) -> list[Statement]:
    """Up to ``limit`` statements stored after position ``seq``, in stored order (for copying them elsewhere).

    ``stored_since``: every statement stored before about then is known to be copied already, so the months
    before it are not read (without it, every month's partition is).
    """
    statements = Statement.objects.filter(stored_window(stored_since), seq__gt=seq)
    return list(statements.select_related("actor").order_by("seq")[:limit])


def lesson_completion_by_key(*, keys: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[int, int]]:
    """Return {lesson key: (reps who started it, reps who completed it)} over every published version of each."""
    rows = (
        LessonProgress.objects.filter(lesson__key__in=list(keys))
        .values("lesson__key")
        .annotate(started=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False)))
        .order_by()
    )
    return {row["lesson__key"]: (row["started"], row["completed"]) for row in rows}


def answers_per_activity(*, viewer: Any, lesson_id: int, verb: str) -> list[dict[str, Any]]:
    """Per activity answered in a lesson (a package's interactions): its IRI, the answers, the correct ones and the
    reps, over the statements the viewer may read; a principal author sees every agency's, as these aggregates."""
    statements = Statement.objects.all() if can_author(viewer) else statements_visible_to(viewer)
    rows = (
        statements.filter(lesson_id=lesson_id, verb=verb)
        .values("object_iri")
        .annotate(
            answers=Count("seq"),
            correct=Count("seq", filter=Q(result__success=True)),
            reps=Count("actor", distinct=True),
            last=Max("seq"),
        )
        .order_by("object_iri")
    )
    found = list(rows)
    latest = Statement.objects.filter(seq__in=[r["last"] for r in found])
    about = {
        iri: (name, definition)
        for iri, name, definition in latest.values_list("object_iri", "object_name", "object_definition")
    }
    return [{**r, "name": about[r["object_iri"]][0], "definition": about[r["object_iri"]][1]} for r in found]
