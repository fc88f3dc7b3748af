"""Writing a person's export: one zip with a JSON and a CSV file per table, their statements as xAPI,
and the files they own while the size allows.

Rows are read with iterators and written straight into the zip on disk, so memory stays bounded
however long the history; nothing here writes to the database.
"""

import csv
import io
import json
import shutil
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from kizuna.accounts.personal_data import Contribution, ExportFile, Part, contributions

# The files (roleplay videos, photos) copied into one export, together; the rest are listed instead.
MAX_FILE_BYTES = 200 * 1024 * 1024

README = """Kizuna — your data / あなたのデータ

ja: Kizuna があなたについて保存しているデータです。表ごとに JSON と CSV (UTF-8) があります。
    statements.xapi.json は学習記録 (xAPI 1.0.3)、statements_summary.csv はその一覧です。
    files_not_included.json に載っている動画・写真は、サイズの上限のためこの zip に含めていません。
    各ページから見ることができます。
en: Everything Kizuna holds about you. Each table comes as JSON and CSV (UTF-8).
    statements.xapi.json is your learning record (xAPI 1.0.3), statements_summary.csv a summary of it.
    Videos and photos listed in files_not_included.json were left out for size; open them on their pages.
"""


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    if value is None:
        return ""
    return value


def _write_json(zf: zipfile.ZipFile, name: str, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    with zf.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
        out.write("[")
        for row in rows:
            out.write(",\n" if count else "\n")
            out.write(json.dumps(row, ensure_ascii=False, cls=DjangoJSONEncoder))
            count += 1
        out.write("\n]\n")
    return count


def _write_csv(zf: zipfile.ZipFile, name: str, rows: Iterable[dict[str, Any]], header: list[str] | None) -> None:
    with zf.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        if header is not None:
            writer.writerow(header)
        for row in rows:
            if header is None:
                header = list(row)
                writer.writerow(header)
            writer.writerow([_cell(row.get(col)) for col in header])


def _part_rows(part: Part, user: Any) -> Iterable[dict[str, Any]]:
    return part.rows(user).values(*part.columns()).iterator(chunk_size=500)


def _write_part(zf: zipfile.ZipFile, part: Part, user: Any) -> int:
    count = _write_json(zf, f"{part.name}.json", _part_rows(part, user))
    _write_csv(zf, f"{part.name}.csv", _part_rows(part, user), part.columns())
    return count


def _write_files(zf: zipfile.ZipFile, files: Iterable[ExportFile], left_out: list[dict[str, Any]], budget: int) -> int:
    """Copy the files while they fit in the budget, list the others; return the budget left."""
    for item in files:
        if item.size > budget:
            left_out.append({"file": item.archive_name, "size": item.size, **item.metadata})
            continue
        with item.open() as src, zf.open(f"files/{item.archive_name}", "w", force_zip64=True) as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        budget -= item.size
    return budget


def export_write(*, user: Any, out: IO[bytes]) -> dict[str, int]:
    """Write the person's export as a zip into `out`; return the rows per table."""
    counts: dict[str, int] = {}
    left_out: list[dict[str, Any]] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        zf.writestr("README.txt", README)
        contribution: Contribution
        for contribution in contributions():
            for part in contribution.parts:
                if part.table:
                    counts[part.name] = _write_part(zf, part, user)
            if contribution.documents:
                for name, rows in contribution.documents(user):
                    if name.endswith(".csv"):
                        _write_csv(zf, name, rows, None)
                    else:
                        counts[name.removesuffix(".json")] = _write_json(zf, name, rows)
        budget = MAX_FILE_BYTES
        for contribution in contributions():
            if contribution.files:
                budget = _write_files(zf, contribution.files(user), left_out, budget)
        _write_json(zf, "files_not_included.json", left_out)
        manifest = {"person": str(user.public_id), "created_at": timezone.now(), "rows": counts}
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, cls=DjangoJSONEncoder, indent=2))
    return counts
