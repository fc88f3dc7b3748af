"""A package's stored files, for SCORM and cmi5 lessons alike (kizuna.packages.serving): byte ranges, types,
caching, behind the lesson's access check."""

from typing import Any

import pytest
from django.test import Client

from kizuna.packages.serving import package_content_type

from .packages import PNG

pytestmark = pytest.mark.django_db


def rep_client(cast: Any, rep: Any = None) -> Client:
    client = Client()
    client.force_login(rep or cast.rep_a1)
    return client


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_package_file_is_sent_whole_with_its_type_length_ranges_and_caching(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, _package = scorm12_lesson
    response = rep_client(cast).get(f"/learn/lessons/{lesson.pk}/package/sco1/images/logo.png")
    assert response.status_code == 200 and body(response) == PNG
    assert response["Content-Type"] == "image/png" and response["Content-Length"] == str(len(PNG))
    assert response["Accept-Ranges"] == "bytes" and response["Cache-Control"] == "private, max-age=3600"
    assert response["ETag"].startswith('"')
    script = rep_client(cast).get(f"/learn/lessons/{lesson.pk}/package/sco1/sco.js")
    assert script["Content-Type"].startswith("text/javascript")


def test_a_range_request_gets_206_with_only_those_bytes(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, _package = scorm12_lesson
    url = f"/learn/lessons/{lesson.pk}/package/sco1/images/logo.png"
    client = rep_client(cast)
    response = client.get(url, HTTP_RANGE="bytes=1-3")
    assert response.status_code == 206 and body(response) == PNG[1:4]
    assert response["Content-Range"] == f"bytes 1-3/{len(PNG)}" and response["Content-Length"] == "3"
    tail = client.get(url, HTTP_RANGE="bytes=-4")
    assert tail.status_code == 206 and body(tail) == PNG[-4:]
    open_ended = client.get(url, HTTP_RANGE="bytes=60-")
    assert open_ended.status_code == 206 and body(open_ended) == PNG[60:]


def test_a_range_past_the_end_gets_416_and_a_stale_if_range_gets_the_whole_file(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, _package = scorm12_lesson
    url = f"/learn/lessons/{lesson.pk}/package/sco1/images/logo.png"
    client = rep_client(cast)
    refused = client.get(url, HTTP_RANGE=f"bytes={len(PNG)}-")
    assert refused.status_code == 416 and refused["Content-Range"] == f"bytes */{len(PNG)}"
    whole = client.get(url, HTTP_RANGE="bytes=0-3", HTTP_IF_RANGE='"another-version"')
    assert whole.status_code == 200 and body(whole) == PNG
    garbled = client.get(url, HTTP_RANGE="pages=1-2")
    assert garbled.status_code == 200 and body(garbled) == PNG


def test_a_cached_copy_is_revalidated_by_its_etag(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, _package = scorm12_lesson
    url = f"/learn/lessons/{lesson.pk}/package/sco1/index.html"
    client = rep_client(cast)
    first = client.get(url)
    assert first["Content-Type"].startswith("text/html")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_another_agency_gets_404_with_or_without_a_range(cast: Any, scorm12_lesson: Any) -> None:
    _course, lesson, _package = scorm12_lesson
    url = f"/learn/lessons/{lesson.pk}/package/sco1/images/logo.png"
    assert rep_client(cast, cast.rep_b1).get(url).status_code == 404
    assert rep_client(cast, cast.rep_b1).get(url, HTTP_RANGE="bytes=0-3").status_code == 404
    assert rep_client(cast).get(f"/learn/lessons/{lesson.pk}/package/sco1/missing.png").status_code == 404
    assert rep_client(cast).get(f"/learn/lessons/{lesson.pk}/package/../imsmanifest.xml").status_code == 404


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("story.js", "text/javascript"),
        ("fonts/Noto.woff2", "font/woff2"),
        ("media/intro.MP4", "video/mp4"),
        ("captions/ja.vtt", "text/vtt"),
        ("data.json", "application/json"),
        ("icon.svg", "image/svg+xml"),
        ("LICENSE", "application/octet-stream"),
    ],
)
def test_package_files_get_the_types_authoring_tools_need(name: str, expected: str) -> None:
    assert package_content_type(name) == expected
