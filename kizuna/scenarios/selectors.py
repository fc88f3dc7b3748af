"""Reads of scenarios: drafts for their editors, versions for players, attempts and analytics, partner-scoped.

Attempts are a rep's records: they are read only through ``kizuna.orgs.access``
(``visible_reps``, ``visible_partners``), and anything a person may not see is a
404 in ``access_*`` helpers or simply absent from lists.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Avg, Case, Count, ExpressionWrapper, F, FloatField, Max, Q, QuerySet, Sum, Value, When
from django.http import Http404

from kizuna.orgs.access import Role, has_role, is_principal_staff, membership_of, visible_partners, visible_reps

from .exchange import video_keys
from .models import Assignment, Attempt, Choice, Node, NodeChoiceCount, Scenario, ScenarioVersion, ValueTag
from .scoring import Graph, compare_paths

EDITOR_ROLES = (Role.ADMIN, Role.AUTHOR, Role.COACH)


# --- xAPI activity IRIs ----------------------------------------------------------------------


def scenario_iri(version: ScenarioVersion) -> str:
    return f"{settings.SITE_URL}/xapi/activities/scenario/{version.scenario.key}/v{version.number}"


def node_iri(version: ScenarioVersion, node_key: str) -> str:
    return f"{scenario_iri(version)}/node/{node_key}"


@dataclass(frozen=True)
class QuestionResult:
    """The rep's (first) answer to a moment's check question: which option, whether right, and the question."""

    node_key: str
    answer: int
    correct: int
    success: bool
    question: dict[str, Any]


def question_statement_id(registration: uuid.UUID | str, node_key: str) -> uuid.UUID:
    """One answer per moment per attempt: the statement id is derived from both, so retries return the first one."""
    return uuid.uuid5(uuid.UUID(str(registration)), f"question/{node_key}")


def question_result_from(node_key: str, question: dict[str, Any], result: dict[str, Any]) -> QuestionResult:
    try:
        answer = int(result.get("response", -1))
    except (TypeError, ValueError):
        answer = -1
    return QuestionResult(
        node_key=node_key,
        answer=answer,
        correct=question.get("correct", -1),
        success=bool(result.get("success")),
        question=question,
    )


def question_result_for(attempt: Attempt, node_key: str) -> QuestionResult | None:
    """The rep's recorded answer to the check question of a moment of their attempt, or None (not yet / none)."""
    from kizuna.records.selectors import statement_by_id

    question = (Graph(attempt.version.graph).nodes.get(node_key) or {}).get("question")
    if not question:
        return None
    st = statement_by_id(question_statement_id(attempt.registration, node_key))
    if st is None or st.actor_id != attempt.rep_id:
        return None
    return question_result_from(node_key, question, st.result or {})


# --- Drafts (the principal's content: editors only) ------------------------------------------


def can_edit_scenarios(user: Any) -> bool:
    """Authors, coaches (who record the commentary) and admins edit scenarios."""
    return has_role(user, *EDITOR_ROLES)


def value_tags_all() -> QuerySet[ValueTag]:
    return ValueTag.objects.all()


def scenarios_for_editor(user: Any) -> QuerySet[Scenario]:
    """Return every draft scenario with its latest version and moment count, for editors; none for others."""
    if not can_edit_scenarios(user):
        return Scenario.objects.none()
    return (
        Scenario.objects.select_related("latest_version", "product", "start_node")
        .prefetch_related("tags")
        .annotate(node_count=Count("nodes", distinct=True))
        .order_by("title")
    )


def scenario_choices_for(user: Any) -> list[tuple[int, str]]:
    """Return [(scenario id, title)] an author may put in a course lesson."""
    return list(scenarios_for_editor(user).values_list("pk", "title"))


