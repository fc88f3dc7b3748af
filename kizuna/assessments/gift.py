"""Moodle's GIFT quiz format: read a text into questions (or errors with line numbers) and write questions back.

Implemented as Moodle documents it and as its importer (question/format/gift) reads it:

- questions are separated by blank lines; ``//`` starts a comment line;
- ``::title::`` then the question text, optionally starting with a format tag
  (``[markdown]``, ``[html]``, ``[plain]``, ``[moodle]``; our texts are Markdown);
- one answer block ``{…}``, at the end or in the middle (the missing word format
  puts ``_____`` where the block stood);
- ``=`` right, ``~`` wrong, ``%50%`` weights, ``#`` answer feedback, ``####``
  general feedback (our explanation), ``T``/``F``/``TRUE``/``FALSE``, numerical
  ``{#3.14:0.01}``, ``{#1..5}``, several ``=%50%1822:2`` answers and ``~#`` feedback
  for any other number, matching ``=item -> answer``, short answers ``{=a =b}``;
- ``\\~ \\= \\# \\{ \\} \\: \\\\`` escape, ``\\n`` is a newline;
- ``$CATEGORY: path`` applies to the questions after it: the path is kept as the
  question's category (``a/b/c``; Moodle's ``$course$``/``$system$`` and ``top`` parts
  dropped, ``//`` is a slash inside a name) and its last part also becomes a topic tag;
  ``// [id:…] [tag:…]`` before a question gives its id and topic tags (Moodle 3.6+
  writes these, and so do we, so that an export re-imports onto the same questions);
- a question with no answer block is a description (text shown between questions);
  an empty block ``{}`` (general feedback aside) is an essay.

``gift_write`` writes a ``$CATEGORY:`` line wherever the category changes, so a round trip keeps them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from .giftsyntax import GiftSyntaxError, Marked, escape, read_text, write_text
from .types import question_type, question_types
from .types.base import QuestionDataError

_META_ID = re.compile(r"\[id:((?:\\\]|[^\]])+)\]")
_META_TAG = re.compile(r"\[tag:((?:\\\]|[^\]])+)\]")
_FORMAT_TAG = re.compile(r"\[(html|moodle|plain|markdown)\]")


@dataclass
class GiftQuestion:
    """One question as GIFT carries it; ``key`` is the id of a ``// [id:…]`` comment, if any."""

    type: str
    text: str
    data: dict[str, Any]
    title: str = ""
    explanation: str = ""
    topics: list[str] = field(default_factory=list)
    key: str | None = None
    # The $CATEGORY path it came under ("製品/料金/割引"), "" for none.
    category: str = ""
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class GiftError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


# Limits that keep a parse quick and its memory small whatever the input (README, "Question banks").
GIFT_MAX_QUESTION_CHARS = 64 * 1024  # one question: its lines from blank line to blank line
GIFT_MAX_BYTES = 4 * 1024 * 1024  # one file
GIFT_MAX_QUESTIONS = 60_000  # one file: publishing them takes about a second on SQLite


def gift_parse(source: str | bytes | IO[bytes] | IO[str]) -> tuple[list[GiftQuestion], list[GiftError]]:
    """Read GIFT text into questions; every problem becomes an error with its line (never an exception)."""
    questions: list[GiftQuestion] = []
    errors: list[GiftError] = []
    for item in gift_read(source):
        (errors if isinstance(item, GiftError) else questions).append(item)  # type: ignore[arg-type]
    return questions, errors


