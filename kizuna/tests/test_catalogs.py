"""The Japanese and English message catalogs are complete: every message translated, nothing fuzzy."""

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
