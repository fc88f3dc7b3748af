"""Other package formats that `package_import` takes (cmi5 registers its course packages here).

An app registers (detect, lesson_import): ``detect(upload)`` says whether the upload is its format (reading
from the start and rewinding), ``lesson_import(upload=, course=, author=, title=)`` imports it as the course's
last lesson and raises PackageError listing every problem. A SCORM zip is the default.
"""

from collections.abc import Callable
from typing import IO, Any

_IMPORTERS: list[tuple[Callable[[IO[bytes]], bool], Callable[..., Any]]] = []


def register_lesson_importer(detect: Callable[[IO[bytes]], bool], lesson_import: Callable[..., Any]) -> None:
    if (detect, lesson_import) not in _IMPORTERS:
        _IMPORTERS.append((detect, lesson_import))


def lesson_importer_for(upload: IO[bytes]) -> Callable[..., Any] | None:
    for detect, lesson_import in _IMPORTERS:
        found = detect(upload)
        upload.seek(0)
        if found:
            return lesson_import
    return None
