"""The scenario exchange format (format_version 1, docs/scenario-format.md): export, parsing and schema checks.

One format serves three purposes: files that authors keep in version control
(JSON or YAML), the frozen graph of a published version, and the input of the
graph validation. ``scenario_export`` turns a draft into it; the import itself
(a write) is ``services.scenario_import``.
"""

import json
import re
import uuid
from typing import Any

import yaml
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from .errors import FormatError
from .models import SCORE_MAX, SCORE_MIN, Node, Scenario, ValueTag
from .validation import KIND_END, KIND_MOMENT, OUTCOMES, Code, GraphError, validate_graph

FORMAT_VERSION = 1
# What an import reads at most (README, "Scenarios"): well above any real scenario, well below what would
# exhaust the parsers' recursion or the memory (a YAML "billion laughs" expands aliases exponentially).
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 20  # nesting of lists and mappings; the format itself needs 5
MAX_VALUES = 200_000  # values once YAML aliases are expanded
MAX_NODES = 500
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
SLUG_RE = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
IMAGE_RE = re.compile(r"^[0-9a-f]{64}\.(?:jpg|png|webp)$")
IMAGE_DIR = "scenarios/images/"

TOP_FIELDS = {
    "format_version",
    "slug",
    "title",
    "description",
    "product",
    "topic_tags",
    "value_tags",
    "start",
    "nodes",
}
NODE_FIELDS = {"key", "kind", "speaker", "text", "image", "video", "question", "choices", "outcome", "debrief"}
QUESTION_FIELDS = {"text", "options", "correct", "explanation"}
CHOICE_FIELDS = {
    "key",
    "text",
    "next",
    "score",
    "reference",
    "commentary",
    "commentary_video",
    "value_tags",
    "topic_tags",
}
VALUE_TAG_FIELDS = {"slug", "ja", "en"}


# --- Export ----------------------------------------------------------------------------------


def _node_data(node: Node) -> dict[str, Any]:
    data: dict[str, Any] = {"key": node.key, "kind": node.kind, "speaker": node.speaker, "text": node.text}
    if node.image:
        data["image"] = node.image
    if node.video_id:
        data["video"] = str(node.video.key)
    if node.question:
        data["question"] = {
            "text": node.question.get("text", ""),
            "options": list(node.question.get("options", [])),
            "correct": node.question.get("correct"),
            "explanation": node.question.get("explanation", ""),
        }
    choices = [_choice_data(choice) for choice in node.choices.all()]
    if node.kind == KIND_END:
        data["outcome"] = node.outcome or None
        data["debrief"] = node.debrief
        if choices:
            data["choices"] = choices  # so that validation reports them
    else:
        data["choices"] = choices
    return data


def _choice_data(choice: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": choice.key,
        "text": choice.text,
        "next": choice.next_node.key if choice.next_node_id else None,
        "score": choice.score,
        "reference": choice.is_reference,
        "commentary": choice.commentary,
    }
    if choice.commentary_video_id:
        data["commentary_video"] = str(choice.commentary_video.key)
    data["value_tags"] = [tag.slug for tag in choice.value_tags.all()]
    data["topic_tags"] = sorted(tag.name_ja for tag in choice.tags.all())
    return data


def scenario_export(scenario: Scenario) -> dict[str, Any]:
    """Return the draft in the exchange format (format_version 1), in a fixed order so exports compare equal."""
    nodes = list(
        scenario.nodes.select_related("video").prefetch_related(
            "choices__next_node", "choices__commentary_video", "choices__value_tags", "choices__tags"
        )
    )
    used_value_tags = {}
    for node in nodes:
        for choice in node.choices.all():
            for tag in choice.value_tags.all():
                used_value_tags[tag.slug] = tag
    value_tags = sorted(used_value_tags.values(), key=lambda t: (t.position, t.slug))
    return {
        "format_version": FORMAT_VERSION,
        "slug": scenario.slug,
        "title": scenario.title,
        "description": scenario.description,
        "product": scenario.product.slug if scenario.product_id else None,
        "topic_tags": sorted(tag.name_ja for tag in scenario.tags.all()),
        "value_tags": [{"slug": t.slug, "ja": t.name_ja, "en": t.name_en} for t in value_tags],
        "start": scenario.start_node.key if scenario.start_node_id else None,
        "nodes": [_node_data(node) for node in nodes],
    }


