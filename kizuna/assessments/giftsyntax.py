"""The lexical layer of Moodle's GIFT format: escapes, answer markers, weights, feedback and format tags.

A GIFT text is parsed as a ``Marked`` string: the text with its escapes resolved
(``\\~ \\= \\# \\{ \\} \\: \\\\`` and ``\\n`` for a newline), a flag per character saying
whether it was escaped (an escaped ``=`` is text, never a marker), and the source
line of every character, so that every error can name its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ESCAPABLE = frozenset("~=#{}:\\")
FORMATS = ("html", "moodle", "plain", "markdown")
# A weight such as %50%, %-100%, %33.33333% (Moodle's own pattern accepts the same shapes).
_WEIGHT = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")


class GiftSyntaxError(Exception):
    """A GIFT text that cannot be read; ``line`` is 1-based. The message is shown to the author."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Marked:
    text: str
    escaped: tuple[bool, ...]
    lines: tuple[int, ...]
    end_line: int  # the line to name when the string is empty

    @classmethod
    def from_source(cls, source: str, first_line: int = 1) -> Marked:
        """Resolve the escapes of raw GIFT source, remembering which characters were escaped and their lines."""
        chars: list[str] = []
        escaped: list[bool] = []
        lines: list[int] = []
        line = first_line
        i, n = 0, len(source)
        while i < n:
            c = source[i]
            if c == "\\" and i + 1 < n and (source[i + 1] in ESCAPABLE or source[i + 1] == "n"):
                chars.append("\n" if source[i + 1] == "n" else source[i + 1])
                escaped.append(True)
                lines.append(line)
                i += 2
                continue
            chars.append(c)
            escaped.append(False)
            lines.append(line)
            if c == "\n":
                line += 1
            i += 1
        return cls("".join(chars), tuple(escaped), tuple(lines), line)

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, index: slice) -> Marked:
        start, stop, _step = index.indices(len(self.text))
        end_line = self.lines[start] if start < len(self.lines) else self.end_line
        return Marked(self.text[index], self.escaped[index], self.lines[index], end_line)

    @property
    def line(self) -> int:
        """The line this string starts on."""
        return self.lines[0] if self.lines else self.end_line

    def line_at(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.end_line

    def _unescaped(self, index: int, length: int) -> bool:
        return not any(self.escaped[index : index + length])

    def find(self, sub: str, start: int = 0) -> int:
        """The index of the first occurrence of ``sub`` made of unescaped characters, or -1."""
        index = self.text.find(sub, start)
        while index != -1 and not self._unescaped(index, len(sub)):
            index = self.text.find(sub, index + 1)
        return index

    def rfind(self, sub: str) -> int:
        index = self.text.rfind(sub)
        while index != -1 and not self._unescaped(index, len(sub)):
            index = self.text.rfind(sub, 0, index + len(sub) - 1)
        return index

    def startswith(self, sub: str) -> bool:
        return self.text.startswith(sub) and self._unescaped(0, len(sub))

    def strip(self) -> Marked:
        start, stop = 0, len(self.text)
        while start < stop and self.text[start].isspace():
            start += 1
        while stop > start and self.text[stop - 1].isspace():
            stop -= 1
        return self[start:stop]

    def split_markers(self, markers: str) -> tuple[Marked, list[tuple[str, Marked]]]:
        """Split at every unescaped marker character: (text before the first, [(marker, text after it)…])."""
        cuts = [i for i, c in enumerate(self.text) if c in markers and not self.escaped[i]]
        if not cuts:
            return self, []
        pieces = []
        for n, cut in enumerate(cuts):
            end = cuts[n + 1] if n + 1 < len(cuts) else len(self.text)
            pieces.append((self.text[cut], self[cut + 1 : end]))
        return self[: cuts[0]], pieces


def escape(text: str) -> str:
    """Write text so that a GIFT reader gives it back unchanged (Moodle's own export escapes the same)."""
    out = text.replace("\r", "").replace("\\", "\\\\")
    for c in "~=#{}:":
        out = out.replace(c, "\\" + c)
    return out.replace("\n", "\\n")


def write_text(text: str) -> str:
    """Escape a text part; one that looks as if it began with a format tag gets an explicit one."""
    return ("[markdown]" if text.startswith("[") else "") + escape(text)


def read_text(part: Marked) -> str:
    """The plain text of a part: trimmed, with a leading [html]/[moodle]/[plain]/[markdown] tag removed."""
    part = part.strip()
    if part.startswith("["):
        end = part.find("]")
        if end > 0 and part.text[1:end] in FORMATS:
            part = part[end + 1 :].strip()
    return part.text


def read_weight(part: Marked) -> tuple[float | None, Marked]:
    """A leading %weight% (percent, e.g. %50% or %-33.3%) and the rest; (None, part) if there is none."""
    stripped = part.strip()
    if not stripped.startswith("%"):
        return None, part
    end = stripped.find("%", 1)
    if end < 0 or not _WEIGHT.fullmatch(stripped.text[1:end]):
        return None, part
    return float(stripped.text[1:end]), stripped[end + 1 :]


def write_weight(weight: float, text: str, *, default: float | None) -> str:
    """The %weight% prefix for an answer, left out when it equals the marker's default (and the text allows)."""
    if default is not None and weight == default and not text.startswith("%"):
        return ""
    return f"%{format_number(weight)}%"


def split_feedback(part: Marked) -> tuple[Marked, str]:
    """Split ``answer#feedback`` at the first unescaped #."""
    hash_at = part.find("#")
    if hash_at < 0:
        return part, ""
    return part[:hash_at], read_text(part[hash_at + 1 :])


def format_number(value: float) -> str:
    """The shortest text that reads back as the same float (integers without a decimal point)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def read_number(text: str, line: int) -> float:
    from django.utils.translation import gettext as _

    try:
        value = float(text.strip())
    except ValueError:
        raise GiftSyntaxError(_("“%(text)s” is not a number.") % {"text": text.strip()}, line) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise GiftSyntaxError(_("“%(text)s” is not a number.") % {"text": text.strip()}, line)
    return value
