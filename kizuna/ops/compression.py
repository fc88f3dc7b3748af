"""Compress pages for the reps' phones; leave the API, files, media and anything already compressed alone.

Why this is safe from BREACH (compression as an oracle for secrets in a page next to text an attacker controls):

- The only secret in our HTML is the CSRF token, and Django masks it afresh on every response (a new random
  mask, the same secret): a guess that matches part of it does not shorten the next response.
- Session ids and API tokens never appear in a body; they live in HttpOnly cookies and headers, which HTTP/1.1
  does not compress.
- Django's GZipMiddleware adds random bytes to each gzip header ("Heal The Breach"), so the compressed length
  varies by chance from response to response and measuring a few bytes' difference needs many times more
  requests (and those requests are rate-limited at sign-in and carry the victim's cookies).

Static files are compressed once at build time (Brotli and gzip, by whitenoise's collectstatic) and served
as they are; videos, images, downloads (CSV) and streaming responses are never compressed here: they are
already compressed, or they must keep byte ranges. The JSON API's answers are small and read by programs
(the player, integrations): they stay as they are.
"""

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("text/html",)


class PageGZipMiddleware(GZipMiddleware):
    """GZipMiddleware for whole HTML pages only."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if response.streaming or content_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
