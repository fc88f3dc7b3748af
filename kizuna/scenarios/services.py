"""Writes of scenarios: the author's draft, publishing, import, and playing (every choice is a statement)."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.catalog.models import Product, Tag
from kizuna.catalog.selectors import access_lesson_for_user, lesson_activity_data, products_all
from kizuna.catalog.services import topic_tags_ensure
from kizuna.media.models import Video
from kizuna.records import vocab as records_vocab
from kizuna.records.services import Activity, StatementError, format_duration, lesson_complete, statement_record

from . import vocab
from .errors import FormatError, ImageError, ScenarioError
from .exchange import (
    KEY_RE,
    SLUG_RE,
    canonical_json,
    parse_text,
    reference_errors,
    scenario_errors,
    scenario_export,
    schema_errors,
    video_keys,
)
from .images import image_store
from .models import SCORE_MAX, SCORE_MIN, Attempt, Choice, Node, Outcome, Scenario, ScenarioVersion, ValueTag
from .scoring import Graph, StepScore, attempt_score, step_score
from .selectors import QuestionResult, node_iri, question_result_from, question_statement_id, scenario_iri
from .validation import Code, GraphError, question_errors, validate_graph


def _touch(scenario: Scenario | int) -> None:
    pk = scenario if isinstance(scenario, int) else scenario.pk
    Scenario.objects.filter(pk=pk).update(draft_changed_at=timezone.now())


def _check_key(key: str) -> None:
    if not KEY_RE.match(key or ""):
        raise ScenarioError(_("Use letters a–z, digits, “-” and “_” only (at most 60)."))


def _check_score(score: int) -> None:
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise ScenarioError(
            _("The score is a whole number from %(min)s to %(max)s.") % {"min": SCORE_MIN, "max": SCORE_MAX}
        )


# --- Value tags ------------------------------------------------------------------------------


def value_tag_create(*, slug: str, name_ja: str, name_en: str) -> ValueTag:
    """Define one of the principal's values (e.g. 顧客第一 / Customer first)."""
    _check_key(slug)
    if ValueTag.objects.filter(slug=slug).exists():
        raise ScenarioError(_("A value with this code already exists."))
    if not name_ja.strip() or not name_en.strip():
        raise ScenarioError(_("Give the value a Japanese and an English name."))
    position = (ValueTag.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    return ValueTag.objects.create(slug=slug, name_ja=name_ja.strip(), name_en=name_en.strip(), position=position)


def value_tag_update(*, value_tag: ValueTag, name_ja: str, name_en: str) -> ValueTag:
    if not name_ja.strip() or not name_en.strip():
        raise ScenarioError(_("Give the value a Japanese and an English name."))
    value_tag.name_ja, value_tag.name_en = name_ja.strip(), name_en.strip()
    value_tag.save(update_fields=["name_ja", "name_en"])
    return value_tag


# --- The draft -------------------------------------------------------------------------------


def scenario_create(
    *,
    author: Any,
    title: str,
    slug: str,
    description: str = "",
    product: Product | None = None,
    tags: list[Tag] | None = None,
) -> Scenario:
    if not SLUG_RE.match(slug or ""):
        raise ScenarioError(_("Use letters a–z, digits, “-” and “_” only for the code (at most 80)."))
    if Scenario.objects.filter(slug=slug).exists():
        raise ScenarioError(_("A scenario with this code already exists."))
    if not title.strip():
        raise ScenarioError(_("Give the scenario a title."))
    scenario = Scenario.objects.create(
        slug=slug, title=title.strip(), description=description, product=product, created_by=author
    )
    if tags:
        scenario.tags.set(tags)
    return scenario


@transaction.atomic
def scenario_update(
    *, scenario: Scenario, title: str, description: str, product: Product | None, tags: list[Tag]
) -> Scenario:
    if not title.strip():
        raise ScenarioError(_("Give the scenario a title."))
    scenario.title, scenario.description, scenario.product = title.strip(), description, product
    scenario.draft_changed_at = timezone.now()
    scenario.save(update_fields=["title", "description", "product", "draft_changed_at"])
    scenario.tags.set(tags)
    return scenario


def scenario_start_set(*, scenario: Scenario, node: Node) -> Scenario:
    if node.scenario_id != scenario.pk:
        raise ScenarioError(_("Choose a moment of this scenario."))
    scenario.start_node = node
    scenario.draft_changed_at = timezone.now()
    scenario.save(update_fields=["start_node", "draft_changed_at"])
    return scenario


def _next_key(existing: set[str], prefix: str) -> str:
    n = len(existing) + 1
    while f"{prefix}{n}" in existing:
        n += 1
    return f"{prefix}{n}"


def _node_fields(*, kind: str, outcome: str) -> None:
    if kind not in Node.Kind.values:
        raise ScenarioError(_("The kind is “moment” or “end”."))
    if outcome and outcome not in Outcome.values:
        raise ScenarioError(_("Choose won the deal, next meeting or lost the customer."))


@transaction.atomic
def node_create(
    *,
    scenario: Scenario,
    key: str | None = None,
    kind: str = Node.Kind.MOMENT,
    speaker: str = "",
    text: str = "",
    video: Video | None = None,
    outcome: str = "",
    debrief: str = "",
) -> Node:
    """Add a moment (or an end) to the draft; the first one becomes the start."""
    existing = set(scenario.nodes.values_list("key", flat=True))
    key = key or _next_key(existing, "n")
    _check_key(key)
    if key in existing:
        raise ScenarioError(_("Another moment already uses the key “%(key)s”.") % {"key": key})
    _node_fields(kind=kind, outcome=outcome)
    position = (scenario.nodes.aggregate(m=Max("position"))["m"] or 0) + 1
    node = Node.objects.create(
        scenario=scenario,
        key=key,
        position=position,
        kind=kind,
        speaker=speaker,
        text=text,
        video=video,
        outcome=outcome if kind == Node.Kind.END else "",
        debrief=debrief if kind == Node.Kind.END else "",
    )
    if scenario.start_node_id is None:
        Scenario.objects.filter(pk=scenario.pk).update(start_node=node)
        scenario.start_node = node
    _touch(scenario)
    return node


@transaction.atomic
def node_update(
    *,
    node: Node,
    key: str,
    kind: str,
    speaker: str,
    text: str,
    video: Video | None = None,
    outcome: str = "",
    debrief: str = "",
) -> Node:
    """Change a moment; renaming its key keeps every choice that leads to it (they refer to the row)."""
    _check_key(key)
    if key != node.key and node.scenario.nodes.filter(key=key).exists():
        raise ScenarioError(_("Another moment already uses the key “%(key)s”.") % {"key": key})
    _node_fields(kind=kind, outcome=outcome)
    node.key, node.kind, node.speaker, node.text, node.video = key, kind, speaker, text, video
    node.outcome = outcome if kind == Node.Kind.END else ""
    node.debrief = debrief if kind == Node.Kind.END else ""
    node.save(update_fields=["key", "kind", "speaker", "text", "video", "outcome", "debrief"])
    _touch(node.scenario_id)
    return node


def node_image_set(*, node: Node, file: Any) -> Node:
    """Attach an uploaded picture to a moment (checked, cleaned of EXIF/GPS, stored by hash)."""
    try:
        node.image = image_store(file)
    except ImageError as exc:
        raise ScenarioError(str(exc)) from None
    node.save(update_fields=["image"])
    _touch(node.scenario_id)
    return node


def node_image_clear(*, node: Node) -> Node:
    # The file stays: a published version may still show it.
    node.image = ""
    node.save(update_fields=["image"])
    _touch(node.scenario_id)
    return node


def node_question_set(*, node: Node, question: dict[str, Any] | None) -> Node:
    """Set (or, with None, remove) a moment's check question: text, 2–4 options, the correct index, explanation."""
    if question is not None:
        question = {
            "text": str(question.get("text") or "").strip(),
            "options": [str(o).strip() for o in question.get("options") or []],
            "correct": question.get("correct"),
            "explanation": str(question.get("explanation") or "").strip(),
        }
        if node.kind != Node.Kind.MOMENT:
            raise ScenarioError(_("Only a moment may have a check question."))
        errors = question_errors(question, node=node.key)
        if errors:
            raise ScenarioError(errors)
    node.question = question
    node.save(update_fields=["question"])
    _touch(node.scenario_id)
    return node


def node_delete(*, node: Node) -> None:
    """Delete a moment; choices that led to it now lead nowhere, which validation reports."""
    scenario_id = node.scenario_id
    node.delete()
    _touch(scenario_id)


def _choice_values(
    node: Node,
    *,
    next_node: Node | None,
    score: int,
    value_tags: list[ValueTag] | None,
    tags: list[Tag] | None,
) -> None:
    if next_node is not None and next_node.scenario_id != node.scenario_id:
        raise ScenarioError(_("A choice leads to a moment of the same scenario."))
    _check_score(score)
    if tags and any(tag.kind != Tag.Kind.TOPIC for tag in tags):
        raise ScenarioError(_("Choose topic tags."))


def _single_reference(choice: Choice) -> None:
    if choice.is_reference:
        Choice.objects.filter(node_id=choice.node_id, is_reference=True).exclude(pk=choice.pk).update(
            is_reference=False
        )


@transaction.atomic
def choice_create(
    *,
    node: Node,
    text: str,
    next_node: Node | None = None,
    key: str | None = None,
    commentary: str = "",
    commentary_video: Video | None = None,
    score: int = 0,
    value_tags: list[ValueTag] | None = None,
    tags: list[Tag] | None = None,
    is_reference: bool = False,
) -> Choice:
    """Add a choice to a moment; marking it as the top rep's choice unmarks the moment's other one."""
    existing = set(node.choices.values_list("key", flat=True))
    key = key or _next_key(existing, "c")
    _check_key(key)
    if key in existing:
        raise ScenarioError(_("Another choice of this moment already uses the key “%(key)s”.") % {"key": key})
    if not text.strip():
        raise ScenarioError(_("Write what the rep says."))
    _choice_values(node, next_node=next_node, score=score, value_tags=value_tags, tags=tags)
    position = (node.choices.aggregate(m=Max("position"))["m"] or 0) + 1
    choice = Choice.objects.create(
        node=node,
        key=key,
        position=position,
        text=text,
        next_node=next_node,
        commentary=commentary,
        commentary_video=commentary_video,
        score=score,
        is_reference=is_reference,
    )
    choice.value_tags.set(value_tags or [])
    choice.tags.set(tags or [])
    _single_reference(choice)
    _touch(node.scenario_id)
    return choice


@transaction.atomic
def choice_update(
    *,
    choice: Choice,
    text: str,
    next_node: Node | None,
    key: str | None = None,
    commentary: str = "",
    commentary_video: Video | None = None,
    score: int = 0,
    value_tags: list[ValueTag] | None = None,
    tags: list[Tag] | None = None,
    is_reference: bool = False,
) -> Choice:
    key = key or choice.key
    _check_key(key)
    if key != choice.key and Choice.objects.filter(node_id=choice.node_id, key=key).exists():
        raise ScenarioError(_("Another choice of this moment already uses the key “%(key)s”.") % {"key": key})
    if not text.strip():
        raise ScenarioError(_("Write what the rep says."))
    _choice_values(choice.node, next_node=next_node, score=score, value_tags=value_tags, tags=tags)
    choice.key, choice.text, choice.next_node, choice.commentary = key, text, next_node, commentary
    choice.commentary_video, choice.score, choice.is_reference = commentary_video, score, is_reference
    choice.save()
    choice.value_tags.set(value_tags or [])
    choice.tags.set(tags or [])
    _single_reference(choice)
    _touch(choice.node.scenario_id)
    return choice


def choice_delete(*, choice: Choice) -> None:
    scenario_id = choice.node.scenario_id
    choice.delete()
    _touch(scenario_id)


def choice_move(*, choice: Choice, direction: int) -> None:
    """Swap a choice with its neighbour in the moment (direction -1 = up, +1 = down)."""
    siblings = list(Choice.objects.filter(node_id=choice.node_id).order_by("position", "id"))
    index = next(i for i, item in enumerate(siblings) if item.pk == choice.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    with transaction.atomic():
        for position, item in enumerate(siblings, start=1):
            Choice.objects.filter(pk=item.pk).update(position=position)
    _touch(choice.node.scenario_id)


@transaction.atomic
def scenario_reference_from_attempt(*, attempt: Attempt) -> int:
    """Mark, in the draft, the choices of a (coach's) finished attempt as the top rep's; return how many moments.

    Moments or choices that the draft no longer has are skipped. The draft must be published again for reps.
    """
    scenario = attempt.version.scenario
    marked = 0
    for node_key, choice_key in attempt.path:
        choice = Choice.objects.filter(node__scenario=scenario, node__key=node_key, key=choice_key).first()
        if choice is None:
            continue
        Choice.objects.filter(node_id=choice.node_id).update(is_reference=False)
        Choice.objects.filter(pk=choice.pk).update(is_reference=True)
        marked += 1
    if marked:
        _touch(scenario)
    return marked


# --- Publishing ------------------------------------------------------------------------------


def scenario_problems(scenario: Scenario) -> list[GraphError]:
    """Return everything that stops the draft from being published: shape, graph and media errors."""
    data = scenario_export(scenario)
    errors = schema_errors(data) + validate_graph(data)
    if not errors:
        errors = reference_errors(data, ready_videos=True)
    return errors


@transaction.atomic
def scenario_publish(*, scenario: Scenario, publisher: Any, when: datetime | None = None) -> ScenarioVersion:
    """Freeze the draft into a new immutable version; an unchanged draft returns the latest version."""
    Scenario.objects.select_for_update().filter(pk=scenario.pk).first()  # one publish at a time
    scenario.refresh_from_db()
    problems = scenario_problems(scenario)
    if problems:
        raise ScenarioError(problems)
    data = scenario_export(scenario)
    graph_hash = hashlib.sha256(canonical_json(data).encode()).hexdigest()
    latest = scenario.versions.order_by("-number").first()
    if latest is not None and latest.graph_hash == graph_hash:
        return latest
    now = when or timezone.now()
    version = ScenarioVersion.objects.create(
        scenario=scenario,
        number=(latest.number if latest else 0) + 1,
        title=scenario.title,
        graph=data,
        graph_hash=graph_hash,
        published_at=now,
        published_by=publisher,
    )
    Scenario.objects.filter(pk=scenario.pk).update(latest_version=version, draft_changed_at=now)
    scenario.latest_version, scenario.draft_changed_at = version, now
    return version


# --- Import ----------------------------------------------------------------------------------


def scenario_import(data: Any, *, author: Any, slug: str | None = None, replace: bool = False) -> Scenario:
    """Create a draft scenario (or, with replace, overwrite one's draft) from exchange-format data or text.

    Every problem is collected and raised together as a ScenarioError; nothing is written then.
    """
    if isinstance(data, str | bytes):
        try:
            data = parse_text(data)
        except FormatError as exc:
            raise ScenarioError(exc.errors) from None
    errors = scenario_errors(data, slug_required=slug is None)
    if not any(e.code in (Code.SCHEMA, Code.FORMAT_VERSION) for e in errors):
        errors += reference_errors(data)
    target = slug or (data.get("slug") if isinstance(data, dict) else None)
    if slug is not None and not SLUG_RE.match(slug):
        errors.append(
            GraphError(Code.SCHEMA, _("Use letters a–z, digits, “-” and “_” only for the code."), path="slug")
        )
    existing = Scenario.objects.filter(slug=target).first() if isinstance(target, str) else None
    if existing is not None and not replace:
        errors.append(
            GraphError(
                Code.SLUG_TAKEN,
                _("A scenario with the code “%(slug)s” already exists. Choose another code or replace it.")
                % {"slug": target},
                path="slug",
            )
        )
    if errors:
        raise ScenarioError(errors)
    with transaction.atomic():
        return _write_import(data, author=author, slug=target, existing=existing)


def _write_import(data: dict[str, Any], *, author: Any, slug: str, existing: Scenario | None) -> Scenario:
    product = products_all().filter(slug=data["product"]).first() if data.get("product") else None
    if existing is None:
        scenario = Scenario.objects.create(slug=slug, title=data["title"], created_by=author)
    else:
        scenario = existing
        Scenario.objects.filter(pk=scenario.pk).update(start_node=None)
        scenario.nodes.all().delete()
    scenario.title = data["title"]
    scenario.description = data.get("description") or ""
    scenario.product = product
    scenario.tags.set(topic_tags_ensure(names=data.get("topic_tags") or []))
    value_tags = {tag.slug: tag for tag in ValueTag.objects.all()}
    for defined in data.get("value_tags") or []:
        if defined["slug"] not in value_tags:
            value_tags[defined["slug"]] = value_tag_create(
                slug=defined["slug"], name_ja=defined["ja"], name_en=defined["en"]
            )
    videos = {str(v.key): v for v in Video.objects.filter(key__in=video_keys(data))}
    nodes: dict[str, Node] = {}
    for position, item in enumerate(data["nodes"], start=1):
        nodes[item["key"]] = Node.objects.create(
            scenario=scenario,
            key=item["key"],
            position=position,
            kind=item["kind"],
            speaker=item.get("speaker") or "",
            text=item.get("text") or "",
            image=item.get("image") or "",
            video=videos.get(item.get("video") or ""),
            question=item.get("question") or None,
            outcome=item.get("outcome") or "",
            debrief=item.get("debrief") or "",
        )
    for item in data["nodes"]:
        for position, c in enumerate(item.get("choices") or [], start=1):
            choice = Choice.objects.create(
                node=nodes[item["key"]],
                key=c["key"],
                position=position,
                text=c["text"],
                next_node=nodes[c["next"]],
                commentary=c.get("commentary") or "",
                commentary_video=videos.get(c.get("commentary_video") or ""),
                score=c.get("score", 0),
                is_reference=c.get("reference", False),
            )
            choice.value_tags.set([value_tags[t] for t in c.get("value_tags") or []])
            choice.tags.set(topic_tags_ensure(names=c.get("topic_tags") or []))
    scenario.start_node = nodes[data["start"]]
    scenario.draft_changed_at = timezone.now()
    scenario.save()
    return scenario


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
