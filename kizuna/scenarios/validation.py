"""Graph validation of a scenario, as pure functions over the exchange format's data.

The same code checks a draft (through its export), an import and the property
tests' random graphs. It never raises on odd input: whatever it cannot read it
skips, because the schema check (exchange.schema_errors) reports that part.
Messages are in the active language, so call it inside the user's request.
"""

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

KIND_MOMENT = "moment"
KIND_END = "end"
OUTCOMES = ("won", "next_meeting", "lost")


class Code(StrEnum):
    SCHEMA = "schema"
    FORMAT_VERSION = "format_version"
    DUPLICATE_NODE = "duplicate_node"
    START_MISSING = "start_missing"
    START_UNKNOWN = "start_unknown"
    START_IS_END = "start_is_end"
    DUPLICATE_CHOICE = "duplicate_choice"
    CHOICE_NO_NEXT = "choice_no_next"
    CHOICE_UNKNOWN_NEXT = "choice_unknown_next"
    TOO_FEW_CHOICES = "too_few_choices"
    END_HAS_CHOICES = "end_has_choices"
    END_WITHOUT_OUTCOME = "end_without_outcome"
    UNREACHABLE = "unreachable"
    NO_END_REACHABLE = "no_end_reachable"
    MULTIPLE_REFERENCES = "multiple_references"
    # The optional check question of a moment (an embedded micro-question).
    QUESTION_TEXT = "question_text"
    QUESTION_OPTIONS = "question_options"
    QUESTION_CORRECT = "question_correct"
    QUESTION_ON_END = "question_on_end"
    # Found when importing or publishing, against what is stored (exchange.reference_errors).
    SLUG_TAKEN = "slug_taken"
    UNKNOWN_PRODUCT = "unknown_product"
    UNKNOWN_VALUE_TAG = "unknown_value_tag"
    UNKNOWN_VIDEO = "unknown_video"
    VIDEO_NOT_READY = "video_not_ready"
    UNKNOWN_IMAGE = "unknown_image"
    # Plain words: an insider term the glossary does not explain (catalog.text_checks), found when publishing.
    UNEXPLAINED_TERM = "unexplained_term"


@dataclass(frozen=True)
class GraphError:
    """One problem: a stable code, the node/choice (keys) or data path it concerns, and a message to show."""

    code: str
    message: str
    node: str | None = None
    choice: str | None = None
    path: str = ""
    terms: tuple[str, ...] = ()  # UNEXPLAINED_TERM: the insider terms it names

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def graph_edges(data: dict[str, Any]) -> dict[str, list[str]]:
    """Return {node key: [next node keys of its choices that exist]} for every node (first of duplicate keys)."""
    nodes: dict[str, dict[str, Any]] = {}
    for _i, node in _dicts(data.get("nodes")):
        key = _str(node.get("key"))
        if key is not None and key not in nodes:
            nodes[key] = node
    edges: dict[str, list[str]] = {}
    for key, node in nodes.items():
        targets: list[str] = []
        if node.get("kind") != KIND_END:
            for _j, choice in _dicts(node.get("choices")):
                target = _str(choice.get("next"))
                if target is not None and target in nodes:
                    targets.append(target)
        edges[key] = targets
    return edges


