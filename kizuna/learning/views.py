"""The rep's side: where their day starts, next up, a course, a lesson, their progress."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.assessments.selectors import home_review
from kizuna.catalog.kinds import content_kind
from kizuna.catalog.selectors import (
    access_course_for_user,
    access_lesson_for_user,
    access_lesson_page_for_user,
    course_library,
    lesson_following,
    version_outline,
)
from kizuna.feedback.selectors import lesson_feedback_in_course
from kizuna.freshness.selectors import lesson_confirmed_at
from kizuna.ops.repcache import kept, kept_shared, rep_page
from kizuna.orgs.access import Role, membership_of, role_required
from kizuna.orgs.menu import start_page_for
from kizuna.records import selectors as records_selectors
from kizuna.records import services, vocab
from kizuna.updates.selectors import updates_for_home

from . import selectors


@login_required
@rep_page()
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where their day starts; reps get their next-up list."""
    m = membership_of(request.user)
    if m is None:
        return render(request, "learning/no_membership.html", status=403)
    if m.role != Role.REP:
        return redirect(start_page_for(m.role))
    rep = request.user
    # Kept until a statement of theirs or shared content changes, or a due date passes (ops.repcache).
    context = kept(
        rep,
        {
            "next_up": lambda: selectors.rep_next_up(rep=rep),
            "flash_updates": lambda: updates_for_home(rep),
            "home_review": lambda: home_review(rep),
        },
        turns=_home_turns,
        along=("strip",),
    )
    return render(request, "learning/home.html", context)


def _home_turns(values: dict) -> datetime | None:
    """The next moment the home changes by the clock: a course's or an update's due date passing."""
    now = timezone.now()
    next_up, updates = values["next_up"], values["flash_updates"]
    dates = [card.due_at for card in next_up.urgent if card.due_at] + [
        item.ack_due_at for item in updates.items if item.ack_due_at
    ]
    return min((d for d in dates if d > now), default=None)


@login_required
def my_progress(request: HttpRequest) -> HttpResponse:
    cards = selectors.rep_course_cards(rep=request.user)
    total_minutes = round(sum(c.progress.time_spent_seconds for c in cards if c.progress) / 60)
    done = sum(1 for c in cards if c.completed)
    required = [c for c in cards if c.required]
    return render(
        request,
        "learning/progress.html",
        {
            "cards": sorted(cards, key=lambda c: (c.completed, not c.required, c.title)),
            "total_minutes": total_minutes,
            "done": done,
            "required_done": sum(1 for c in required if c.completed),
            "required_total": len(required),
        },
    )


@role_required(Role.REP)
def library(request: HttpRequest) -> HttpResponse:
    """Every published course the rep may open, to browse by story tag and product."""
    found = course_library(
        request.user, tag_slug=request.GET.get("tag", "")[:60], product_slug=request.GET.get("product", "")[:60]
    )
    progress = {
        course_id: (completed_at, done, total)
        for course_id, _v, _t, completed_at, _l, done, total, _s in records_selectors.rep_course_progress_rows(
            rep=request.user
        )
    }
    return render(
        request,
        "learning/library.html",
        {"library": found, "cards": [(c, progress.get(c.course_id)) for c in found.courses]},
    )


def _outline(user: Any, version: Any) -> list[tuple[Any, list[Any]]]:
    """A published version's modules and lessons: they never change, so each process keeps them."""
    return kept_shared(user, f"outline:{version.pk}", lambda: version_outline(version))


@login_required
@rep_page()
def course(request: HttpRequest, course_id: int) -> HttpResponse:
    user = request.user
    course_obj = access_course_for_user(user, course_id, along=(f"course:{course_id}",))

    def progress() -> tuple[Any, dict[int, Any]]:
        cp = records_selectors.course_progress_for(user=user, course_id=course_obj.pk)
        version = cp.version if cp else course_obj.latest_version
        lessons = [lesson for _m, ls in _outline(user, version) for lesson in ls]
        return cp, records_selectors.lesson_statuses(user=user, lessons=lessons)

    # The rep's progress in the course is kept until a statement of theirs arrives (ops.repcache).
    cp, statuses = kept(user, {f"course:{course_id}": progress})[f"course:{course_id}"]
    # Reps stay on the version they started; everyone else sees the latest.
    version = cp.version if cp else course_obj.latest_version
    outline = _outline(user, version)
    lessons = [lesson for _m, ls in outline for lesson in ls]
    next_lesson = next(
        (lesson for lesson in lessons if not getattr(statuses.get(lesson.pk), "completed_at", None)), None
    )
    return render(
        request,
        "learning/course.html",
        {
            "course": course_obj,
            "version": version,
            "tags": kept_shared(user, f"version_tags:{version.pk}", lambda: list(version.tags.all())),
            "outline": [(module, [(lesson, statuses.get(lesson.pk)) for lesson in ls]) for module, ls in outline],
            "progress": cp,
            "next_lesson": next_lesson or (lessons[0] if lessons else None),
            "newer_version": cp is not None and course_obj.latest_version_id != version.pk,
        },
    )


