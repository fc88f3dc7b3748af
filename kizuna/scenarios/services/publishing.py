"""Writes that make a draft playable: publishing a version, and importing a scenario file."""

import hashlib
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kizuna.catalog.selectors import products_all
from kizuna.catalog.services import topic_tags_ensure
from kizuna.catalog.text_checks import TermCheck, quoted_terms, unexplained_terms, unexplained_terms_check
from kizuna.media.models import Video
from kizuna.ops.trail import Action, audit_record

from ..errors import FormatError, ScenarioError
from ..exchange import (
    SLUG_RE,
    canonical_json,
    parse_text,
    reference_errors,
    scenario_errors,
    scenario_export,
    schema_errors,
    video_keys,
)
from ..models import Choice, Node, Scenario, ScenarioVersion, ValueTag
from ..validation import Code, GraphError, validate_graph

# --- Publishing ------------------------------------------------------------------------------
from .drafts import value_tag_create


def scenario_problems(scenario: Scenario) -> list[GraphError]:
    """Return everything that stops the draft from being published: shape, graph, media and plain-words errors."""
    data = scenario_export(scenario)
    errors = schema_errors(data) + validate_graph(data)
    if not errors:
        errors = reference_errors(data, ready_videos=True)
    return errors + term_errors(data)


def _node_texts(node: dict[str, Any]) -> list[str]:
    """What a rep reads of a moment: its words, check question, debrief, and each choice with its commentary."""
    question = node.get("question") or {}
    texts = [node.get("speaker"), node.get("text"), node.get("debrief"), question.get("text")]
    texts += [*question.get("options", []), question.get("explanation")]
    for choice in node.get("choices") or []:
        texts += [choice.get("text"), choice.get("commentary")]
    return [text for text in texts if isinstance(text, str) and text]


def _term_error(terms: list[str], *, node: str | None = None, path: str = "") -> GraphError:
    message = ngettext(
        "Uses the insider term %(terms)s, which has no plain explanation in the glossary yet.",
        "Uses the insider terms %(terms)s, which have no plain explanation in the glossary yet.",
        len(terms),
    ) % {"terms": quoted_terms(terms)}
    return GraphError(Code.UNEXPLAINED_TERM, message, node=node, path=path, terms=tuple(terms))


def term_errors(data: dict[str, Any], check: TermCheck | None = None) -> list[GraphError]:
    """Return one error per moment (and one for the title and description) using an unexplained insider term."""
    check = check if check is not None else unexplained_terms_check()
    if not check:  # the glossary has no unexplained insider term: nothing to read
        return []
    errors = []
    if terms := unexplained_terms(data.get("title") or "", data.get("description") or "", check=check):
        errors.append(_term_error(terms, path="title"))
    for node in data.get("nodes") or []:
        if terms := unexplained_terms(*_node_texts(node), check=check):
            errors.append(_term_error(terms, node=node.get("key")))
    return errors


def unexplained_in(errors: list[GraphError]) -> list[str]:
    """Return the unexplained insider terms the errors name, each once."""
    return list(dict.fromkeys(term for error in errors for term in error.terms))


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
    audit_record(
        action=Action.CONTENT_PUBLISH,
        actor=publisher,
        target=scenario,
        after={"kind": "scenario", "version": version.number},
    )
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
    assert target is not None  # without a slug argument, scenario_errors requires one in the data
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
    audit_record(  # the principal's content: no organization
        action=Action.SCENARIO_EDIT,
        actor=author,
        target=scenario,
        target_label=scenario.title,
        after={
            "edit": "scenario.replace" if existing is not None else "scenario.import",
            "title": scenario.title,
            "moments": len(nodes),
            "choices": sum(len(item.get("choices") or []) for item in data["nodes"]),
        },
    )
    return scenario
