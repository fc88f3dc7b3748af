"""Sending stored media files to the browser, with HTTP range requests for video seeking.

``stored_file_response`` is the one function every view calls after its access check. On local disk
it sends the file itself (one range at a time, for seeking); with a bucket (STORAGE_URL=s3://…) it
answers with a redirect to a short-lived signed URL, so the browser fetches the bytes, ranges
included, straight from the storage and no app server streams video.
"""

import re
from collections.abc import Iterator
from typing import BinaryIO

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)

from kizuna.ops.storage import signed_url_lifetime, storage_is_remote, stored_local_copy, stored_signed_url

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


def read_range(handle: BinaryIO, first: int, length: int) -> Iterator[bytes]:
    """The bytes ``first`` .. ``first + length`` of an open stored file, in chunks; closes it when done."""
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


def stored_file_response(
    request: HttpRequest, *, name: str, content_type: str, download_name: str = ""
) -> HttpResponse:
    """Answer with a stored file (a storage name), honouring a single ``Range`` request; 404 if it is missing.

    ``download_name`` makes it a download (an attachment with that file name) rather than shown in the page.
    """
    if not name:
        raise Http404
    if storage_is_remote():
        url = stored_signed_url(name, content_type=content_type, download_name=download_name)
        redirect = HttpResponseRedirect(url)
        # Pages keep the stable, access-checked URL, never the signed one. The browser may reuse this
        # redirect (and so its cached copy of the file) for a while, well before the signed URL expires.
        redirect["Cache-Control"] = f"private, max-age={min(300, signed_url_lifetime() // 2)}"
        return redirect
    try:
        with stored_local_copy(name) as path:  # on local disk: the file itself, no copy
            handle = path.open("rb")
            size = path.stat().st_size
    except (FileNotFoundError, IsADirectoryError):
        raise Http404 from None
    try:
        byte_range = parse_range(request.headers.get("Range", ""), size)
    except RangeNotSatisfiable:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        if byte_range is None:
            response = FileResponse(
                handle, content_type=content_type, as_attachment=bool(download_name), filename=download_name
            )
        else:
            first, last = byte_range
            length = last - first + 1
            response = StreamingHttpResponse(read_range(handle, first, length), status=206, content_type=content_type)
            response["Content-Length"] = str(length)
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private"
    return response
