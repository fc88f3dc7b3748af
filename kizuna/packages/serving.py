"""Sending a stored package's files (a SCORM package's, a cmi5 course's) to the browser, after the view's access check.

One helper for both kinds. A package's files are always sent from Kizuna's origin, never by a redirect to the
storage's signed URL as media files are: a SCO finds the SCORM API in its parent page only on the same origin,
and a page's relative links (its scripts, images, fonts) must resolve under the same access-checked path.

- **Ranges** (RFC 9110 §14): one byte range is answered 206 with ``Content-Range`` (the media in packages
  seek), a range past the end 416 with ``Content-Range: bytes */size``; ``Accept-Ranges: bytes`` always.
- **Types**: from the file name, with the types authoring tools' exports need that Python's table lacks or
  gets wrong on some systems (``.js`` as text/javascript, fonts, ``.vtt``, ``.json``, ``.mp4``…).
- **Caching**: a package never changes once imported (its files live under its own key), so the response is
  private (it is behind the access check), cached for an hour, and revalidated by its ``ETag`` (304).
"""

import hashlib
import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils.http import parse_etags

from kizuna.media.serving import RangeNotSatisfiable, parse_range, read_range

from .importing import safe_path

CACHE_CONTROL = "private, max-age=3600"
TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".vtt": "text/vtt",
    ".swf": "application/x-shockwave-flash",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
}


def package_content_type(path: str) -> str:
    """The Content-Type of a package file, from its name."""
    dot = path.rfind(".")
    known = TYPES.get(path[dot:].lower()) if dot >= 0 else None
    return known or mimetypes.guess_type(path)[0] or "application/octet-stream"


def _etag(name: str, size: int) -> str:
    return '"' + hashlib.sha256(f"{name}:{size}".encode()).hexdigest()[:32] + '"'


def package_file_response(request: HttpRequest, *, prefix: str, path: str) -> HttpResponse:
    """Answer with the file ``path`` of the package stored under ``prefix`` (404 if the path is unsafe or absent)."""
    safe = safe_path(path)
    if safe is None:
        raise Http404
    name = prefix + safe
    try:
        handle = default_storage.open(name, "rb")
        size = handle.size
    except (FileNotFoundError, IsADirectoryError, OSError):
        raise Http404 from None
    etag = _etag(name, size)
    content_type = package_content_type(safe)
    if etag in parse_etags(request.headers.get("If-None-Match", "")) or request.headers.get("If-None-Match") == "*":
        handle.close()
        response: HttpResponse = HttpResponseNotModified()
    else:
        try:
            byte_range = parse_range(request.headers.get("Range", ""), size)
            if_range = request.headers.get("If-Range")
            if byte_range is not None and if_range is not None and if_range != etag:
                byte_range = None  # the client's copy is another file: send this one whole
        except RangeNotSatisfiable:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
        else:
            if byte_range is None:
                response = FileResponse(handle, content_type=content_type)
                response["Content-Length"] = str(size)
            else:
                first, last = byte_range
                length = last - first + 1
                response = StreamingHttpResponse(
                    read_range(handle, first, length), status=206, content_type=content_type
                )
                response["Content-Length"] = str(length)
                response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    return response