def gift_read(source: str | bytes | IO[bytes] | IO[str]) -> Iterator[GiftQuestion | GiftError]:
    """Read GIFT questions one by one from text or a file, in memory bounded by GIFT_MAX_QUESTION_CHARS.

    Every problem is yielded as an error with its line; nothing raises. A question longer than
    the limit is refused as soon as the limit is passed, without reading the rest of it into memory.
    """
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = source[: exc.start].count(b"\n") + 1
            yield GiftError(line, _("The file is not UTF-8 text. Save it as UTF-8 and upload it again."))
            return
    stream = _text_stream(source)
    category_topic: str | None = None
    category = ""
    found = answerable = described = False
    for item in _chunks(stream):
        if isinstance(item, GiftError):
            found = True
            yield item
            continue
        first_line, lines = item
        comments = [line for line in lines if line.strip().startswith("//")]
        # Comment lines are blanked, not removed, so that line numbers stay right.
        body = Marked.from_source(
            "\n".join("" if line.strip().startswith("//") else line for line in lines), first_line
        ).strip()
        if not body.text:
            continue
        if body.startswith("$CATEGORY:"):
            newline = body.find("\n")
            header = body[: newline if newline >= 0 else len(body)]
            category = category_path(header.text[len("$CATEGORY:") :])
            category_topic = category_parts(category)[-1][:100] if category else None
            if newline < 0:
                continue
            body = body[newline + 1 :].strip()
        found = True
        try:
            question = _question(body)
        except GiftSyntaxError as exc:
            yield GiftError(exc.line, exc.message)
            continue
        meta = "\n".join(comments)
        ids = [m.replace("\\]", "]").strip() for m in _META_ID.findall(meta)]
        question.key = ids[0] if ids and ids[0] else None
        tags = [m.replace("\\]", "]").strip() for m in _META_TAG.findall(meta)]
        if category_topic:
            tags.append(category_topic)
        question.topics = list(dict.fromkeys(t for t in tags if t))
        question.category = category
        answerable = answerable or question.type != "description"
        described = described or question.type == "description"
        yield question
    if not found:
        yield GiftError(1, _("There are no questions in this text."))
    elif described and not answerable:
        # Text without a single answer block is most likely not GIFT at all (a wrong file).
        yield GiftError(
            1, _("There are no questions in this text, only descriptions (text without answers between { and }).")
        )


def _text_stream(source: str | IO[bytes] | IO[str]) -> IO[str]:
    """The source as text lines with universal newlines (\\r\\n and \\r read as \\n)."""
    if isinstance(source, str):
        return io.StringIO(source, newline=None)
    if isinstance(source, io.TextIOBase):
        return source  # type: ignore[return-value]
    return io.TextIOWrapper(source, encoding="utf-8-sig", errors="strict", newline=None)  # type: ignore[arg-type]


