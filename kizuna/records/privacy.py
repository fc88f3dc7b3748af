"""Records' part of a person's data: their statements (as xAPI) and progress; erasing free texts in statements.

Statements are the source of truth and stay when a departed person is erased: their actor is only the
opaque public id (the account's name and e-mail are anonymized by accounts), so progress, points and
agency figures keep adding up. What the person wrote in their own words (``result.response`` of the
activity types other apps name as free text: community posts, field voice, comments…) is removed.
No projection reads those responses, so the projections stay equal to a rebuild.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import Q

from kizuna.accounts.personal_data import Contribution, Erasure, Part, register

from .models import CourseProgress, LearningDay, LessonProgress, Statement
from .services import statement_to_xapi


def _statements(user: Any) -> Iterator[Statement]:
    for st in Statement.objects.filter(actor=user).order_by("seq").iterator(chunk_size=1000):
        st.actor = user  # one person: no query per row
        yield st


def _xapi(user: Any) -> Iterator[dict[str, Any]]:
    for st in _statements(user):
        yield statement_to_xapi(st)


def _summary(user: Any) -> Iterator[dict[str, Any]]:
    for st in _statements(user):
        result = st.result or {}
        name = st.object_name or {}
        yield {
            "timestamp": st.timestamp.isoformat(),
            "verb": st.verb.rsplit("/", 1)[-1],
            "object_type": st.object_type.rsplit("/", 1)[-1],
            "object_name": name.get("ja-JP") or name.get("en-US") or next(iter(name.values()), ""),
            "object_id": st.object_iri,
            "score_scaled": (result.get("score") or {}).get("scaled", ""),
            "success": result.get("success", ""),
            "completion": result.get("completion", ""),
            "duration_seconds": st.duration_seconds if st.duration_seconds is not None else "",
            "statement_id": str(st.id),
        }


def _documents(user: Any) -> Iterable[tuple[str, Iterable[dict[str, Any]]]]:
    return [("statements.xapi.json", _xapi(user)), ("statements_summary.csv", _summary(user))]


def statements_free_text_erase(*, actor: Any, where: Q) -> int:
    """Remove result.response from the actor's statements matching `where`; return how many changed.

    The one sanctioned change to stored statements: erasing a departed person on request (APPI).
    """
    changed = []
    rows = Statement.objects.filter(where, actor=actor, result__isnull=False)
    for st in rows.only("seq", "result").iterator(chunk_size=1000):
        if isinstance(st.result, dict) and "response" in st.result:
            st.result = {k: v for k, v in st.result.items() if k != "response"}
            changed.append(st)
    Statement.objects.bulk_update(changed, ["result"], batch_size=500)
    return len(changed)


register(
    Contribution(
        app="records",
        parts=(
            Part("lesson_progress", LessonProgress, "user", Erasure.KEEP),
            Part("course_progress", CourseProgress, "user", Erasure.KEEP),
            Part("learning_days", LearningDay, "user", Erasure.KEEP),
            # Statements are exported as xAPI (documents); this part only counts them for erasure's preview.
            Part("statements", Statement, "actor", Erasure.SCRUB),
        ),
        documents=_documents,
    )
)


def statements_object_rename(*, object_iris: list[str], name: dict[str, str]) -> int:
    """Give every statement about these activities a new display name (an erased post's title)."""
    if not object_iris:
        return 0
    return Statement.objects.filter(object_iri__in=object_iris).update(object_name=name)


def statements_result_rewrite(*, actor: Any, where: Q, rewrite: Callable[[Statement], dict[str, Any] | None]) -> int:
    """Give the actor's statements matching `where` the result `rewrite` returns (None: unchanged).

    For an app whose projection is rebuilt from a result it owns (a survey's answers), so that what
    erasure removed from the projection cannot come back with a rebuild.
    """
    changed = []
    for st in Statement.objects.filter(where, actor=actor).only("seq", "result", "context").iterator(chunk_size=1000):
        result = rewrite(st)
        if result is not None:
            st.result = result
            changed.append(st)
    Statement.objects.bulk_update(changed, ["result"], batch_size=500)
    return len(changed)
