"""Reading a rep's page as glossary.js does: the terms the page hands its script, and its data-glossary blocks."""

import json
import re
from html.parser import HTMLParser
from typing import Any

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def sheet_terms(html: str) -> dict[str, str]:
    """{term: explanation} of the glossary terms the page hands glossary.js (empty without a sheet)."""
    found = re.search(r'<script id="glossary-terms" type="application/json">(.*?)</script>', html, re.S)
    return {row["term"]: row["explanation"] for row in json.loads(found.group(1))} if found else {}


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, int | None]] = []
        self.blocks: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        index = None
        if any(name == "data-glossary" for name, _value in attrs):
            index = len(self.blocks)
            self.blocks.append({"tag": tag, "class": dict(attrs).get("class") or "", "text": ""})
        self.stack.append((tag, index))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, _index = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for _tag, index in self.stack:
            if index is not None:
                self.blocks[index]["text"] += data


def glossary_blocks(html: str) -> list[dict[str, Any]]:
    """Each data-glossary element of the page (the text glossary.js marks), outermost first: tag, class, text."""
    parser = _Blocks()
    parser.feed(html)
    return parser.blocks


def block_with(html: str, text: str, *, tag: str | None = None) -> dict[str, Any] | None:
    """The first data-glossary block (of that tag) whose text has ``text``."""
    return next((b for b in glossary_blocks(html) if text in b["text"] and (tag is None or b["tag"] == tag)), None)
