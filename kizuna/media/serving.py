"""Sending stored media files to the browser, with HTTP range requests for video seeking.

``stored_file_response`` is the one function to swap when files move: at scale it
can answer with an ``X-Accel-Redirect`` to an internal web-server location, or a
redirect to a short-lived object-storage URL, and the views stay as they are.
Access must be checked by the caller before it is called.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse

CHUNK_SIZE = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """Return the (first, last) byte positions asked for by a one-range ``Range`` header.

    None means "send the whole file" (no header, a syntax we ignore, or several
    ranges, which a server may answer in full). RangeNotSatisfiable means 416.
    """
    match = _RANGE.match(header.strip().replace(" ", "")) if header else None
    if match is None:
        return None
    first_text, last_text = match.groups()
    if first_text == "":
        if last_text == "":
            return None
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(size - suffix, 0), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else None
    if last is not None and last < first:
        return None  # syntactically invalid: ignored, as RFC 9110 says
    if first >= size:
        raise RangeNotSatisfiable
    return first, size - 1 if last is None else min(last, size - 1)


def _read_range(handle: BinaryIO, first: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def stored_file_response(request: HttpRequest, *, name: str, content_type: str) -> HttpResponse:
    """Answer with a stored file (a MEDIA_ROOT-relative name), honouring a single ``Range`` request."""
    path = Path(settings.MEDIA_ROOT) / name
    try:
        handle = path.open("rb")
    except (FileNotFoundError, IsADirectoryError):
        raise Http404 from None
    size = path.stat().st_size
    try:
        byte_range = parse_range(request.headers.get("Range", ""), size)
    except RangeNotSatisfiable:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        if byte_range is None:
            response = FileResponse(handle, content_type=content_type)
        else:
            first, last = byte_range
            length = last - first + 1
            response = StreamingHttpResponse(_read_range(handle, first, length), status=206, content_type=content_type)
            response["Content-Length"] = str(length)
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private"
    return response
