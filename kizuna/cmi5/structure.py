"""Reading a cmi5 course structure (cmi5.xml) and checking it: the course structure schema of the cmi5
specification (CourseStructure.xsd: elements, their order and counts, required attributes, the moveOn and
launchMethod vocabularies, masteryScore 0…1) and its semantic rules (unique ids, objective references, AU
URLs inside the zip or fully qualified), every problem listed in the user's language. Nothing is stored here.

The XML is parsed by lxml with no DTD, no entities and no network; a document with a DOCTYPE is refused.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.utils.translation import gettext as _
from lxml import etree

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
MAX_XML_BYTES = 5 * 1024 * 1024
MAX_NODES = 5000  # AUs and blocks together (the spec asks LMSs to take more than 1000 AUs)
MAX_DEPTH = 20
MAX_PROBLEMS = 200
MOVE_ON = ("NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed")
LAUNCH_METHODS = ("AnyWindow", "OwnWindow")
LANGUAGE_PREFERENCE = ("ja", "en")
# Characters RFC 3986 never allows in a URI (xs:anyURI as cmi5.xml types <url>), besides spaces and controls.
_NOT_IN_URLS = frozenset('<>"{}|\\^`')
# xs:language, as the schema types <langstring lang>.
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")
# The names the LMS puts in the launch URL (cmi5 8.1): an AU's own query may not use them.
LAUNCH_PARAMETERS = ("endpoint", "fetch", "actor", "registration", "activityId")


@dataclass
class BlockSpec:
    publisher_id: str
    title: str
    description: str
    depth: int
    parent: int | None  # index into StructureSpec.nodes


@dataclass
class AuSpec:
    publisher_id: str
    title: str
    description: str
    depth: int
    parent: int | None
    url: str
    move_on: str = "NotApplicable"
    mastery_score: Decimal | None = None
    launch_method: str = "AnyWindow"
    launch_parameters: str = ""
    entitlement_key: str = ""
    activity_type: str = ""


@dataclass
class StructureSpec:
    publisher_id: str
    title: str
    description: str
    # Blocks and AUs in document order.
    nodes: list[BlockSpec | AuSpec] = field(default_factory=list)

    @property
    def aus(self) -> list[AuSpec]:
        return [n for n in self.nodes if isinstance(n, AuSpec)]


class StructureProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def _tag(element: Any) -> tuple[str, str]:
    qname = etree.QName(element)
    return qname.namespace or "", qname.localname


def _is_ours(element: Any) -> bool:
    return _tag(element)[0] == NS


def _is_iri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and ":" in value and not any(c.isspace() for c in value)


class _Reader:
    def __init__(self, files: set[str] | None) -> None:
        self.files = files  # None: a standalone cmi5.xml (every AU URL must be fully qualified)
        self.problems: list[str] = []
        self.ids: dict[str, str] = {}
        self.objectives: set[str] = set()
        self.references: list[tuple[str, str]] = []

    def problem(self, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(message)

    def where(self, element: Any) -> str:
        return _("line %(line)s") % {"line": element.sourceline or "?"}

    def attributes(self, element: Any, allowed: set[str]) -> dict[str, str]:
        """Our own attributes, whitespace trimmed; attributes of other namespaces are extensions and ignored."""
        found = {}
        for name, value in element.attrib.items():
            qname = etree.QName(name)
            if qname.namespace:
                continue
            if qname.localname not in allowed:
                self.problem(
                    _("%(where)s: <%(element)s> has no attribute “%(name)s”.")
                    % {"where": self.where(element), "element": _tag(element)[1], "name": qname.localname}
                )
                continue
            found[qname.localname] = value.strip()
        return found

    def elements_only(self, element: Any) -> None:
        """An element of the schema's element-only content holds no text of its own, only whitespace."""
        texts = [element.text, *(child.tail for child in element)]
        if any(text and text.strip() for text in texts):
            self.problem(
                _("%(where)s: <%(element)s> may hold elements only, not text.")
                % {"where": self.where(element), "element": _tag(element)[1]}
            )

    def sequence(
        self, element: Any, expected: list[tuple[str, int, int | None]], *, any_order: bool = False
    ) -> dict[str, list[Any]]:
        """Check the element's children in our namespace against (name, min, max) in order (in any order for the
        schema's xs:all); children of other namespaces are extensions, children of no namespace are refused."""
        self.elements_only(element)
        children = [c for c in element if isinstance(c.tag, str)]
        got: dict[str, list[Any]] = {name: [] for name, _lo, _hi in expected}
        slot = {name: i for i, (name, _lo, _hi) in enumerate(expected)}
        if "au" in slot and "block" in slot:  # one xs:choice of AUs and blocks, in any mix
            slot["block"] = slot["au"]
        last = -1
        extension = False
        for child in children:
            if not _is_ours(child):
                if not _tag(child)[0] or any_order:  # no namespace; or xs:all, which takes no extension
                    self.problem(
                        _("%(where)s: <%(child)s> is not allowed in <%(parent)s>.")
                        % {"where": self.where(child), "child": _tag(child)[1], "parent": _tag(element)[1]}
                    )
                extension = True
                continue
            name = _tag(child)[1]
            if extension and name in got:
                self.problem(
                    _("%(where)s: <%(child)s> comes after an extension element in <%(parent)s>; extensions go last.")
                    % {"where": self.where(child), "child": name, "parent": _tag(element)[1]}
                )
            if name not in got:
                self.problem(
                    _("%(where)s: <%(child)s> is not allowed in <%(parent)s>.")
                    % {"where": self.where(child), "child": name, "parent": _tag(element)[1]}
                )
                continue
            index = slot[name]
            if index < last and not any_order:
                self.problem(
                    _("%(where)s: <%(child)s> is out of order in <%(parent)s>.")
                    % {"where": self.where(child), "child": name, "parent": _tag(element)[1]}
                )
            last = max(last, index)
            got[name].append(child)
        for name, low, high in expected:
            count = len(got[name])
            if count < low:
                self.problem(
                    _("%(where)s: <%(parent)s> needs <%(child)s>.")
                    % {"where": self.where(element), "parent": _tag(element)[1], "child": name}
                )
            elif high is not None and count > high:
                self.problem(
                    _("%(where)s: <%(parent)s> may have only one <%(child)s>.")
                    % {"where": self.where(element), "parent": _tag(element)[1], "child": name}
                )
        return got

    def text(self, holders: list[Any]) -> str:
        """A textType (title, description): one or more <langstring>; the Japanese one, else English, else the first."""
        if not holders:
            return ""
        holder = holders[0]
        strings = self.sequence(holder, [("langstring", 1, None)])["langstring"]
        by_lang: dict[str, str] = {}
        first = ""
        for string in strings:
            lang_attr = self.attributes(string, {"lang"}).get("lang")
            if lang_attr is not None and not _LANGUAGE.fullmatch(lang_attr):
                self.problem(
                    _("%(where)s: lang “%(value)s” is not a language tag (such as ja or en-US).")
                    % {"where": self.where(string), "value": lang_attr[:40]}
                )
            if len([c for c in string if isinstance(c.tag, str)]):
                self.problem(_("%(where)s: <langstring> holds text only.") % {"where": self.where(string)})
            value = " ".join((string.text or "").split())
            lang = (string.get("lang") or "").strip().lower().split("-")[0]
            first = first or value
            by_lang.setdefault(lang, value)
        for lang in LANGUAGE_PREFERENCE:
            if by_lang.get(lang):
                return by_lang[lang]
        return first

    def identify(self, element: Any, attrs: dict[str, str]) -> str:
        value = attrs.get("id", "")
        name = _tag(element)[1]
        if not value:
            self.problem(
                _("%(where)s: <%(element)s> needs an id (an IRI).") % {"where": self.where(element), "element": name}
            )
            return ""
        if not _is_iri(value):
            self.problem(
                _("%(where)s: the id “%(id)s” of <%(element)s> is not an IRI.")
                % {"where": self.where(element), "id": value[:200], "element": name}
            )
        if value in self.ids:
            self.problem(
                _("%(where)s: the id “%(id)s” is used twice (first at %(first)s).")
                % {"where": self.where(element), "id": value[:200], "first": self.ids[value]}
            )
        else:
            self.ids[value] = self.where(element)
        return value

    def objectives_declared(self, element: Any) -> None:
        got = self.sequence(element, [("objective", 1, None)])
        for objective in got["objective"]:
            attrs = self.attributes(objective, {"id"})
            self.sequence(objective, [("title", 1, 1), ("description", 1, 1)], any_order=True)
            value = self.identify(objective, attrs)
            if value:
                self.objectives.add(value)

    def objectives_referenced(self, element: Any) -> None:
        got = self.sequence(element, [("objective", 1, None)])
        for objective in got["objective"]:
            attrs = self.attributes(objective, {"idref"})
            if any(isinstance(c.tag, str) for c in objective) or (objective.text or "").strip():
                self.problem(
                    _("%(where)s: <objective idref> holds nothing; it only names an objective.")
                    % {"where": self.where(objective)}
                )
            if not attrs.get("idref"):
                self.problem(_("%(where)s: <objective> needs an idref.") % {"where": self.where(objective)})
            else:
                self.references.append((attrs["idref"], self.where(objective)))

    def mastery(self, element: Any, value: str | None) -> Decimal | None:
        if value is None:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or not Decimal(0) <= number <= Decimal(1):
            self.problem(
                _("%(where)s: masteryScore “%(value)s” is not a decimal from 0 to 1.")
                % {"where": self.where(element), "value": value[:40]}
            )
            return None
        if number != number.quantize(Decimal("0.0001")):
            self.problem(
                _("%(where)s: masteryScore “%(value)s” has more than 4 decimal places.")
                % {"where": self.where(element), "value": value[:40]}
            )
            return None
        return number

    def url(self, element: Any, holder: list[Any]) -> str:
        if not holder:
            return ""
        value = (holder[0].text or "").strip()
        if not value:
            self.problem(_("%(where)s: the AU's <url> is empty.") % {"where": self.where(holder[0])})
            return ""
        if any(ch.isspace() or ch in _NOT_IN_URLS or ord(ch) < 32 for ch in value):
            self.problem(
                _("%(where)s: the AU's URL “%(url)s” is not a valid URL (a space or a character URLs may not have).")
                % {"where": self.where(holder[0]), "url": value[:200]}
            )
            return value
        parts = urlsplit(value)
        taken = sorted({name for name, _v in parse_qsl(parts.query, keep_blank_values=True)} & set(LAUNCH_PARAMETERS))
        if taken:
            self.problem(
                _("%(where)s: the AU's URL “%(url)s” has query parameters the launch adds itself: %(names)s.")
                % {"where": self.where(holder[0]), "url": value[:200], "names": ", ".join(taken)}
            )
        if parts.scheme:
            if parts.scheme not in ("http", "https") or not parts.netloc:
                self.problem(
                    _("%(where)s: the AU's URL “%(url)s” is neither a path in the zip nor an http(s) address.")
                    % {"where": self.where(holder[0]), "url": value[:200]}
                )
            return value
        if self.files is None:
            self.problem(
                _("%(where)s: the AU's URL “%(url)s” is relative; a cmi5.xml without a zip needs full addresses.")
                % {"where": self.where(holder[0]), "url": value[:200]}
            )
            return value
        from kizuna.packages.importing import safe_path

        path = safe_path(parts.path)
        if path is None or parts.netloc:
            self.problem(
                _("%(where)s: the AU's URL “%(url)s” leaves the package.")
                % {"where": self.where(holder[0]), "url": value[:200]}
            )
        elif path not in self.files:
            self.problem(
                _("%(where)s: the AU's launch file “%(url)s” is not in the zip.")
                % {"where": self.where(holder[0]), "url": path[:200]}
            )
        else:
            value = path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        return value

    def au(self, element: Any, spec: StructureSpec, depth: int, parent: int | None) -> None:
        attrs = self.attributes(element, {"id", "moveOn", "masteryScore", "launchMethod", "activityType"})
        got = self.sequence(
            element,
            [
                ("title", 1, 1),
                ("description", 1, 1),
                ("objectives", 0, 1),
                ("url", 1, 1),
                ("launchParameters", 0, 1),
                ("entitlementKey", 0, 1),
            ],
        )
        move_on = attrs.get("moveOn", "NotApplicable")
        if move_on not in MOVE_ON:
            self.problem(
                _("%(where)s: moveOn “%(value)s” is not one of %(allowed)s.")
                % {"where": self.where(element), "value": move_on[:40], "allowed": ", ".join(MOVE_ON)}
            )
        method = attrs.get("launchMethod", "AnyWindow")
        if method not in LAUNCH_METHODS:
            self.problem(
                _("%(where)s: launchMethod “%(value)s” is not AnyWindow or OwnWindow.")
                % {"where": self.where(element), "value": method[:40]}
            )
        if got["objectives"]:
            self.objectives_referenced(got["objectives"][0])
        spec.nodes.append(
            AuSpec(
                publisher_id=self.identify(element, attrs),
                title=self.text(got["title"])[:200],
                description=self.text(got["description"]),
                depth=depth,
                parent=parent,
                url=self.url(element, got["url"]),
                move_on=move_on,
                mastery_score=self.mastery(element, attrs.get("masteryScore")),
                launch_method=method,
                launch_parameters=(got["launchParameters"][0].text or "").strip() if got["launchParameters"] else "",
                entitlement_key=(got["entitlementKey"][0].text or "").strip() if got["entitlementKey"] else "",
                activity_type=attrs.get("activityType", "")[:1000],
            )
        )

    def items(
        self, element: Any, got: dict[str, list[Any]], spec: StructureSpec, depth: int, parent: int | None
    ) -> None:
        if depth > MAX_DEPTH:
            self.problem(
                _("%(where)s: blocks are nested more than %(max)s deep.")
                % {"where": self.where(element), "max": MAX_DEPTH}
            )
            return
        children = [c for c in element if isinstance(c.tag, str) and _is_ours(c) and _tag(c)[1] in ("au", "block")]
        if not children:
            self.problem(
                _("%(where)s: <%(element)s> holds no AU and no block.")
                % {"where": self.where(element), "element": _tag(element)[1]}
            )
        for child in children:
            if len(spec.nodes) >= MAX_NODES:
                self.problem(_("The course has more than %(max)s AUs and blocks.") % {"max": MAX_NODES})
                return
            if _tag(child)[1] == "au":
                self.au(child, spec, depth, parent)
            else:
                self.block(child, spec, depth, parent)

    def block(self, element: Any, spec: StructureSpec, depth: int, parent: int | None) -> None:
        attrs = self.attributes(element, {"id"})
        got = self.sequence(
            element,
            [("title", 1, 1), ("description", 1, 1), ("objectives", 0, 1), ("au", 0, None), ("block", 0, None)],
        )
        if got["objectives"]:
            self.objectives_referenced(got["objectives"][0])
        spec.nodes.append(
            BlockSpec(
                publisher_id=self.identify(element, attrs),
                title=self.text(got["title"])[:200],
                description=self.text(got["description"]),
                depth=depth,
                parent=parent,
            )
        )
        self.items(element, got, spec, depth + 1, len(spec.nodes) - 1)


