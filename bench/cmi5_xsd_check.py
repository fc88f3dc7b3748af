"""Check that our cmi5.xml reader refuses everything the cmi5 CourseStructure.xsd refuses.

The course structure import (kizuna/cmi5/structure.py) checks the schema's rules in our own code, so that it can
list every problem in the user's language. This script holds it against the schema itself: every cmi5 course
structure (``cmi5.xml`` or any ``*.xml`` with a ``courseStructure`` root) under the folders given, and variants of
each made by breaking or stretching one schema rule at a time, are validated by lxml against the XSD and read by
our reader. A document the XSD refuses and we accept is a defect (exit 1). A document we refuse and the XSD
accepts is listed with our reasons: those must be the spec's rules beyond the schema (unique ids, IRIs, declared
objectives, AU URLs, the launch's own parameters).

The XSD and the structures are the spec's and are not ours to commit: fetch them (e.g. the conformance test
suite's ``CourseStructure.xsd`` and its test course structures) into a folder of your own.

    .venv/bin/python bench/cmi5_xsd_check.py --xsd CourseStructure.xsd <folder> [<folder> ...] [--json out.json]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
OTHER = "https://example.com/extension"


class _AnyFile(set[str]):
    """Every AU path is in the zip: file presence is the import's rule, not the schema's."""

    def __contains__(self, item: object) -> bool:
        return True


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _first(root, name: str):  # type: ignore[no-untyped-def]
    return next(root.iter(_q(name)), None)


Mutation = Callable[[object], bool]  # changes the tree in place; False when it does not apply


def _mutations() -> dict[str, tuple[bool, Mutation]]:
    """name -> (does the XSD accept the result, change)."""
    from lxml import etree

    def drop_attr(element: str, attr: str) -> Mutation:
        def change(root) -> bool:  # type: ignore[no-untyped-def]
            node = _first(root, element)
            if node is None or attr not in node.attrib:
                return False
            del node.attrib[attr]
            return True

        return change

    def set_attr(element: str, attr: str, value: str) -> Mutation:
        def change(root) -> bool:  # type: ignore[no-untyped-def]
            node = _first(root, element)
            if node is None:
                return False
            node.set(attr, value)
            return True

        return change

    def drop_child(element: str, child: str) -> Mutation:
        def change(root) -> bool:  # type: ignore[no-untyped-def]
            node = _first(root, element)
            found = node.find(_q(child)) if node is not None else None
            if found is None:
                return False
            node.remove(found)
            return True

        return change

    def duplicate_child(element: str, child: str) -> Mutation:
        def change(root) -> bool:  # type: ignore[no-untyped-def]
            node = _first(root, element)
            found = node.find(_q(child)) if node is not None else None
            if found is None:
                return False
            found.addnext(copy.deepcopy(found))
            return True

        return change

    def swap_title_description(root) -> bool:  # type: ignore[no-untyped-def]
        au = _first(root, "au")
        title, description = au.find(_q("title")), au.find(_q("description"))
        au.remove(title)
        description.addnext(title)
        return True

    def append(element: str, make: Callable[[], object], where: str = "end") -> Mutation:
        def change(root) -> bool:  # type: ignore[no-untyped-def]
            node = root if element == "courseStructure" else _first(root, element)
            if node is None:
                return False
            if where == "start":
                node.insert(0, make())
            else:
                node.append(make())
            return True

        return change

    def text_in(element: str) -> Mutation:
        def change(root) -> bool:  # type: ignore[no-untyped-def]
            node = _first(root, element)
            if node is None:
                return False
            node[-1].tail = "stray text"
            return True

        return change

    def no_units(root) -> bool:  # type: ignore[no-untyped-def]
        for child in list(root):
            if child.tag in (_q("au"), _q("block")):
                root.remove(child)
        return True

    def empty_block(root) -> bool:  # type: ignore[no-untyped-def]
        block = _first(root, "block")
        if block is None:
            return False
        for child in list(block):
            if child.tag in (_q("au"), _q("block")):
                block.remove(child)
        return True

    def au_after_block(root) -> bool:  # type: ignore[no-untyped-def]
        units = [c for c in root if c.tag in (_q("au"), _q("block"))]
        blocks = [c for c in units if c.tag == _q("block")]
        aus = [c for c in units if c.tag == _q("au")]
        if not blocks or not aus or units.index(aus[0]) > units.index(blocks[0]):
            return False
        root.remove(aus[0])
        blocks[0].addnext(aus[0])
        return True

    def empty_url(root) -> bool:  # type: ignore[no-untyped-def]
        url = _first(root, "url")
        url.text = ""
        return True

    def objectives_empty(root) -> bool:  # type: ignore[no-untyped-def]
        course = root.find(_q("course"))
        course.addnext(etree.Element(_q("objectives")))
        return True

    def wrong_root(root) -> bool:  # type: ignore[no-untyped-def]
        root.tag = _q("course")
        return True

    def other_ns_root(root) -> bool:  # type: ignore[no-untyped-def]
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag.startswith(f"{{{NS}}}"):
                element.tag = "{https://example.com/not-cmi5}" + element.tag.split("}", 1)[1]
        return True

    def declared_objective_reordered(root) -> bool:  # type: ignore[no-untyped-def]
        declared = root.find(_q("objectives"))
        objective = declared.find(_q("objective")) if declared is not None else None
        if objective is None:
            return False
        objective.append(objective.find(_q("title")))  # xs:all: description first is fine
        return True

    def referenced_objective(make: Callable[[object], None]) -> Mutation:
        def change(root) -> bool:  # type: ignore[no-untyped-def]
            for unit in (*root.iter(_q("au")), *root.iter(_q("block"))):
                held = unit.find(_q("objectives"))
                if held is not None and held.find(_q("objective")) is not None:
                    make(held.find(_q("objective")))
                    return True
            return False

        return change

    def before_url(root) -> bool:  # type: ignore[no-untyped-def]
        _first(root, "url").addprevious(etree.Element(f"{{{OTHER}}}duration"))
        return True

    def in_declared_objective(root) -> bool:  # type: ignore[no-untyped-def]
        declared = root.find(_q("objectives"))
        objective = declared.find(_q("objective")) if declared is not None else None
        if objective is None:
            return False
        objective.append(etree.Element(f"{{{OTHER}}}note"))
        return True

    def put_text(node) -> None:  # type: ignore[no-untyped-def]
        node.text = "stray text"

    def put_element(node) -> None:  # type: ignore[no-untyped-def]
        node.append(etree.Element(_q("title")))

    return {
        "declared objective: description before title": (True, declared_objective_reordered),
        "referenced objective holding text": (False, referenced_objective(put_text)),
        "referenced objective holding an element": (False, referenced_objective(put_element)),
        "course without id": (False, drop_attr("course", "id")),
        "AU without id": (False, drop_attr("au", "id")),
        "AU without title": (False, drop_child("au", "title")),
        "AU without url": (False, drop_child("au", "url")),
        "AU url empty": (False, empty_url),
        "AU url twice": (False, duplicate_child("au", "url")),
        "AU description before title": (False, swap_title_description),
        "course without description": (False, drop_child("course", "description")),
        "moveOn not in the list": (False, set_attr("au", "moveOn", "Finished")),
        "moveOn lower case": (False, set_attr("au", "moveOn", "passed")),
        "masteryScore above 1": (False, set_attr("au", "masteryScore", "1.5")),
        "masteryScore below 0": (False, set_attr("au", "masteryScore", "-0.1")),
        "masteryScore not a number": (False, set_attr("au", "masteryScore", "high")),
        "masteryScore 1": (True, set_attr("au", "masteryScore", "1")),
        "masteryScore 0": (True, set_attr("au", "masteryScore", "0")),
        "launchMethod not in the list": (False, set_attr("au", "launchMethod", "NewWindow")),
        "unknown attribute on AU": (False, set_attr("au", "weight", "2")),
        "extension attribute on AU": (True, set_attr("au", f"{{{OTHER}}}weight", "2")),
        "unknown cmi5 element in AU": (False, append("au", lambda: etree.Element(_q("duration")))),
        "extension element in AU": (True, append("au", lambda: etree.Element(f"{{{OTHER}}}duration"))),
        "extension element before the AU's url": (False, before_url),
        "extension element in a declared objective": (False, in_declared_objective),
        "extension element in course": (True, append("course", lambda: etree.Element(f"{{{OTHER}}}note"))),
        "text inside AU": (False, text_in("au")),
        "no AU and no block": (False, no_units),
        "block without AU or block": (False, empty_block),
        "AU after a block": (True, au_after_block),
        "objectives with no objective": (False, objectives_empty),
        "second course": (False, duplicate_child("courseStructure", "course")),
        "root is not courseStructure": (False, wrong_root),
        "not the cmi5 namespace": (False, other_ns_root),
        "langstring with a bad lang": (False, set_attr("langstring", "lang", "not a language")),
        "AU in a langstring": (False, append("langstring", lambda: etree.Element(_q("au")))),
    }


def _structures(folders: list[Path]) -> Iterator[tuple[str, bytes]]:
    for folder in folders:
        for path in sorted(folder.rglob("*.xml")):
            data = path.read_bytes()
            if b"courseStructure" in data[:2000]:
                yield str(path.relative_to(folder)), data


def check(xsd: Path, folders: list[Path]) -> list[dict[str, object]]:
    from django.utils import translation
    from lxml import etree

    from kizuna.cmi5.structure import StructureProblems, structure_read

    schema = etree.XMLSchema(etree.parse(str(xsd)))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    mutations = _mutations()
    rows: list[dict[str, object]] = []
    translation.activate("en")

    def judge(name: str, variant: str, data: bytes, expected: bool | None) -> None:
        try:
            xsd_ok = schema.validate(etree.fromstring(data, parser))
        except etree.XMLSyntaxError:
            xsd_ok = False
        try:
            structure_read(data, files=_AnyFile())
            ours, reasons = True, []
        except StructureProblems as exc:
            ours, reasons = False, exc.problems
        if not xsd_ok and ours:
            outcome = "DEFECT: XSD refuses, we accept"
        elif xsd_ok and not ours:
            outcome = "we refuse beyond the XSD"
        else:
            outcome = "agree"
        if expected is not None and expected != xsd_ok:
            outcome += " (mutation did not do what it meant)"
        rows.append(
            {
                "file": name,
                "variant": variant,
                "xsd": "valid" if xsd_ok else "invalid",
                "ours": "accepted" if ours else "refused",
                "outcome": outcome,
                "reasons": reasons[:3],
                "xsd_error": "" if xsd_ok else str(schema.error_log.last_error or "")[:200],
            }
        )

    for name, data in _structures(folders):
        judge(name, "as is", data, None)
        try:
            base = etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            continue
        if not schema.validate(base):
            continue  # variants of an invalid document say nothing new
        for variant, (expected, change) in mutations.items():
            root = copy.deepcopy(base)
            if change(root):
                judge(name, variant, etree.tostring(root, xml_declaration=True, encoding="utf-8"), expected)
        if b"</au>" in data:  # an element of no namespace (lxml would serialise it into the default one)
            judge(name, "element of no namespace in AU", data.replace(b"</au>", b'<duration xmlns=""/></au>', 1), False)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xsd", type=Path, required=True)
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--json", type=Path, help="also write every row as JSON here")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    import django

    django.setup()
    rows = check(args.xsd, args.folders)
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row["outcome"])] = counts.get(str(row["outcome"]), 0) + 1
        if row["outcome"] != "agree":
            print(f"{row['file']} [{row['variant']}]: {row['outcome']}")
            print(f"    XSD: {row['xsd_error'] or 'valid'}")
            print(f"    ours: {' | '.join(map(str, row['reasons'])) or 'accepted'}")
    print(f"{len(rows)} documents: " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())))
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2))
    if any(str(row["outcome"]).startswith("DEFECT") or "did not do" in str(row["outcome"]) for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
