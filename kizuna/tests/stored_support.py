"""Fetch a stored file the way a browser would, whichever storage the test runs on.

On local disk the app sends the bytes itself (200, or 206 for a range). On a bucket (KIZUNA_TEST_STORAGE=s3) it
answers an allowed viewer with a 302 to a short-lived signed URL, and the browser fetches the bytes straight from
the bucket, with the same Range header. `fetched` follows that redirect (only to a signed URL: a 302 anywhere else
is returned as it is), so a test checks what it meant to check — the bytes, their type, a range, a refusal — on both.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from django.test import Client


@dataclass(frozen=True)
class Fetched:
    status_code: int
    headers: Mapping[str, str]  # case-insensitive on both paths
    body: bytes
    from_bucket: bool  # True when the bytes came from a signed bucket URL

    def __getitem__(self, name: str) -> str:
        return self.headers[name]


def signed_bucket_url(location: str) -> bool:
    """True for an absolute, signed, expiring S3 URL (what the app redirects to on a bucket)."""
    parts = urlsplit(location)
    query = parse_qs(parts.query)
    return parts.scheme in ("http", "https") and "X-Amz-Signature" in query and "X-Amz-Expires" in query


def fetched(client: Client, url: str, *, headers: Mapping[str, str] | None = None, **extra: Any) -> Fetched:
    """GET `url` as `client`; on a redirect to a signed bucket URL, fetch that URL with the same headers."""
    sent = dict(headers or {})
    response = client.get(url, headers=sent, **extra)
    if response.status_code == 302 and signed_bucket_url(response["Location"]):
        answer = requests.get(response["Location"], headers=sent, timeout=60)
        return Fetched(answer.status_code, answer.headers, answer.content, from_bucket=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return Fetched(response.status_code, response.headers, body, from_bucket=False)