def structure_read(data: bytes, *, files: set[str] | None) -> StructureSpec:
    """Parse and check a cmi5.xml; ``files`` are the zip's paths (None for a cmi5.xml uploaded alone)."""
    if len(data) > MAX_XML_BYTES:
        raise StructureProblems([_("cmi5.xml is larger than %(max)s MB.") % {"max": MAX_XML_BYTES // (1024 * 1024)}])
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise StructureProblems([_("cmi5.xml is not valid XML: %(error)s") % {"error": exc}]) from None
    if root.getroottree().docinfo.doctype:
        raise StructureProblems([_("cmi5.xml may not have a DOCTYPE.")])
    if _tag(root) != (NS, "courseStructure"):
        raise StructureProblems(
            [_("cmi5.xml is not a cmi5 course structure (its root is not <courseStructure> in %(ns)s).") % {"ns": NS}]
        )
    reader = _Reader(files)
    reader.attributes(root, set())
    got = reader.sequence(root, [("course", 1, 1), ("objectives", 0, 1), ("au", 0, None), ("block", 0, None)])
    spec = StructureSpec(publisher_id="", title="", description="")
    if got["course"]:
        course = got["course"][0]
        attrs = reader.attributes(course, {"id"})
        parts = reader.sequence(course, [("title", 1, 1), ("description", 1, 1)])
        spec.publisher_id = reader.identify(course, attrs)
        spec.title = reader.text(parts["title"])[:200]
        spec.description = reader.text(parts["description"])
    if got["objectives"]:
        reader.objectives_declared(got["objectives"][0])
    reader.items(root, got, spec, 0, None)
    for idref, where in reader.references:
        if idref not in reader.objectives:
            reader.problem(
                _("%(where)s: the objective “%(id)s” is not declared in the course's <objectives>.")
                % {"where": where, "id": idref[:200]}
            )
    if not spec.aus and not reader.problems:
        reader.problem(_("The course has no AU."))
    if reader.problems:
        raise StructureProblems(reader.problems)
    spec.title = spec.title or spec.publisher_id[:200]
    return spec
