"""Import every file of a folder as a package lesson, as an author would, and print what was accepted or refused.

For real-world SCORM 1.2 / 2004 packages and cmi5 course packages (zips, or a cmi5.xml alone) that are not ours
to commit: each file goes through ``manage.py package_import <file> --course <id>`` (which hands a cmi5 package to
the cmi5 import) in a scratch SQLite database and media folder of its own, made and migrated for the run and
deleted after it. A refusal is checked to have stored nothing (no package or cmi5 row, no file).

    .venv/bin/python bench/packages_check.py <folder> [--json out.json] [--keep]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))


def _stored_files(media: Path) -> int:
    return sum(1 for path in media.rglob("*") if path.is_file())


def _describe(lesson_id: int) -> str:
    """What the import made: the standard and how many SCOs (AUs, blocks) the lesson has."""
    from kizuna.catalog.models import Lesson
    from kizuna.cmi5.models import Course as Cmi5Course
    from kizuna.packages.models import Package

    lesson = Lesson.objects.get(pk=lesson_id)
    if lesson.kind == "cmi5":
        course = Cmi5Course.objects.get(pk=lesson.content_id)
        return f"cmi5: {course.aus.count()} AU, {course.blocks.count()} block, {course.file_count} files"
    package = Package.objects.get(pk=lesson.content_id)
    scos = package.scos.all()
    assets = sum(1 for sco in scos if sco.is_asset)
    return (
        f"{package.get_standard_display()} ({package.schema_version}): {len(scos) - assets} SCO"
        f"{f' + {assets} asset' if assets else ''}, {package.file_count} files"
    )


def _rows() -> tuple[int, int]:
    from kizuna.cmi5.models import Course as Cmi5Course
    from kizuna.packages.models import Package

    return Package.objects.count(), Cmi5Course.objects.count()


def check(folder: Path) -> list[dict[str, str]]:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from kizuna.accounts.models import User
    from kizuna.catalog import services as catalog

    media = Path(os.environ["MEDIA_ROOT"])
    author = User.objects.create_user("author@check.example", "check-only-password", name="Check")
    course = catalog.course_create(author=author, title="packages_check", slug="packages-check")
    results = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        before_rows, before_files = _rows(), _stored_files(media)
        out, started = io.StringIO(), time.perf_counter()
        try:
            call_command("package_import", str(path), course=course.pk, stdout=out)
        except CommandError as exc:
            stored_nothing = _rows() == before_rows and _stored_files(media) == before_files
            reasons = [line.removeprefix("- ") for line in str(exc).splitlines()[1:]] or [str(exc)]
            outcome, detail = "refused", " | ".join(reasons)
            if not stored_nothing:
                outcome, detail = "REFUSED BUT STORED", detail
        except Exception as exc:  # noqa: BLE001 - a crash is a defect to report, not a refusal
            outcome, detail = "CRASH", f"{type(exc).__name__}: {exc}"
        else:
            outcome, detail = "accepted", _describe(int(out.getvalue().strip()))
        seconds = time.perf_counter() - started
        results.append({"file": path.name, "outcome": outcome, "detail": detail, "seconds": f"{seconds:.2f}"})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and media folder")
    args = parser.parse_args()
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    scratch = Path(tempfile.mkdtemp(prefix="kizuna-packages-check-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'check.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ["STORAGE_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    (scratch / "media").mkdir()
    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        results = check(args.folder)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    width = max(len(r["file"]) for r in results) if results else 10
    for r in results:
        print(f"{r['file']:<{width}}  {r['outcome']:<9}  {r['detail']}")
    counts: dict[str, int] = {}
    for r in results:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    print(", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    if any(r["outcome"] not in ("accepted", "refused") for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
