"""A lesson's reading level, measured when its text is saved and stored on the lesson (the studio lists read it).

The plain-words app registers how a text is measured (it owns the analyser and the formula); the catalog calls the
registry from `lesson_create` / `lesson_update` without importing the app. With nothing registered, no level.
"""

from collections.abc import Callable

# text -> (level, language) or None for a text with nothing to measure
Measure = Callable[[str], tuple[float, str] | None]
_measures: list[Measure] = []


def register_text_level(measure: Measure) -> None:
    _measures[:] = [measure]


def text_level_of(text: str) -> tuple[float | None, str]:
    """Return (level, language) of a text a rep reads, or (None, "") when there is no text or no measure."""
    if not text.strip() or not _measures:
        return None, ""
    measured = _measures[0](text)
    return measured if measured is not None else (None, "")