@login_required
@rep_page()
def lesson(request: HttpRequest, lesson_id: int) -> HttpResponse:
    user = request.user
    m = membership_of(user)
    is_rep = m is not None and m.is_rep

    def mine(lesson: Any) -> dict[str, Any]:
        """The rep's progress and feedback in the whole course: kept per course with their visible courses, so
        the course's next lesson reads them as they are (one cache read, no query)."""
        course_id = lesson.version.course_id
        parts: dict[str, Any] = {
            f"progress:{course_id}": lambda: records_selectors.lesson_progress_in_course(user=user, course_id=course_id)
        }
        if is_rep:
            parts[f"feedback:{course_id}"] = lambda: lesson_feedback_in_course(rep=user, course_id=course_id)
        return parts

    lesson_obj, values = access_lesson_page_for_user(user, lesson_id, mine)
    version = lesson_obj.version
    course_id = version.course_id
    lp = values[f"progress:{course_id}"].get(lesson_obj.pk)
    # Same for every rep: the published lesson's siblings and when it was last confirmed current, kept in the process
    # until content changes (an author's confirmation renews the shared token).
    siblings, confirmed_at = kept_shared(user, f"lesson_page:{lesson_obj.pk}", lambda: _lesson_shared(user, lesson_obj))
    index = next(i for i, s in enumerate(siblings) if s.pk == lesson_obj.pk)
    content_template, content_context = None, {}
    owner = content_kind(lesson_obj.kind)
    if owner is not None:
        content_template, content_context = owner.learner(request, lesson_obj, lp)
    return render(
        request,
        "learning/lesson.html",
        {
            **content_context,
            "content_template": content_template,
            "lesson": lesson_obj,
            "version": version,
            "course": version.course,
            "progress": lp,
            **({"lesson_feedback": values[f"feedback:{course_id}"].get(lesson_obj.pk)} if is_rep else {}),
            "confirmed_at": confirmed_at,
            "position": index + 1,
            "count": len(siblings),
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
            "records_learning": is_rep,
            "completion_threshold": int(vocab.VIDEO_COMPLETION_THRESHOLD * 100),
        },
    )


def _lesson_shared(user: Any, lesson: Any) -> tuple[list[Any], datetime]:
    """A published lesson's siblings (for "lesson 2 of 5" and the previous and next links, kept per version) and its
    "last confirmed current" date: the same for every rep (a query each, then kept in the process)."""
    version = lesson.version
    siblings = kept_shared(
        user, f"siblings:{version.pk}", lambda: list(version.lessons.only("id", "version_id", "position", "title"))
    )
    return siblings, lesson_confirmed_at(lesson_key=lesson.key, published_at=version.published_at)


@login_required
@require_POST
def lesson_complete(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """Mark an article lesson read (the no-JS path; the player uses the API)."""
    lesson_obj = access_lesson_for_user(request.user, lesson_id)
    m = membership_of(request.user)
    if m is None or not m.is_rep:
        raise Http404
    try:
        services.lesson_complete(rep=request.user, lesson=lesson_obj)
    except services.StatementError as exc:
        messages.error(request, str(exc))
        return redirect("learning:lesson", lesson_id=lesson_obj.pk)
    following = lesson_following(lesson_obj)
    cp = records_selectors.course_progress_for(user=request.user, course_id=lesson_obj.version.course_id)
    if cp and cp.completed_at:
        messages.success(request, _("Course finished. Well done!"))
        return redirect("learning:course", course_id=lesson_obj.version.course_id)
    messages.success(request, _("Lesson complete."))
    if following:
        return redirect("learning:lesson", lesson_id=following.pk)
    return redirect("learning:course", course_id=lesson_obj.version.course_id)