def _too_long(line: int) -> GiftError:
    return GiftError(
        line,
        _("This question is longer than %(max)s KB. Split it, or shorten its text.")
        % {"max": GIFT_MAX_QUESTION_CHARS // 1024},
    )


def _chunks(stream: IO[str]) -> Iterator[tuple[int, list[str]] | GiftError]:
    """Runs of non-blank lines, each with the number of its first line; an over-long run becomes an error."""
    current: list[str] = []
    size, start, number, skipping = 0, 1, 0, False
    while True:
        try:
            line = stream.readline(GIFT_MAX_QUESTION_CHARS + 1)
        except UnicodeDecodeError:
            yield GiftError(number + 1, _("The file is not UTF-8 text. Save it as UTF-8 and upload it again."))
            return
        if not line:
            break
        if not line.endswith("\n") and len(line) > GIFT_MAX_QUESTION_CHARS:
            # The rest of an over-long line is read in pieces and dropped: memory stays bounded.
            number += 1
            if not skipping:
                yield _too_long(start if current else number)
            current, size, skipping = [], 0, True
            while line and not line.endswith("\n"):
                try:
                    line = stream.readline(GIFT_MAX_QUESTION_CHARS)
                except UnicodeDecodeError:
                    yield GiftError(number, _("The file is not UTF-8 text. Save it as UTF-8 and upload it again."))
                    return
            continue
        number += 1
        if number == 1:
            line = line.lstrip("\ufeff")
        line = line.rstrip("\n")
        if not line.strip():
            if current and not skipping:
                yield start, current
            current, size, skipping = [], 0, False
            continue
        if skipping:
            continue
        if not current:
            start = number
        size += len(line) + 1
        if size > GIFT_MAX_QUESTION_CHARS:
            yield _too_long(start)
            current, size, skipping = [], 0, True
            continue
        current.append(line)
    if current and not skipping:
        yield start, current


# Moodle's category paths: "/" separates, "//" is a slash inside a name; the context and "top" lead the path.
_SEPARATOR = re.compile(r"(?<!/)/(?!/)")
CATEGORY_MAX_CHARS = 1000


def category_parts(path: str) -> list[str]:
    """The names along a category path ("製品/料金" → ["製品", "料金"]; "a//b/c" → ["a/b", "c"])."""
    return [p.strip().replace("//", "/") for p in _SEPARATOR.split(path) if p.strip()]


def category_path(raw: str) -> str:
    """The path we keep from a $CATEGORY line: "$course$/top/製品/料金" → "製品/料金" ("" if nothing is left)."""
    parts = [p.strip() for p in _SEPARATOR.split(raw.strip())]
    parts = [p for p in parts if p]
    while parts and (parts[0].startswith("$") or parts[0].lower() == "top"):
        parts.pop(0)
    return "/".join(parts)[:CATEGORY_MAX_CHARS]


def _question(body: Marked) -> GiftQuestion:
    title = ""
    if body.startswith("::"):
        end = body.find("::", 2)
        if end < 0:
            raise GiftSyntaxError(_("The title is not closed with ::."), body.line)
        title = body[2:end].text.strip()[:200]
        body = body[end + 2 :].strip()
    opening, closing = body.find("{"), body.find("}")
    if opening < 0 and closing < 0:
        # No answer block: a description, text shown between questions (Moodle reads it the same way).
        text = _strip_format(body.text).strip()
        if not text:
            raise GiftSyntaxError(_("The question text is empty."), body.line)
        return GiftQuestion(type="description", text=text, data={}, title=title, line=body.line)
    if opening < 0 or closing < 0 or closing < opening:
        at = opening if opening >= 0 else closing
        raise GiftSyntaxError(_("The braces { } do not match."), body.line_at(at))
    after = body[closing + 1 :]
    for extra in ("{", "}"):
        if (found := after.find(extra)) >= 0:
            raise GiftSyntaxError(_("Put only one answer block { … } in a question."), after.line_at(found))
    block = body[opening + 1 : closing]
    # The missing word format: a block in the middle of the text leaves a blank there.
    text = _strip_format(body[:opening].text) + ("_____" + after.text if after.strip().text else "")
    text = text.strip()
    explanation = ""
    general = block.rfind("####")
    if general >= 0:
        explanation = read_text(block[general + 4 :])
        block = block[:general]
    block = block.strip()
    if not text:
        raise GiftSyntaxError(_("The question text is empty."), body.line)
    for cls in question_types():
        if cls.gift_detect(block):
            try:
                data = cls.clean(cls.from_gift(block))
            except QuestionDataError as exc:
                raise GiftSyntaxError(" ".join(exc.messages), block.line) from None
            return GiftQuestion(
                type=cls.code, text=text, data=data, title=title, explanation=explanation, line=body.line
            )
    raise GiftSyntaxError(_("The kind of this question cannot be told from its answers."), block.line)


def _strip_format(text: str) -> str:
    stripped = text.lstrip()
    match = _FORMAT_TAG.match(stripped)
    return stripped[match.end() :] if match else text


def gift_write(questions: Iterable[GiftQuestion]) -> str:
    """Write questions as GIFT that gift_parse (and Moodle) read back as the same questions."""
    blocks = []
    category = ""
    for q in questions:
        lines = []
        if q.category != category:
            # As Moodle writes it: under the course's top category ("$course$/top" alone: no category).
            # Moodle reads this line as it is, so it is not escaped (a category never holds a newline).
            blocks.append("$CATEGORY: $course$/top" + (f"/{q.category}" if q.category else ""))
            category = q.category
        meta = ([f"[id:{_meta(q.key)}]"] if q.key else []) + [f"[tag:{_meta(t)}]" for t in q.topics]
        if meta:
            lines.append("// " + " ".join(meta))
        title = f"::{escape(q.title)}::" if q.title else ""
        if q.type == "description":
            lines.append(f"{title}[markdown]{escape(q.text)}")
            blocks.append("\n".join(lines))
            continue
        lines.append(f"{title}[markdown]{escape(q.text)}{{")
        lines += ["\t" + line for line in question_type(q.type, q.data).to_gift()]
        if q.explanation:
            lines.append("\t####" + write_text(q.explanation))
        lines.append("}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _meta(value: str) -> str:
    return value.replace("]", "\\]").replace("\n", " ")