def access_scenario_for_user(user: Any, scenario_id: int) -> Scenario:
    try:
        return scenarios_for_editor(user).get(pk=scenario_id)
    except (Scenario.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_node_for_user(user: Any, node_id: int) -> Node:
    if not can_edit_scenarios(user):
        raise Http404
    try:
        return Node.objects.select_related("scenario", "video").get(pk=node_id)
    except (Node.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_choice_for_user(user: Any, choice_id: int) -> Choice:
    if not can_edit_scenarios(user):
        raise Http404
    try:
        return Choice.objects.select_related("node__scenario", "next_node", "commentary_video").get(pk=choice_id)
    except (Choice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def draft_nodes(scenario: Scenario) -> list[Node]:
    """Return the draft's moments with their choices, tags and videos, in a fixed number of queries."""
    return list(
        scenario.nodes.select_related("video").prefetch_related(
            "choices__next_node", "choices__value_tags", "choices__tags", "choices__commentary_video"
        )
    )


def scenario_versions(scenario: Scenario) -> QuerySet[ScenarioVersion]:
    return scenario.versions.select_related("published_by").order_by("-number")


# --- Versions (what a person may play) ------------------------------------------------------


def access_version_for_user(user: Any, version_id: int, *, lesson_id: int | None = None) -> tuple[ScenarioVersion, Any]:
    """Return (version, lesson or None) the person may play, or 404.

    Principal staff may play any version (a coach plays the reference). Everyone else plays a version
    through a course lesson they may open that shows exactly this version, or, given the scenario on its own
    (`Assignment`, as an experiment gives it), its latest version.
    """
    from kizuna.catalog.selectors import access_lesson_for_user

    m = membership_of(user)
    if m is None:
        raise Http404
    try:
        version = ScenarioVersion.objects.select_related("scenario").get(pk=version_id)
    except (ScenarioVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if lesson_id is None:
        if m.is_principal_staff:
            return version, None
        if version.scenario.latest_version_id == version.pk and rep_has_scenario(user, version.scenario_id):
            return version, None
        raise Http404
    lesson = access_lesson_for_user(user, lesson_id)
    if lesson.kind != "scenario" or lesson.content_id != version.pk:
        raise Http404
    return version, lesson


def rep_has_scenario(user: Any, scenario_id: int) -> bool:
    """Whether the scenario was given to this person on its own (`Assignment`)."""
    return Assignment.objects.filter(scenario_id=scenario_id, rep_id=user.pk).exists()


def version_graph(version: ScenarioVersion) -> Graph:
    return Graph(version.graph)


def version_uses_video(version: ScenarioVersion, key: str) -> bool:
    """Whether a video (by key) is shown in this version: a player may then stream it to its viewers."""
    return str(key) in video_keys(version.graph)


def version_offline(version: ScenarioVersion, *, lesson_id: int | None) -> tuple[dict[str, Any], int]:
    """What a phone keeps to play this version in a lesson without a connection (``player.phone_graph``) and
    what its pictures and phone-sized videos weigh."""
    from contextlib import suppress

    from django.core.files.storage import default_storage

    from kizuna.media.selectors import ready_videos_by_keys

    from .exchange import IMAGE_DIR
    from .player import phone_graph

    videos = ready_videos_by_keys(video_keys(version.graph))
    data = phone_graph(Graph(version.graph), version_id=version.pk, lesson_id=lesson_id, videos=videos)
    size = 0
    for video in videos.values():
        for file in (video.phone_mp4 if video.phone_mp4 else video.mp4, video.poster):
            with suppress(OSError):  # gone from storage: the player shows none either
                size += file.size if file else 0
    for name in {node["image"] for node in version.graph.get("nodes", []) if node.get("image")}:
        with suppress(OSError):
            size += default_storage.size(IMAGE_DIR + name)
    return data, size


def version_uses_image(version: ScenarioVersion, name: str) -> bool:
    return any(node.get("image") == name for node in version.graph.get("nodes", []))


# --- Attempts (a rep's records) --------------------------------------------------------------


def attempts_visible_to(user: Any) -> QuerySet[Attempt]:
    """Return the attempts whose paths this person may see: their own and those of the reps they may see."""
    if membership_of(user) is None:
        return Attempt.objects.none()
    return Attempt.objects.filter(Q(rep_id=user.pk) | Q(rep__in=visible_reps(user))).select_related(
        "version__scenario", "rep"
    )


def my_attempts(user: Any, *, version: ScenarioVersion | None = None) -> QuerySet[Attempt]:
    """Return the person's own attempts, newest first (of one version if given)."""
    attempts = Attempt.objects.filter(rep_id=user.pk).select_related("version__scenario")
    if version is not None:
        attempts = attempts.filter(version=version)
    return attempts.order_by("-started_at", "-id")


def access_attempt_for_user(user: Any, attempt_id: int) -> Attempt:
    try:
        return attempts_visible_to(user).get(pk=attempt_id)
    except (Attempt.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_own_attempt(user: Any, attempt_id: int) -> Attempt:
    """Return an attempt of the person's own (the player), or 404."""
    try:
        return my_attempts(user).get(pk=attempt_id)
    except (Attempt.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _value_tag_names() -> dict[str, str]:
    return {tag.slug: tag.name for tag in value_tags_all()}


def attempt_comparison(attempt: Attempt) -> dict[str, Any]:
    """Return the rep's path beside the top rep's, with both commentaries where they differed (scoring.compare_paths).

    Adds ``value_tag_names`` {slug: name in the active language} and the attempt's totals.
    """
    graph = Graph(attempt.version.graph)
    comparison = compare_paths(graph, attempt.path)
    names = _value_tag_names()
    comparison["value_tag_names"] = names
    comparison["value_profile"] = [
        {"slug": slug, "name": names.get(slug, slug), **entry} for slug, entry in sorted(attempt.value_profile.items())
    ]
    comparison["attempt"] = attempt
    return comparison


# --- Analytics (fixed number of queries each) -----------------------------------------------

# An attempt's points as a share of the best it could have scored (Attempt.points / points_max), in 0..1:
# means of the xAPI score (−1..1) read as "−20 %" on a report.
POINTS_SHARE = Case(
    When(
        score_max__gt=F("score_min"),
        then=ExpressionWrapper(
            (F("score_raw") - F("score_min")) * Value(1.0) / (F("score_max") - F("score_min")),
            output_field=FloatField(),
        ),
    ),
    default=None,
    output_field=FloatField(),
)


def alignment_by_rep(*, user: Any, version: ScenarioVersion) -> list[dict[str, Any]]:
    """Return, per rep this person may see, their finished attempts of this version: count, mean alignment and score."""
    rows = (
        Attempt.objects.filter(version=version, finished_at__isnull=False, rep__in=visible_reps(user))
        .values("rep_id", "rep__name", "rep__membership__team__name", "partner_id")
        .annotate(
            attempts=Count("id"),
            alignment=Avg("alignment"),
            score=Avg(POINTS_SHARE),
            last_finished=Max("finished_at"),
        )
        .order_by("rep__name", "rep_id")
    )
    return [
        {
            "rep_id": r["rep_id"],
            "name": r["rep__name"],
            "team": r["rep__membership__team__name"] or "",
            "attempts": r["attempts"],
            "alignment": r["alignment"],
            "score": r["score"],
            "last_finished": r["last_finished"],
        }
        for r in rows
    ]


def alignment_by_team(*, user: Any, version: ScenarioVersion) -> list[dict[str, Any]]:
    """Return, per team this person may see, the finished attempts of this version: reps, attempts, mean alignment."""
    rows = (
        Attempt.objects.filter(version=version, finished_at__isnull=False, rep__in=visible_reps(user))
        .values("rep__membership__team_id", "rep__membership__team__name")
        .annotate(
            reps=Count("rep_id", distinct=True),
            attempts=Count("id"),
            alignment=Avg("alignment"),
            score=Avg(POINTS_SHARE),
        )
        .order_by("rep__membership__team__name")
    )
    return [
        {
            "team_id": r["rep__membership__team_id"],
            "team": r["rep__membership__team__name"] or "",
            "reps": r["reps"],
            "attempts": r["attempts"],
            "alignment": r["alignment"],
            "score": r["score"],
        }
        for r in rows
    ]


def alignment_by_partner(*, user: Any, version: ScenarioVersion) -> list[dict[str, Any]]:
    """Return, per partner this person may see (all for the principal, their own for a manager), mean alignment."""
    rows = (
        Attempt.objects.filter(version=version, finished_at__isnull=False, partner__in=_analytics_partners(user))
        .values("partner_id", "partner__name")
        .annotate(
            reps=Count("rep_id", distinct=True),
            attempts=Count("id"),
            alignment=Avg("alignment"),
            score=Avg(POINTS_SHARE),
        )
        .order_by("partner__name")
    )
    return [
        {
            "partner_id": r["partner_id"],
            "partner": r["partner__name"],
            "reps": r["reps"],
            "attempts": r["attempts"],
            "alignment": r["alignment"],
            "score": r["score"],
        }
        for r in rows
    ]


def _analytics_partners(user: Any) -> QuerySet[Any]:
    # The principal's staff (authors included: these are aggregates) see every partner, a manager their own.
    if is_principal_staff(user):
        return visible_partners(user)
    if has_role(user, Role.MANAGER):
        return visible_partners(user)
    return visible_partners(user).none()


def choice_distribution(*, user: Any, version: ScenarioVersion) -> dict[str, Any]:
    """Return, for every moment of the version, how each visible partner's people chose, in two queries.

    ``{"partners": [{"id", "name"}], "nodes": [{"key", "speaker", "text", "reference", "total",
    "choices": [{"key", "text", "reference", "score", "total", "share", "by_partner": {partner id: count}}]}]}``.
    Moments come in the version's order; partners a person may not see are never counted.
    """
    partners = list(_analytics_partners(user).order_by("name").values("id", "name"))
    ids = [p["id"] for p in partners]
    counts: dict[tuple[str, str], dict[int, int]] = {}
    rows = (
        NodeChoiceCount.objects.filter(version=version, partner_id__in=ids)
        .values_list("node_key", "choice_key", "partner_id")
        .annotate(n=Sum("count"))
    )
    for node_key, choice_key, partner_id, n in rows:
        counts.setdefault((node_key, choice_key), {})[partner_id] = n
    nodes = []
    for node in version.graph.get("nodes", []):
        if node.get("kind") != "moment":
            continue
        choices = []
        for choice in node.get("choices", []):
            by_partner = counts.get((node["key"], choice["key"]), {})
            choices.append(
                {
                    "key": choice["key"],
                    "text": choice.get("text", ""),
                    "reference": bool(choice.get("reference")),
                    "score": choice.get("score", 0),
                    "total": sum(by_partner.values()),
                    "by_partner": by_partner,
                }
            )
        total = sum(c["total"] for c in choices)
        for c in choices:
            c["share"] = c["total"] / total if total else None
        reference = next((c["key"] for c in choices if c["reference"]), None)
        nodes.append(
            {
                "key": node["key"],
                "speaker": node.get("speaker", ""),
                "text": node.get("text", ""),
                "reference": reference,
                "total": total,
                "choices": choices,
            }
        )
    return {"partners": partners, "nodes": nodes}


def version_by_id(version_id: int) -> ScenarioVersion | None:
    """A scenario version by its id (a lesson's content), or None."""
    return ScenarioVersion.objects.filter(pk=version_id).first()
