"""The scenario player: start, choose, read the coach's commentary, and compare with the top rep at the end.

Thin views over services and selectors. A person plays only versions they may
open (selectors.access_version_for_user) and only their own attempts; anything
else is a 404. A version's pictures and videos are served to exactly the people
who may play it.
"""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kizuna.media.models import Video
from kizuna.media.selectors import ready_video_by_key
from kizuna.media.serving import stored_file_response
from kizuna.ops.errors import message_user
from kizuna.records.services import StatementError, late_event_at

from . import player, selectors, services
from .errors import ScenarioError
from .exchange import IMAGE_DIR
from .images import image_content_type
from .models import ScenarioVersion
from .scoring import Graph


def _lesson_id(raw: Any) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        raise Http404 from None


def _moment_count(graph: Graph) -> int:
    return sum(1 for n in graph.nodes.values() if n.get("kind") == "moment")


@login_required
@require_http_methods(["GET", "POST"])
def scenario_play(request: HttpRequest, version_id: int) -> HttpResponse:
    """The start card of a version with the person's attempts (GET), and starting a new attempt (POST)."""
    lesson_id = _lesson_id(request.POST.get("lesson") or request.GET.get("lesson"))
    version, lesson = selectors.access_version_for_user(request.user, version_id, lesson_id=lesson_id)
    if request.method == "POST":
        try:
            statement_id = uuid.UUID(request.POST.get("statement_id", ""))
        except ValueError:
            statement_id = None
        try:
            registration = services.attempt_start(
                rep=request.user, version=version, lesson=lesson, statement_id=statement_id
            )
        except ScenarioError as exc:
            message_user(request, exc)
            return redirect(request.get_full_path())
        attempt = selectors.my_attempts(request.user).get(registration=registration)
        return redirect("scenarios:scenario_attempt", attempt_id=attempt.pk)
    return render(
        request,
        "scenarios/play.html",
        {
            "version": version,
            "lesson": lesson,
            "data": version.graph,
            "moments": _moment_count(Graph(version.graph)),
            "attempts": selectors.my_attempts(request.user, version=version)[:20],
            "statement_id": uuid.uuid4(),
            "can_edit": selectors.can_edit_scenarios(request.user),
        },
    )


def _step_index(raw: str | None, path: list[Any]) -> int | None:
    if raw is not None and raw.isdigit() and int(raw) < len(path):
        return int(raw)
    return None


@login_required
def scenario_attempt(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """One screen at a time: the coach's commentary on a step (``?after=<step>``), the current moment, or the end."""
    attempt = selectors.access_own_attempt(request.user, attempt_id)
    version = attempt.version
    graph = Graph(version.graph)
    context: dict[str, Any] = {
        "attempt": attempt,
        "version": version,
        "lesson_id": attempt.lesson_id,
        "media_query": f"?lesson={attempt.lesson_id}" if attempt.lesson_id else "",
    }
    after = _step_index(request.GET.get("after"), attempt.path)
    if after is not None:
        node_key, choice_key = attempt.path[after]
        choice = graph.choices[node_key][choice_key]
        context["last"] = {
            "node": graph.node(node_key),
            "choice": choice,
            "reference": graph.reference_choice(node_key),
            "finished": graph.is_end(choice["next"]),
        }
        context["progress"] = player.progress(graph, done=after + 1, at=choice["next"])
    elif attempt.is_finished:
        comparison = selectors.attempt_comparison(attempt)
        context["comparison"] = comparison
        context["paths"] = player.comparison_rows(graph, comparison)
        context["statement_id"] = uuid.uuid4()
        context["can_mark_reference"] = attempt.lesson_id is None and selectors.can_edit_scenarios(request.user)
    else:
        context["node"] = graph.node(attempt.current_node)
        context["question_result"] = selectors.question_result_for(attempt, attempt.current_node)
        context["statement_id"] = uuid.uuid4()
        context["progress"] = player.progress(graph, done=len(attempt.path), at=attempt.current_node)
    return render(request, "scenarios/attempt.html", context)


@login_required
@require_POST
def scenario_choose(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = selectors.access_own_attempt(request.user, attempt_id)
    try:
        statement_id = uuid.UUID(request.POST.get("statement_id", ""))
    except ValueError:
        statement_id = uuid.uuid4()
    try:
        step = services.choice_make(
            rep=request.user,
            registration=attempt.registration,
            node_key=request.POST.get("node", ""),
            choice=request.POST.get("choice", ""),
            statement_id=statement_id,
        )
    except ScenarioError as exc:
        message_user(request, exc)
        return redirect("scenarios:scenario_attempt", attempt_id=attempt.pk)
    index = step.attempt.step_ids.index(str(statement_id))
    return redirect(reverse("scenarios:scenario_attempt", args=[attempt.pk]) + f"?after={index}")


# --- Played on a phone without a connection (saved with its lesson: pwa) -----------------------


@login_required
@require_http_methods(["GET"])
def scenario_offline(request: HttpRequest, version_id: int) -> JsonResponse:
    """What a phone keeps to play a scenario lesson without a connection (``player.phone_graph``): teaching
    content, never the scores or the top rep's marks (the play is scored on the server when it is sent)."""
    lesson_id = _lesson_id(request.GET.get("lesson"))
    version, _lesson = selectors.access_version_for_user(request.user, version_id, lesson_id=lesson_id)
    data, _size = selectors.version_offline(version, lesson_id=lesson_id)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _uuid_or_none(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw or "")[:64])
    except ValueError:
        return None


def _offline_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"recorded": False, "error": message}, status=status)


