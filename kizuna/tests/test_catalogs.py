"""The Japanese and English message catalogs are complete: every message translated, nothing fuzzy."""

import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGS = sorted(
    p for p in Path(settings.BASE_DIR).glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def test_every_app_with_strings_has_both_catalogs():
    langs = {(p.parents[2], p.parts[-3]) for p in CATALOGS}
    for folder in {p.parents[2] for p in CATALOGS}:
        assert (folder, "ja") in langs and (folder, "en") in langs, folder


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_the_catalog_is_complete(po_path):
    catalog = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy[:5]}"


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_the_catalog_compiles_with_its_formats_checked(po_path):
    """What `make messages` runs on a fresh clone: a translation whose placeholders differ from its source (or a
    bare percent sign that xgettext reads as one) fails there, even when a stale local .mo hides it."""
    done = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(po_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_one_english_text_has_one_japanese_translation_across_apps():
    """Django merges the apps' catalogs and the first app wins: a second translation would silently not show."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for po_path in CATALOGS:
        if po_path.parts[-3] != "ja":
            continue
        for entry in polib.pofile(str(po_path)):
            text = entry.msgstr or entry.msgstr_plural.get(0) or entry.msgstr_plural.get("0", "")
            seen.setdefault((entry.msgctxt, entry.msgid), {})[str(po_path.parents[2])] = text
    conflicts = {key[1]: places for key, places in seen.items() if len(set(places.values())) > 1}
    assert not conflicts, "give these one translation, or a msgctxt where they mean different things: " + repr(
        conflicts
    )
