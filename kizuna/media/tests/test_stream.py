"""Sending video files: HTTP range requests, and only to people who may watch them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import publish_course
from kizuna.media.serving import RangeNotSatisfiable, parse_range

# The app's own range serving of local files; from a bucket the app redirects instead (kizuna/tests/test_object_storage.py).
pytestmark = pytest.mark.local_files


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def ready_video(make_ready_video):
    return make_ready_video()


@pytest.fixture
def mp4_bytes(ready_video) -> bytes:
    return (Path(settings.MEDIA_ROOT) / ready_video.mp4.name).read_bytes()


@pytest.fixture
def author_client(client, cast):
    client.force_login(cast.author)
    return client


@pytest.fixture
def lesson_for_partner_a(cast, ready_video):
    """A published video lesson in a course assigned to partner A only."""
    return publish_course(
        cast,
        slug="opening",
        title="商談の始め方",
        lessons=[{"kind": "video", "title": "最初の一言", "video": ready_video}],
    )


def stream_url(video) -> str:
    return reverse("media:video_stream", args=[video.key])


def test_the_whole_file_is_sent_without_a_range(author_client, ready_video, mp4_bytes):
    response = author_client.get(stream_url(ready_video))
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "private"
    assert int(response["Content-Length"]) == len(mp4_bytes)
    assert body_of(response) == mp4_bytes


def test_a_closed_range_gets_206_with_exactly_those_bytes(author_client, ready_video, mp4_bytes):
    response = author_client.get(stream_url(ready_video), headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{len(mp4_bytes)}"
    assert response["Content-Length"] == "100"
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert body_of(response) == mp4_bytes[:100]


def test_an_open_ended_range_runs_to_the_end(author_client, ready_video, mp4_bytes):
    response = author_client.get(stream_url(ready_video), headers={"Range": "bytes=100-"})
    size = len(mp4_bytes)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-{size - 1}/{size}"
    assert body_of(response) == mp4_bytes[100:]


def test_a_suffix_range_sends_the_last_bytes(author_client, ready_video, mp4_bytes):
    response = author_client.get(stream_url(ready_video), headers={"Range": "bytes=-50"})
    size = len(mp4_bytes)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {size - 50}-{size - 1}/{size}"
    assert body_of(response) == mp4_bytes[-50:]


def test_a_range_past_the_end_is_clipped_to_the_file(author_client, ready_video, mp4_bytes):
    size = len(mp4_bytes)
    response = author_client.get(stream_url(ready_video), headers={"Range": f"bytes={size - 10}-{size + 1000}"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    assert body_of(response) == mp4_bytes[-10:]


def test_a_range_starting_past_the_end_gets_416(author_client, ready_video, mp4_bytes):
    size = len(mp4_bytes)
    response = author_client.get(stream_url(ready_video), headers={"Range": f"bytes={size}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_the_poster_is_a_jpeg(author_client, ready_video):
    response = author_client.get(reverse("media:video_poster", args=[ready_video.key]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert body_of(response)[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("bytes=0-0", (0, 0)),
        ("bytes=5-", (5, 999)),
        ("bytes=-1", (999, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=10-5", None),  # invalid: ignored, whole file
        ("bytes=0-1,5-6", None),  # several ranges: whole file
        ("items=0-5", None),
        ("bytes=-", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=-0", "bytes=2000-3000"])
def test_parse_range_refuses_unsatisfiable_ranges(header):
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, 1000)


def test_a_rep_of_the_assigned_partner_can_stream_it(client, cast, ready_video, mp4_bytes, lesson_for_partner_a):
    client.force_login(cast.rep_a1)
    response = client.get(stream_url(ready_video), headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert body_of(response) == mp4_bytes[:100]
    assert client.get(reverse("media:video_poster", args=[ready_video.key])).status_code == 200


def test_the_manager_of_the_assigned_partner_can_stream_it(client, cast, ready_video, lesson_for_partner_a):
    client.force_login(cast.manager_a)
    assert client.get(stream_url(ready_video)).status_code == 200


@pytest.mark.parametrize("who", ["rep_b1", "manager_b"])
def test_partner_b_cannot_stream_partner_a_video(client, cast, ready_video, lesson_for_partner_a, who):
    client.force_login(getattr(cast, who))
    assert client.get(stream_url(ready_video)).status_code == 404
    assert client.get(stream_url(ready_video), headers={"Range": "bytes=0-99"}).status_code == 404
    assert client.get(reverse("media:video_poster", args=[ready_video.key])).status_code == 404


def test_a_rep_cannot_stream_a_video_no_lesson_shows(client, cast, ready_video):
    client.force_login(cast.rep_a1)
    assert client.get(stream_url(ready_video)).status_code == 404


def test_anonymous_visitors_get_404(client, ready_video, lesson_for_partner_a):
    assert client.get(stream_url(ready_video)).status_code == 404
    assert client.get(reverse("media:video_poster", args=[ready_video.key])).status_code == 404


def test_a_video_still_processing_is_not_streamed(client, cast, clips, as_upload):
    from kizuna.media.services import video_create

    video = video_create(uploaded_by=cast.author, file=as_upload(clips.with_audio))  # transcode not run yet
    client.force_login(cast.author)
    assert client.get(stream_url(video)).status_code == 404
    assert client.get(reverse("media:video_poster", args=[video.key])).status_code == 404


def test_an_unknown_key_is_404(author_client):
    assert (
        author_client.get(reverse("media:video_stream", args=["00000000-0000-0000-0000-000000000000"])).status_code
        == 404
    )