@login_required
@require_POST
def scenario_offline_step(request: HttpRequest, version_id: int) -> JsonResponse:
    """A start or a choice of a scenario played on a phone without a connection, sent later by its outbox.

    POST ``lesson`` (as the player's pages: reps play through a lesson), ``start`` (the start statement's id, made on the phone) and ``started_at``; for a
    choice also ``node``, ``choice``, ``statement_id`` and ``at`` (when it was chosen). Each is recorded once,
    at the moment it happened (``services.offline_step_record``). Answers JSON; at an end, the result
    (outcome, score, top-rep alignment) in ``message``, in the rep's language.
    """
    lesson_id = _lesson_id(request.POST.get("lesson"))
    version, lesson = selectors.access_version_for_user(request.user, version_id, lesson_id=lesson_id)
    start_id = _uuid_or_none(request.POST.get("start"))
    if start_id is None:
        return _offline_error(_("This play has no start. Start the scenario again."))
    node_key = request.POST.get("node", "")[:100]
    statement_id = _uuid_or_none(request.POST.get("statement_id"))
    try:
        started_at = late_event_at(
            request.POST.get("started_at", ""), unreadable=_("The time of this could not be read.")
        )
        at = late_event_at(request.POST.get("at", ""), unreadable=_("The time of this could not be read."))
        step = services.offline_step_record(
            rep=request.user,
            version=version,
            lesson=lesson,
            start_id=start_id,
            started_at=started_at,
            node_key=node_key,
            choice=request.POST.get("choice", "")[:100],
            statement_id=statement_id,
            at=at,
        )
    except StatementError as exc:
        return _offline_error(str(exc))
    except ScenarioError as exc:
        return _offline_error(str(exc))
    data: dict[str, Any] = {"recorded": True, "finished": bool(step and step.finished)}
    if step is not None and step.finished:
        attempt = step.attempt
        message = _("%(title)s: %(outcome)s, score %(points)s / %(max)s.") % {
            "title": version.title,
            "outcome": attempt.get_outcome_display(),
            "points": attempt.points,
            "max": attempt.points_max,
        }
        if attempt.alignment is not None:
            message += " " + _("Top-rep alignment %(percent)s%%.") % {"percent": round(attempt.alignment * 100)}
        data.update(scored=True, message=message, url=reverse("scenarios:scenario_attempt", args=[attempt.pk]))
    return JsonResponse(data)


# --- The pictures and videos of a published version ------------------------------------------


def _playable_version(request: HttpRequest, version_id: int) -> ScenarioVersion:
    """The version, if this person may play it (``?lesson=`` for reps, as on the player's pages), else 404."""
    lesson_id = _lesson_id(request.GET.get("lesson"))
    version, _lesson = selectors.access_version_for_user(request.user, version_id, lesson_id=lesson_id)
    return version


def _ready_video(version: ScenarioVersion, video_key: uuid.UUID) -> Video:
    if not selectors.version_uses_video(version, str(video_key)):
        raise Http404
    # The version decides here who may watch (the player's own route, with ?lesson= for reps).
    video = ready_video_by_key(video_key)
    if video is None:
        raise Http404
    return video


@login_required
@require_http_methods(["GET", "HEAD"])
def scenario_media_image(request: HttpRequest, version_id: int, image_name: str) -> HttpResponse:
    version = _playable_version(request, version_id)
    if not selectors.version_uses_image(version, image_name):
        raise Http404
    return stored_file_response(request, name=IMAGE_DIR + image_name, content_type=image_content_type(image_name))


@login_required
@require_http_methods(["GET", "HEAD"])
def scenario_media_video(request: HttpRequest, version_id: int, video_key: uuid.UUID) -> HttpResponse:
    video = _ready_video(_playable_version(request, version_id), video_key)
    return stored_file_response(request, name=video.mp4.name, content_type="video/mp4")


@login_required
@require_http_methods(["GET", "HEAD"])
def scenario_media_video_phone(request: HttpRequest, version_id: int, video_key: uuid.UUID) -> HttpResponse:
    """The phone-sized MP4 of a video the version shows (the smallest HLS rendition, else the MP4): what a
    phone keeps to play the scenario without a connection."""
    video = _ready_video(_playable_version(request, version_id), video_key)
    return stored_file_response(request, name=video.phone_mp4.name or video.mp4.name, content_type="video/mp4")


@login_required
@require_http_methods(["GET", "HEAD"])
def scenario_media_poster(request: HttpRequest, version_id: int, video_key: uuid.UUID) -> HttpResponse:
    video = _ready_video(_playable_version(request, version_id), video_key)
    if not video.poster:
        raise Http404
    return stored_file_response(request, name=video.poster.name, content_type="image/jpeg")


@login_required
@require_POST
def scenario_answer(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Answer the check question of a moment (once per moment and attempt); the result shows on the moment."""
    attempt = selectors.access_own_attempt(request.user, attempt_id)
    try:
        answer = int(request.POST.get("answer", ""))
    except ValueError:
        answer = -1
    try:
        services.question_answer(
            rep=request.user, registration=attempt.registration, node_key=request.POST.get("node", ""), answer=answer
        )
    except ScenarioError as exc:
        message_user(request, exc)
    return redirect(reverse("scenarios:scenario_attempt", args=[attempt.pk]) + "#question")
