"""Writes of the author's draft: value tags, moments (nodes), choices, and references taken from a rep's attempt."""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.catalog.models import Product, Tag
from kizuna.media.models import Video
from kizuna.ops.ordering import position_swap
from kizuna.ops.trail import Action, audit_edit

from ..errors import ImageError, ScenarioError
from ..exchange import (
    KEY_RE,
    SLUG_RE,
)
from ..images import image_store
from ..models import SCORE_MAX, SCORE_MIN, Attempt, Choice, Node, Outcome, Scenario, ValueTag
from ..validation import question_errors


def _touch(scenario: Scenario | int) -> None:  # only through _edited: every draft change is audited
    pk = scenario if isinstance(scenario, int) else scenario.pk
    Scenario.objects.filter(pk=pk).update(draft_changed_at=timezone.now())


def _edited(
    scenario: Scenario | int,
    *,
    edit: str,
    part: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Mark the draft changed and put the edit on the audit trail (the principal's content: no organization)."""
    _touch(scenario)
    if isinstance(scenario, int):
        scenario = Scenario.objects.only("pk", "title").get(pk=scenario)
    label = f"{scenario.title} › {part}" if part else scenario.title
    audit_edit(action=Action.SCENARIO_EDIT, target=scenario, target_label=label, edit=edit, before=before, after=after)


def _scenario_state(scenario: Scenario) -> dict[str, Any]:
    return {
        "title": scenario.title,
        "description": scenario.description,
        "product": scenario.product_id,
        "tags": sorted(scenario.tags.values_list("slug", flat=True)),
    }


def _node_state(node: Node) -> dict[str, Any]:
    return {
        "key": node.key,
        "kind": node.kind,
        "speaker": node.speaker,
        "text": node.text,
        "video": node.video_id,
        "outcome": node.outcome,
        "debrief": node.debrief,
        "image": str(node.image or ""),
        "question": node.question,
    }


def _choice_state(choice: Choice) -> dict[str, Any]:
    return {
        "moment": choice.node.key,
        "key": choice.key,
        "text": choice.text,
        "next": choice.next_node.key if choice.next_node is not None else None,
        "commentary": choice.commentary,
        "commentary_video": choice.commentary_video_id,
        "score": choice.score,
        "is_reference": choice.is_reference,
        "value_tags": sorted(choice.value_tags.values_list("slug", flat=True)) if choice.pk else [],
        "tags": sorted(choice.tags.values_list("slug", flat=True)) if choice.pk else [],
    }


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
    with transaction.atomic():
        tag = ValueTag.objects.create(slug=slug, name_ja=name_ja.strip(), name_en=name_en.strip(), position=position)
        audit_edit(
            action=Action.TAG_EDIT, target=tag, edit="value.create", target_label=tag.name_ja, after=_value_state(tag)
        )
    return tag


def _value_state(tag: ValueTag) -> dict[str, Any]:
    return {"slug": tag.slug, "name_ja": tag.name_ja, "name_en": tag.name_en}


def value_tag_update(*, value_tag: ValueTag, name_ja: str, name_en: str) -> ValueTag:
    if not name_ja.strip() or not name_en.strip():
        raise ScenarioError(_("Give the value a Japanese and an English name."))
    before = _value_state(value_tag)
    with transaction.atomic():
        value_tag.name_ja, value_tag.name_en = name_ja.strip(), name_en.strip()
        value_tag.save(update_fields=["name_ja", "name_en"])
        audit_edit(
            action=Action.TAG_EDIT,
            target=value_tag,
            edit="value.update",
            target_label=value_tag.name_ja,
            before=before,
            after=_value_state(value_tag),
        )
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
    with transaction.atomic():
        scenario = Scenario.objects.create(
            slug=slug, title=title.strip(), description=description, product=product, created_by=author
        )
        if tags:
            scenario.tags.set(tags)
        audit_edit(
            action=Action.SCENARIO_EDIT,
            target=scenario,
            edit="scenario.create",
            after={"slug": slug, **_scenario_state(scenario)},
            actor=author,
        )
    return scenario


@transaction.atomic
def scenario_update(
    *, scenario: Scenario, title: str, description: str, product: Product | None, tags: list[Tag]
) -> Scenario:
    if not title.strip():
        raise ScenarioError(_("Give the scenario a title."))
    before = _scenario_state(Scenario.objects.get(pk=scenario.pk))
    scenario.title, scenario.description, scenario.product = title.strip(), description, product
    scenario.draft_changed_at = timezone.now()
    scenario.save(update_fields=["title", "description", "product", "draft_changed_at"])
    scenario.tags.set(tags)
    _edited(scenario, edit="scenario.update", before=before, after=_scenario_state(scenario))
    return scenario


@transaction.atomic
def scenario_start_set(*, scenario: Scenario, node: Node) -> Scenario:
    if node.scenario_id != scenario.pk:
        raise ScenarioError(_("Choose a moment of this scenario."))
    old = Scenario.objects.filter(pk=scenario.pk).values_list("start_node__key", flat=True).first()
    scenario.start_node = node
    scenario.draft_changed_at = timezone.now()
    scenario.save(update_fields=["start_node", "draft_changed_at"])
    _edited(scenario, edit="scenario.start", before={"start": old}, after={"start": node.key})
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
    _edited(scenario, edit="moment.create", part=key, after=_node_state(node))
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
    before = _node_state(Node.objects.get(pk=node.pk))
    node.key, node.kind, node.speaker, node.text, node.video = key, kind, speaker, text, video
    node.outcome = outcome if kind == Node.Kind.END else ""
    node.debrief = debrief if kind == Node.Kind.END else ""
    node.save(update_fields=["key", "kind", "speaker", "text", "video", "outcome", "debrief"])
    _edited(node.scenario_id, edit="moment.update", part=key, before=before, after=_node_state(node))
    return node


@transaction.atomic
def node_image_set(*, node: Node, file: Any) -> Node:
    """Attach an uploaded picture to a moment (checked, cleaned of EXIF/GPS, stored by hash)."""
    before = {"image": str(node.image or "")}
    try:
        node.image = image_store(file)
    except ImageError as exc:
        raise ScenarioError(str(exc)) from None
    node.save(update_fields=["image"])
    _edited(node.scenario_id, edit="moment.image", part=node.key, before=before, after={"image": str(node.image)})
    return node


@transaction.atomic
def node_image_clear(*, node: Node) -> Node:
    # The file stays: a published version may still show it.
    before = {"image": str(node.image or "")}
    node.image = ""
    node.save(update_fields=["image"])
    _edited(node.scenario_id, edit="moment.image", part=node.key, before=before, after={"image": ""})
    return node


@transaction.atomic
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
    before = {"question": node.question}
    node.question = question
    node.save(update_fields=["question"])
    _edited(node.scenario_id, edit="moment.question", part=node.key, before=before, after={"question": question})
    return node


@transaction.atomic
def node_delete(*, node: Node) -> None:
    """Delete a moment; choices that led to it now lead nowhere, which validation reports."""
    scenario_id = node.scenario_id
    before = _node_state(node)
    node.delete()
    _edited(scenario_id, edit="moment.delete", part=before["key"], before=before)


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
    _edited(node.scenario_id, edit="choice.create", part=f"{node.key}/{key}", after=_choice_state(choice))
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
    before = _choice_state(Choice.objects.get(pk=choice.pk))
    choice.key, choice.text, choice.next_node, choice.commentary = key, text, next_node, commentary
    choice.commentary_video, choice.score, choice.is_reference = commentary_video, score, is_reference
    choice.save()
    choice.value_tags.set(value_tags or [])
    choice.tags.set(tags or [])
    _single_reference(choice)
    after = _choice_state(choice)
    _edited(choice.node.scenario_id, edit="choice.update", part=f"{after['moment']}/{key}", before=before, after=after)
    return choice


@transaction.atomic
def choice_delete(*, choice: Choice) -> None:
    scenario_id = choice.node.scenario_id
    before = _choice_state(choice)
    choice.delete()
    _edited(scenario_id, edit="choice.delete", part=f"{before['moment']}/{before['key']}", before=before)


@transaction.atomic
def choice_move(*, choice: Choice, direction: int) -> None:
    """Swap a choice with its neighbour in the moment (direction -1 = up, +1 = down)."""
    before = {"position": Choice.objects.get(pk=choice.pk).position}
    if position_swap(Choice.objects.filter(node_id=choice.node_id), pk=choice.pk, direction=direction):
        after = {"position": Choice.objects.get(pk=choice.pk).position}
        part = f"{choice.node.key}/{choice.key}"
        _edited(choice.node.scenario_id, edit="choice.move", part=part, before=before, after=after)


@transaction.atomic
def scenario_reference_from_attempt(*, attempt: Attempt) -> int:
    """Mark, in the draft, the choices of a (coach's) finished attempt as the top rep's; return how many moments.

    Moments or choices that the draft no longer has are skipped. The draft must be published again for reps.
    """
    scenario = attempt.version.scenario
    marked, path = 0, []
    for node_key, choice_key in attempt.path:
        choice = Choice.objects.filter(node__scenario=scenario, node__key=node_key, key=choice_key).first()
        if choice is None:
            continue
        Choice.objects.filter(node_id=choice.node_id).update(is_reference=False)
        Choice.objects.filter(pk=choice.pk).update(is_reference=True)
        marked += 1
        path.append(f"{node_key}/{choice_key}")
    if marked:
        _edited(scenario, edit="reference.from_attempt", after={"attempt": attempt.pk, "reference": path})
    return marked