def dump_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def canonical_json(data: dict[str, Any]) -> str:
    """The one spelling of a graph used to tell whether two versions are the same."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- Parsing ---------------------------------------------------------------------------------


def _refused(message: str) -> FormatError:
    return FormatError([GraphError(Code.SCHEMA, message)])


def _too_deep() -> FormatError:
    return _refused(
        _("The file nests lists and fields more than %(max)s levels deep; a scenario needs far fewer.")
        % {"max": MAX_DEPTH}
    )


def _check_json_shape(text: str) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH before the parser recurses into it."""
    depth = 0
    for bracket in _JSON_BRACKETS.findall(_JSON_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            raise _too_deep()


_JSON_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"?')
_JSON_BRACKETS = re.compile(r"[\[\]{}]")


def _check_yaml_shape(text: str) -> None:
    """Refuse YAML nested deeper than MAX_DEPTH or with more than MAX_VALUES values once its aliases are expanded.

    Read as a stream of events (no recursion, nothing built), so a "billion laughs" costs its length, not its
    expansion.
    """
    total = 0
    open_nodes: list[list[Any]] = [[0, None]]  # [height of the subtree so far, anchor] per open list or mapping
    anchors: dict[str, tuple[int, int]] = {}  # anchor → (values, height)
    sizes: list[int] = [0]
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            open_nodes.append([0, event.anchor])
            sizes.append(1)
            total += 1
            if len(open_nodes) - 1 > MAX_DEPTH:
                raise _too_deep()
        elif isinstance(event, yaml.CollectionEndEvent):
            height, anchor = open_nodes.pop()
            size = sizes.pop()
            sizes[-1] += size
            open_nodes[-1][0] = max(open_nodes[-1][0], height + 1)
            if anchor:
                anchors[anchor] = (size, height + 1)
        elif isinstance(event, yaml.ScalarEvent):
            total += 1
            sizes[-1] += 1
            if event.anchor:
                anchors[event.anchor] = (1, 0)
        elif isinstance(event, yaml.AliasEvent):
            size, height = anchors.get(event.anchor or "", (1, 0))
            total += size
            sizes[-1] += size
            open_nodes[-1][0] = max(open_nodes[-1][0], height)
            if len(open_nodes) - 1 + height > MAX_DEPTH:
                raise _too_deep()
        if total > MAX_VALUES:
            raise _refused(
                _("The file has more than %(max)s values (counting what its YAML aliases repeat).")
                % {"max": f"{MAX_VALUES:,}"}
            )


def parse_text(text: str | bytes) -> Any:
    """Read a scenario file, JSON or YAML, told apart by its content; raise FormatError when it is neither.

    Also refused: more than MAX_IMPORT_BYTES, nesting deeper than MAX_DEPTH, and YAML whose aliases expand to
    more than MAX_VALUES values. Nothing here raises anything but FormatError.
    """
    if len(text) > MAX_IMPORT_BYTES:
        raise _refused(_("The file is too large (at most %(mb)s MB).") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _refused(_("The file is not UTF-8 text.")) from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        _check_json_shape(stripped)
        try:
            return json.loads(stripped)
        except (json.JSONDecodeError, RecursionError) as exc:  # RecursionError: not reached below MAX_DEPTH
            message = _("The file is not valid JSON (line %(line)s, column %(column)s): %(error)s") % {
                "line": getattr(exc, "lineno", "?"),
                "column": getattr(exc, "colno", "?"),
                "error": getattr(exc, "msg", str(exc)),
            }
            raise _refused(message) from None
    try:
        _check_yaml_shape(text)
        return yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        message = _("The file is neither valid JSON nor valid YAML (line %(line)s): %(error)s") % {
            "line": line,
            "error": getattr(exc, "problem", None) or str(exc),
        }
        raise _refused(message) from None


# --- Schema ----------------------------------------------------------------------------------


class _Checker:
    def __init__(self) -> None:
        self.errors: list[GraphError] = []

    def error(self, path: str, message: str, code: str = Code.SCHEMA) -> None:
        self.errors.append(GraphError(code, message, path=path))

    def unknown_fields(self, path: str, data: dict[Any, Any], allowed: set[str]) -> None:
        for name in data:
            if name not in allowed:
                self.error(f"{path}.{name}" if path else str(name), _("Unknown field “%(name)s”.") % {"name": name})

    def text(self, path: str, value: Any, *, required: bool = False, max_length: int | None = None) -> None:
        if value is None and not required:
            return
        if not isinstance(value, str):
            self.error(path, _("Write text here."))
        elif required and not value.strip():
            self.error(path, _("This must not be empty."))
        elif "\x00" in value:  # PostgreSQL cannot store it in a text column
            self.error(path, _("Remove the NUL character from this text."))
        elif max_length is not None and len(value) > max_length:
            self.error(path, _("At most %(count)s characters.") % {"count": max_length})

    def key(self, path: str, value: Any, pattern: re.Pattern[str] = KEY_RE) -> None:
        if not isinstance(value, str) or not pattern.match(value):
            self.error(path, _("Use letters a–z, digits, “-” and “_” only (at most 60)."))

    def optional_key(self, path: str, value: Any) -> None:
        if value is not None:
            self.key(path, value)

    def video_key(self, path: str, value: Any) -> None:
        if value is None:
            return
        try:
            uuid.UUID(value)
        except (ValueError, TypeError, AttributeError):
            self.error(path, _("A video is referred to by its key (a UUID)."))

    def strings(self, path: str, value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.error(path, _("Write a list here."))
            return
        for i, item in enumerate(value):
            self.text(f"{path}[{i}]", item, required=True, max_length=100)

    def dicts(self, path: str, value: Any, *, required: bool = False) -> list[tuple[int, dict[str, Any]]]:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.error(path, _("Write a list here."))
            return []
        items = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                items.append((i, item))
            else:
                self.error(f"{path}[{i}]", _("Write a mapping (fields with values) here."))
        return items


def schema_errors(data: Any, *, slug_required: bool = True) -> list[GraphError]:
    """Return every problem of shape (types, fields, ranges) of scenario data, each with its data path."""
    check = _Checker()
    if not isinstance(data, dict):
        check.error("", _("A scenario file is a mapping with format_version, title, start and nodes."))
        return check.errors
    check.unknown_fields("", data, TOP_FIELDS)
    version = data.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        check.error(
            "format_version",
            _("Set format_version to %(version)s (the only version this Kizuna reads).") % {"version": FORMAT_VERSION},
            Code.FORMAT_VERSION,
        )
    if "slug" in data or slug_required:
        check.key("slug", data.get("slug"), SLUG_RE)
    check.text("title", data.get("title"), required=True, max_length=200)
    check.text("description", data.get("description"))
    check.text("product", data.get("product"), max_length=60)
    check.strings("topic_tags", data.get("topic_tags"))
    seen_tags: set[str] = set()
    for i, tag in check.dicts("value_tags", data.get("value_tags")):
        path = f"value_tags[{i}]"
        check.unknown_fields(path, tag, VALUE_TAG_FIELDS)
        check.key(f"{path}.slug", tag.get("slug"))
        if tag.get("slug") in seen_tags:
            check.error(f"{path}.slug", _("This value tag is defined twice."))
        if isinstance(tag.get("slug"), str):
            seen_tags.add(tag["slug"])
        check.text(f"{path}.ja", tag.get("ja"), required=True, max_length=100)
        check.text(f"{path}.en", tag.get("en"), required=True, max_length=100)
    check.optional_key("start", data.get("start"))
    if isinstance(data.get("nodes"), list) and len(data["nodes"]) > MAX_NODES:
        # One import is one transaction: this keeps it short (README, "Scenarios").
        check.error(
            "nodes",
            _("A scenario has at most %(max)s moments; this file has %(count)s.")
            % {"max": MAX_NODES, "count": len(data["nodes"])},
        )
        return check.errors
    for i, node in check.dicts("nodes", data.get("nodes"), required=True):
        _check_node(check, f"nodes[{i}]", node)
    return check.errors


def _check_node(check: _Checker, path: str, node: dict[str, Any]) -> None:
    check.unknown_fields(path, node, NODE_FIELDS)
    check.key(f"{path}.key", node.get("key"))
    kind = node.get("kind")
    if kind not in (KIND_MOMENT, KIND_END):
        check.error(f"{path}.kind", _("The kind is “moment” or “end”."))
    check.text(f"{path}.speaker", node.get("speaker"), max_length=100)
    check.text(f"{path}.text", node.get("text"))
    image = node.get("image")
    if image is not None and (not isinstance(image, str) or not IMAGE_RE.match(image)):
        check.error(f"{path}.image", _("An image is referred to by the name Kizuna gave it when it was uploaded."))
    check.video_key(f"{path}.video", node.get("video"))
    question = node.get("question")
    if question is not None:
        if not isinstance(question, dict):
            check.error(f"{path}.question", _("Write a mapping (fields with values) here."))
        else:
            check.unknown_fields(f"{path}.question", question, QUESTION_FIELDS)
            check.text(f"{path}.question.text", question.get("text"))
            if not isinstance(question.get("options"), list):
                check.error(f"{path}.question.options", _("Write a list here."))
            else:
                for k, option in enumerate(question["options"]):
                    check.text(f"{path}.question.options[{k}]", option, max_length=200)
            check.text(f"{path}.question.explanation", question.get("explanation"))
    if kind == KIND_END:
        outcome = node.get("outcome")
        if outcome is not None and outcome not in OUTCOMES:
            check.error(f"{path}.outcome", _("The outcome is “won”, “next_meeting” or “lost”."))
        check.text(f"{path}.debrief", node.get("debrief"))
    elif kind == KIND_MOMENT:
        for name in ("outcome", "debrief"):
            if node.get(name) not in (None, ""):
                check.error(f"{path}.{name}", _("Only an end has an outcome and a debrief."))
    for j, choice in check.dicts(f"{path}.choices", node.get("choices")):
        _check_choice(check, f"{path}.choices[{j}]", choice)


def _check_choice(check: _Checker, path: str, choice: dict[str, Any]) -> None:
    check.unknown_fields(path, choice, CHOICE_FIELDS)
    check.key(f"{path}.key", choice.get("key"))
    check.text(f"{path}.text", choice.get("text"), required=True)
    check.optional_key(f"{path}.next", choice.get("next"))
    score = choice.get("score", 0)
    if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        check.error(
            f"{path}.score",
            _("The score is a whole number from %(min)s to %(max)s.") % {"min": SCORE_MIN, "max": SCORE_MAX},
        )
    if not isinstance(choice.get("reference", False), bool):
        check.error(f"{path}.reference", _("Write true or false here."))
    check.text(f"{path}.commentary", choice.get("commentary"))
    check.video_key(f"{path}.commentary_video", choice.get("commentary_video"))
    value_tags = choice.get("value_tags")
    if value_tags is not None:
        if not isinstance(value_tags, list):
            check.error(f"{path}.value_tags", _("Write a list here."))
        else:
            for k, tag in enumerate(value_tags):
                check.key(f"{path}.value_tags[{k}]", tag)
    check.strings(f"{path}.topic_tags", choice.get("topic_tags"))


def scenario_errors(data: Any, *, slug_required: bool = True) -> list[GraphError]:
    """Return the schema errors and, where the data has the shape of a graph, the graph errors too."""
    errors = schema_errors(data, slug_required=slug_required)
    if not isinstance(data, dict):
        return errors
    return errors + validate_graph(data)


# --- What the data refers to ----------------------------------------------------------------


def video_keys(data: dict[str, Any]) -> set[str]:
    keys = set()
    for node in data.get("nodes", []):
        if node.get("video"):
            keys.add(node["video"])
        for choice in node.get("choices") or []:
            if choice.get("commentary_video"):
                keys.add(choice["commentary_video"])
    return keys


def reference_errors(data: dict[str, Any], *, ready_videos: bool = False) -> list[GraphError]:
    """Return what schema-valid data refers to but this Kizuna does not have: product, value tags, videos, images."""
    from kizuna.catalog.selectors import products_all
    from kizuna.media.models import Video

    errors: list[GraphError] = []
    product = data.get("product")
    if product and not products_all().filter(slug=product).exists():
        errors.append(
            GraphError(
                Code.UNKNOWN_PRODUCT,
                _("There is no product with the code “%(product)s”.") % {"product": product},
                path="product",
            )
        )
    defined = {tag["slug"] for tag in data.get("value_tags") or []}
    stored = set(ValueTag.objects.values_list("slug", flat=True))
    videos = {str(v.key): v for v in Video.objects.filter(key__in=video_keys(data))}
    for i, node in enumerate(data.get("nodes", [])):
        path = f"nodes[{i}]"
        if node.get("image") and not default_storage.exists(IMAGE_DIR + node["image"]):
            errors.append(
                GraphError(
                    Code.UNKNOWN_IMAGE,
                    _("The image “%(image)s” is not stored here. Upload it in the scenario editor.")
                    % {"image": node["image"]},
                    node=node.get("key"),
                    path=f"{path}.image",
                )
            )
        errors += _video_errors(videos, node.get("video"), f"{path}.video", node.get("key"), None, ready_videos)
        for j, choice in enumerate(node.get("choices") or []):
            cpath = f"{path}.choices[{j}]"
            errors += _video_errors(
                videos,
                choice.get("commentary_video"),
                f"{cpath}.commentary_video",
                node.get("key"),
                choice.get("key"),
                ready_videos,
            )
            for k, tag in enumerate(choice.get("value_tags") or []):
                if tag not in defined and tag not in stored:
                    errors.append(
                        GraphError(
                            Code.UNKNOWN_VALUE_TAG,
                            _("The value tag “%(tag)s” is neither defined in value_tags nor known here.")
                            % {"tag": tag},
                            node=node.get("key"),
                            choice=choice.get("key"),
                            path=f"{cpath}.value_tags[{k}]",
                        )
                    )
    return errors


def _video_errors(
    videos: dict[str, Any], key: str | None, path: str, node: str | None, choice: str | None, ready: bool
) -> list[GraphError]:
    if not key:
        return []
    video = videos.get(str(key))
    if video is None:
        message = _("There is no video with the key “%(key)s”.") % {"key": key}
        return [GraphError(Code.UNKNOWN_VIDEO, message, node=node, choice=choice, path=path)]
    if ready and not video.is_ready:
        message = _("The video “%(title)s” is not ready yet (still processing or failed).") % {"title": str(video)}
        return [GraphError(Code.VIDEO_NOT_READY, message, node=node, choice=choice, path=path)]
    return []
