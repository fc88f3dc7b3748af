"""Writes of playing a published scenario: starting, each choice and answer (every one a statement), completion."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from kizuna.catalog.selectors import access_lesson_for_user, lesson_activity_data
from kizuna.records import vocab as records_vocab
from kizuna.records.projections import reps_hold
from kizuna.records.services import Activity, StatementError, format_duration, lesson_complete, statement_record

from .. import vocab
from ..errors import ScenarioError
from ..models import Attempt, Outcome, ScenarioVersion
from ..scoring import Graph, StepScore, attempt_score, step_score
from ..selectors import QuestionResult, node_iri, question_result_from, question_statement_id, scenario_iri

# --- Playing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepResult:
    """What a rep sees after choosing: their choice with its commentary, the score, and where it leads."""

    attempt: Attempt
    node: dict[str, Any]
    choice: dict[str, Any]
    score: StepScore
    next_node: dict[str, Any]
    finished: bool


def _version_activity(version: ScenarioVersion, lesson: Any | None, *, with_lesson_ids: bool = True) -> Activity:
    ids: dict[str, Any] = {}
    parents: list[str] = []
    if lesson is not None:
        lesson_data = lesson_activity_data(lesson)
        parents = [lesson_data["iri"], *lesson_data["parents"]]
        if with_lesson_ids:
            ids = {
                "course_id": lesson_data["course_id"],
                "course_version_id": lesson_data["course_version_id"],
                "lesson_id": lesson_data["lesson_id"],
            }
    return Activity(
        iri=scenario_iri(version),
        type=vocab.TYPE_SCENARIO,
        name={"ja-JP": version.title},
        parents=parents,
        **ids,
    )


def _lesson_of(rep: Any, lesson_id: int | None) -> Any | None:
    if lesson_id is None:
        return None
    try:
        return access_lesson_for_user(rep, lesson_id)
    except Http404:
        raise ScenarioError(_("This lesson is no longer available to you.")) from None


def attempt_start(
    *,
    rep: Any,
    version: ScenarioVersion,
    lesson: Any | None = None,
    statement_id: uuid.UUID | None = None,
    timestamp: datetime | None = None,
) -> uuid.UUID:
    """Start an attempt at a published version (in a course lesson or on its own); return its registration.

    The same statement id (a retried request) returns the same registration.
    """
    if lesson is not None and (lesson.kind != "scenario" or lesson.content_id != version.pk):
        raise ScenarioError(_("This lesson does not play this scenario."))
    registration = uuid.uuid4()
    try:
        st, created = statement_record(
            actor=rep,
            verb=vocab.ATTEMPTED,
            # The lesson's ids, so that records counts the lesson as started.
            activity=_version_activity(version, lesson),
            extensions={vocab.EXT_SCENARIO_VERSION.iri: version.pk},
            statement_id=statement_id,
            timestamp=timestamp,
            registration=registration,
        )
    except StatementError as exc:
        raise ScenarioError(str(exc)) from None
    if not created:
        if st.verb != vocab.ATTEMPTED.iri or "registration" not in st.context:
            raise ScenarioError(_("This statement id is already used."))
        return uuid.UUID(st.context["registration"])
    return registration


def _find_choice(graph: Graph, node_key: str, choice: str | int) -> dict[str, Any] | None:
    choices = graph.node(node_key).get("choices", [])
    if isinstance(choice, int) and not isinstance(choice, bool):
        return choices[choice] if 0 <= choice < len(choices) else None
    return graph.choice(node_key, str(choice))


def _step_result(attempt: Attempt, graph: Graph, index: int) -> StepResult:
    node_key, choice_key = attempt.path[index]
    choice = graph.choices[node_key][choice_key]
    return StepResult(
        attempt=attempt,
        node=graph.node(node_key),
        choice=choice,
        score=step_score(graph, node_key, choice_key),
        next_node=graph.node(choice["next"]),
        finished=graph.is_end(choice["next"]),
    )


def choice_make(
    *,
    rep: Any,
    registration: uuid.UUID | str,
    node_key: str,
    choice: str | int,
    statement_id: uuid.UUID,
    timestamp: datetime | None = None,
    seconds: float | None = None,
) -> StepResult:
    """Record the rep's choice at the attempt's current moment (by choice key or 0-based index).

    Idempotent per statement id: a repeated request returns the step it recorded. A moment other than the
    current one, or a choice it does not offer, is refused. Reaching an end records the scenario as completed
    (score, outcome, alignment) and, in a course lesson, completes the lesson.
    """
    with transaction.atomic():
        reps_hold(rep.pk)  # a rebuild of the rep under way ends first: the attempt read next is the rebuilt one
        attempt = (
            # Lock the attempt only: reps playing the same version must not wait for each other.
            Attempt.objects.select_for_update(of=("self",))
            .select_related("version__scenario")
            .filter(registration=str(registration), rep_id=rep.pk)
            .first()
        )
        if attempt is None:
            raise ScenarioError(_("This attempt does not exist. Start the scenario again."))
        graph = Graph(attempt.version.graph)
        if str(statement_id) in attempt.step_ids:
            return _step_result(attempt, graph, attempt.step_ids.index(str(statement_id)))
        if attempt.is_finished:
            raise ScenarioError(_("This attempt is already finished. Start again to replay it."))
        if node_key != attempt.current_node:
            raise ScenarioError(_("This moment is already behind you. Continue from where you are."))
        chosen = _find_choice(graph, node_key, choice)
        if chosen is None:
            raise ScenarioError(_("This choice is not offered at this moment."))
        step = step_score(graph, node_key, chosen["key"])
        lesson = _lesson_of(rep, attempt.lesson_id)
        node = graph.node(node_key)
        result: dict[str, Any] = {"response": chosen["key"], "score": step.as_xapi()}
        if seconds is not None and 0 < seconds <= 3600:
            result["duration"] = format_duration(seconds)
        version_activity = _version_activity(attempt.version, lesson)
        try:
            _st, created = statement_record(
                actor=rep,
                verb=records_vocab.ANSWERED,
                activity=Activity(
                    iri=node_iri(attempt.version, node_key),
                    type=vocab.TYPE_INTERACTION,
                    name={"ja-JP": (node.get("text") or node_key)[:200]},
                    course_id=version_activity.course_id,
                    course_version_id=version_activity.course_version_id,
                    lesson_id=version_activity.lesson_id,
                    parents=[version_activity.iri, *version_activity.parents],
                    # xAPI cmi.interaction: a choice among the moment's options (the reference one, if marked).
                    definition={
                        "interactionType": "choice",
                        "choices": [
                            {"id": c["key"], "description": {"ja-JP": c.get("text", "")[:200]}}
                            for c in node.get("choices", [])
                        ],
                        **(
                            {"correctResponsesPattern": [ref]}
                            if (ref := next((c["key"] for c in node.get("choices", []) if c.get("reference")), None))
                            else {}
                        ),
                    },
                ),
                result=result,
                extensions={
                    vocab.EXT_SCENARIO_VERSION.iri: attempt.version_id,
                    vocab.EXT_NODE.iri: node_key,
                    vocab.EXT_REFERENCE_MATCH.iri: step.reference_match,
                    vocab.EXT_VALUE_TAGS.iri: list(step.value_tags),
                },
                statement_id=statement_id,
                timestamp=timestamp,
                registration=attempt.registration,
            )
        except StatementError as exc:
            raise ScenarioError(str(exc)) from None
        if not created:
            raise ScenarioError(_("This statement id is already used."))
        attempt.refresh_from_db()
        outcome = _step_result(attempt, graph, len(attempt.path) - 1)
        if outcome.finished:
            _attempt_complete(attempt, graph, lesson, statement_id=statement_id, timestamp=timestamp)
            attempt.refresh_from_db()
    return outcome


def _attempt_complete(
    attempt: Attempt, graph: Graph, lesson: Any | None, *, statement_id: uuid.UUID, timestamp: datetime | None
) -> None:
    total = attempt_score(graph, attempt.path)
    statement_record(
        actor=attempt.rep,
        verb=records_vocab.COMPLETED,
        # Without the lesson's ids: records would take a "completed" with them for the lesson's completion.
        activity=_version_activity(attempt.version, lesson, with_lesson_ids=False),
        result={
            "score": total.as_xapi(),
            "completion": True,
            "success": total.outcome != Outcome.LOST,
            "extensions": {vocab.EXT_OUTCOME.iri: total.outcome, vocab.EXT_ALIGNMENT.iri: total.alignment},
        },
        extensions={vocab.EXT_SCENARIO_VERSION.iri: attempt.version_id},
        # Derived from the last choice's id, so a retried request cannot complete twice.
        statement_id=uuid.uuid5(statement_id, "completed"),
        timestamp=timestamp,
        registration=attempt.registration,
    )
    if lesson is not None:
        lesson_complete(rep=attempt.rep, lesson=lesson, timestamp=timestamp, by_content=True)


def question_answer(
    *,
    rep: Any,
    registration: uuid.UUID | str,
    node_key: str,
    answer: int,
    timestamp: datetime | None = None,
) -> QuestionResult:
    """Record the rep's answer to the check question of a moment of their attempt (once per moment).

    An xAPI "answered" on a cmi.interaction (choice) ``<node IRI>/question``. It changes neither the scenario's
    score nor its alignment; the scenario's projections ignore it (it carries no scenario-version extension).
    """
    attempt = Attempt.objects.select_related("version").filter(registration=str(registration), rep_id=rep.pk).first()
    if attempt is None:
        raise ScenarioError(_("This attempt does not exist. Start the scenario again."))
    graph = Graph(attempt.version.graph)
    node = graph.nodes.get(node_key)
    question = (node or {}).get("question")
    if not question:
        raise ScenarioError(_("This moment has no check question."))
    options = question.get("options", [])
    statement_id = question_statement_id(attempt.registration, node_key)
    if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < len(options):
        raise ScenarioError(_("Choose one of the answers."))
    lesson = _lesson_of(rep, attempt.lesson_id)
    version_activity = _version_activity(attempt.version, lesson)
    node_activity = node_iri(attempt.version, node_key)
    try:
        st, _created = statement_record(
            actor=rep,
            verb=records_vocab.ANSWERED,
            activity=Activity(
                iri=f"{node_activity}/question",
                type=vocab.TYPE_INTERACTION,
                name={"ja-JP": question.get("text", "")[:200]},
                course_id=version_activity.course_id,
                course_version_id=version_activity.course_version_id,
                lesson_id=version_activity.lesson_id,
                parents=[node_activity, version_activity.iri, *version_activity.parents],
                definition={
                    "interactionType": "choice",
                    "choices": [{"id": str(i), "description": {"ja-JP": text[:200]}} for i, text in enumerate(options)],
                    "correctResponsesPattern": [str(question.get("correct"))],
                },
            ),
            result={"response": str(answer), "success": answer == question.get("correct")},
            extensions={vocab.EXT_NODE.iri: node_key},
            statement_id=statement_id,
            timestamp=timestamp,
            registration=attempt.registration,
        )
    except StatementError as exc:
        raise ScenarioError(str(exc)) from None
    return question_result_from(node_key, question, st.result or {})


# --- Played on a phone without a connection ---------------------------------------------------


def offline_step_record(
    *,
    rep: Any,
    version: ScenarioVersion,
    lesson: Any | None,
    start_id: uuid.UUID,
    started_at: datetime | None,
    node_key: str = "",
    choice: str = "",
    statement_id: uuid.UUID | None = None,
    at: datetime | None = None,
) -> StepResult | None:
    """Record what a rep did in a scenario saved on their phone, sent when the connection came back.

    The phone names the attempt by the id of its start statement (made on the phone, with the moment it
    started), so every request it kept is whole on its own: the start is recorded once (``attempt_start`` is
    idempotent per statement id) and, with ``node_key``, the choice is recorded once at ``at``
    (``choice_make`` is idempotent per statement id). Points, learning time and completion then follow the
    same rules as a play online. Returns the step, or None for the start alone.
    """
    registration = attempt_start(rep=rep, version=version, lesson=lesson, statement_id=start_id, timestamp=started_at)
    attempt = Attempt.objects.filter(registration=str(registration), rep_id=rep.pk).only("version_id").first()
    if attempt is None or attempt.version_id != version.pk:
        raise ScenarioError(_("This statement id is already used."))
    if not node_key:
        return None
    if statement_id is None:
        raise ScenarioError(_("This choice has no statement id."))
    return choice_make(
        rep=rep, registration=registration, node_key=node_key, choice=choice, statement_id=statement_id, timestamp=at
    )