def _reach(starts: Iterable[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for target in edges.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def validate_graph(data: Any) -> list[GraphError]:
    """Return every graph error of a scenario in the exchange format (an empty list when it may be published)."""
    if not isinstance(data, dict):
        return []
    errors: list[GraphError] = []
    nodes: dict[str, dict[str, Any]] = {}
    for i, node in _dicts(data.get("nodes")):
        key = _str(node.get("key"))
        if key is None:
            continue
        if key in nodes:
            errors.append(
                GraphError(
                    Code.DUPLICATE_NODE,
                    _("The key “%(node)s” is used by more than one moment. Give each moment its own key.")
                    % {"node": key},
                    node=key,
                    path=f"nodes[{i}].key",
                )
            )
            continue
        nodes[key] = node

    start = _str(data.get("start"))
    if start is None:
        errors.append(GraphError(Code.START_MISSING, _("Choose the moment the scenario starts with."), path="start"))
    elif start not in nodes:
        errors.append(
            GraphError(
                Code.START_UNKNOWN,
                _("The scenario starts with “%(node)s”, but there is no moment with that key.") % {"node": start},
                node=start,
                path="start",
            )
        )
    elif nodes[start].get("kind") == KIND_END:
        errors.append(
            GraphError(
                Code.START_IS_END,
                _("The scenario starts with the end “%(node)s”. Start with a moment that offers choices.")
                % {"node": start},
                node=start,
                path="start",
            )
        )

    for key, node in nodes.items():
        errors += _node_errors(key, node, nodes)

    edges = graph_edges(data)
    if start is not None and start in nodes:
        reachable = _reach([start], edges)
        for key in nodes:
            if key not in reachable:
                errors.append(
                    GraphError(
                        Code.UNREACHABLE,
                        _("No path from the start leads to “%(node)s”, so nobody will see it. Link to it or delete it.")
                        % {"node": key},
                        node=key,
                    )
                )
    reverse: dict[str, list[str]] = {key: [] for key in nodes}
    for source, targets in edges.items():
        for target in targets:
            reverse[target].append(source)
    ends = [key for key, node in nodes.items() if node.get("kind") == KIND_END]
    can_end = _reach(ends, reverse)
    for key in nodes:
        if key not in can_end:
            errors.append(
                GraphError(
                    Code.NO_END_REACHABLE,
                    _(
                        "From “%(node)s” no path reaches an end (a dead end, or a loop without a way out). "
                        "Add a choice that leads towards an end."
                    )
                    % {"node": key},
                    node=key,
                )
            )
    return errors


QUESTION_MIN_OPTIONS = 2
QUESTION_MAX_OPTIONS = 4


def question_errors(question: Any, *, node: str | None = None, path: str = "question") -> list[GraphError]:
    """Return the problems of a moment's check question ({text, options, correct, explanation})."""
    if not isinstance(question, dict):
        return []
    errors: list[GraphError] = []
    text = question.get("text")
    if not isinstance(text, str) or not text.strip():
        errors.append(GraphError(Code.QUESTION_TEXT, _("Write the check question."), node=node, path=f"{path}.text"))
    options = question.get("options")
    count = len(options) if isinstance(options, list) else 0
    if not QUESTION_MIN_OPTIONS <= count <= QUESTION_MAX_OPTIONS or not all(
        isinstance(o, str) and o.strip() for o in options or []
    ):
        errors.append(
            GraphError(
                Code.QUESTION_OPTIONS,
                _("A check question has 2 to 4 answers, none of them empty (it has %(count)s).") % {"count": count},
                node=node,
                path=f"{path}.options",
            )
        )
    correct = question.get("correct")
    if isinstance(correct, bool) or not isinstance(correct, int) or not 0 <= correct < count:
        errors.append(
            GraphError(
                Code.QUESTION_CORRECT,
                _("Mark which answer of the check question is correct."),
                node=node,
                path=f"{path}.correct",
            )
        )
    return errors


def _node_errors(key: str, node: dict[str, Any], nodes: dict[str, dict[str, Any]]) -> list[GraphError]:
    errors: list[GraphError] = []
    choices = _dicts(node.get("choices"))
    question = node.get("question")
    if node.get("kind") == KIND_END and question not in (None, {}):
        errors.append(
            GraphError(
                Code.QUESTION_ON_END,
                _("The end “%(node)s” has a check question. Only a moment may have one.") % {"node": key},
                node=key,
            )
        )
    elif question is not None:
        errors += question_errors(question, node=key)
    if node.get("kind") == KIND_END:
        if choices:
            errors.append(
                GraphError(
                    Code.END_HAS_CHOICES,
                    _("The end “%(node)s” has choices. An end has none: remove them or make it a moment.")
                    % {"node": key},
                    node=key,
                )
            )
        if node.get("outcome") not in OUTCOMES:
            errors.append(
                GraphError(
                    Code.END_WITHOUT_OUTCOME,
                    _("The end “%(node)s” has no outcome. Choose won the deal, next meeting or lost the customer.")
                    % {"node": key},
                    node=key,
                )
            )
        return errors
    if len(choices) < 2:
        errors.append(
            GraphError(
                Code.TOO_FEW_CHOICES,
                _("The moment “%(node)s” needs at least two choices (it has %(count)s).")
                % {"node": key, "count": len(choices)},
                node=key,
            )
        )
    seen: set[str] = set()
    references = 0
    for _j, choice in choices:
        choice_key = _str(choice.get("key"))
        if choice_key is not None and choice_key in seen:
            errors.append(
                GraphError(
                    Code.DUPLICATE_CHOICE,
                    _("Two choices at “%(node)s” use the key “%(choice)s”.") % {"node": key, "choice": choice_key},
                    node=key,
                    choice=choice_key,
                )
            )
        if choice_key is not None:
            seen.add(choice_key)
        label = choice_key or "?"
        target = _str(choice.get("next"))
        if target is None:
            errors.append(
                GraphError(
                    Code.CHOICE_NO_NEXT,
                    _("The choice “%(choice)s” at “%(node)s” leads nowhere. Choose the moment it leads to.")
                    % {"node": key, "choice": label},
                    node=key,
                    choice=choice_key,
                )
            )
        elif target not in nodes:
            errors.append(
                GraphError(
                    Code.CHOICE_UNKNOWN_NEXT,
                    _("The choice “%(choice)s” at “%(node)s” leads to “%(next)s”, which does not exist.")
                    % {"node": key, "choice": label, "next": target},
                    node=key,
                    choice=choice_key,
                )
            )
        if choice.get("reference") is True:
            references += 1
    if references > 1:
        errors.append(
            GraphError(
                Code.MULTIPLE_REFERENCES,
                _("“%(node)s” has %(count)s top rep's choices. Mark at most one.") % {"node": key, "count": references},
                node=key,
            )
        )
    return errors
