"""`manage.py plain_check FILE [--lang ja|en] [--glossary CSV]`: analyse a text as the studio does, print JSON."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from kizuna.plain import glossary_csv, selectors
from kizuna.plain.analysis import LANGS, analyse

MAX_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = "Analyse a text file for plain words (jargon, abbreviations, long sentences, readability); print JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a UTF-8 text file")
        parser.add_argument("--lang", choices=LANGS, default="ja", help="the text's language (default ja)")
        parser.add_argument("--glossary", help="a glossary CSV to use instead of the principal's glossary")

    def handle(self, *args: Any, **options: Any) -> None:
        text = _read_text(Path(options["file"]))
        lang = options["lang"]
        if options["glossary"]:
            glossary = selectors.entries_of(_read_glossary(Path(options["glossary"])), lang)
        else:
            glossary = selectors.glossary_entries(lang)
        if not text.strip():
            raise CommandError(f"{options['file']}: the file has no text to analyse")
        with translation.override(lang):  # suggestions and the level's name in the text's language
            analysis = analyse(text, lang=lang, glossary=glossary)
            self.stdout.write(json.dumps(analysis.as_json(), ensure_ascii=False, indent=2))


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path}: the file is too large (at most 1 MB)")
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror or error}") from None


def _read_text(path: Path) -> str:
    try:
        return _read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"{path}: the file is not UTF-8 text") from None


def _read_glossary(path: Path) -> list[glossary_csv.TermRow]:
    parsed = glossary_csv.parse(_read_bytes(path))
    if parsed.problems:
        lines = [f"line {p.line}: {p.message}" if p.line else p.message for p in parsed.problems]
        raise CommandError(f"{path}: the glossary was not read:\n" + "\n".join(lines))
    return parsed.rows
