"""Chunked, resumable uploads of a take: a drop mid-chunk, resuming from the server's offset, refusals."""

import io
import uuid
from typing import Any

import pytest
from django.urls import reverse

from kizuna.coaching import services
from kizuna.coaching.models import Review, Submission, Upload
from kizuna.records.models import Statement

from .helpers import roleplay_for, video_bytes


def _start(client: Any, roleplay: Any, size: int, statement_id: uuid.UUID | None = None) -> Any:
    return client.post(
        reverse("coaching:roleplay_upload_create", args=[roleplay.pk]),
        {"size": size, "statement_id": str(statement_id or uuid.uuid4())},
    )


def _put(client: Any, url: str, offset: int, data: bytes) -> Any:
    return client.put(url, data, content_type="application/octet-stream", headers={"upload-offset": str(offset)})


class _Dropping(io.BytesIO):
    """A request body whose connection drops after `keep` bytes."""

    def __init__(self, data: bytes, keep: int) -> None:
        super().__init__(data[:keep])


@pytest.mark.django_db
def test_an_upload_survives_a_drop_and_resumes_from_the_servers_offset(
    cast: Any, signed_in: Any, django_capture_on_commit_callbacks: Any
) -> None:
    roleplay = roleplay_for(cast)
    data = video_bytes()
    client = signed_in(cast.rep_a1)
    statement_id = uuid.uuid4()
    state = _start(client, roleplay, len(data), statement_id).json()
    assert state["offset"] == 0
    half = len(data) // 2

    # The first half arrives.
    assert _put(client, state["url"], 0, data[:half]).json()["offset"] == half
    # The next chunk is cut off midway: the stored offset does not move.
    upload = Upload.objects.get(key=state["url"].rsplit("/", 1)[-1])
    after = services.upload_chunk_write(
        upload=upload, offset=half, stream=_Dropping(data[half:], keep=100), length=len(data) - half
    )
    assert after == half
    # The page was reloaded: starting again with the same id finds the same upload and its offset.
    again = _start(client, roleplay, len(data), statement_id).json()
    assert again["url"] == state["url"] and again["offset"] == half
    assert client.get(state["url"]).json()["offset"] == half
    # A chunk sent at a stale offset is refused with the offset to resume from.
    stale = _put(client, state["url"], 0, data[:half])
    assert stale.status_code == 409 and stale.json()["offset"] == half
    assert _put(client, state["url"], half, data[half:]).json()["offset"] == len(data)

    with django_capture_on_commit_callbacks(execute=True):
        finished = client.post(state["finish_url"], {"note": "二回目です", "consent": "on"})
    assert finished.status_code == 200
    take = Submission.objects.get(rep=cast.rep_a1)
    assert finished.json()["url"] == reverse("coaching:roleplay_take", args=[take.pk])
    assert take.video.original.read() == data  # byte for byte what the phone sent
    take.video.refresh_from_db()
    assert take.video.is_ready
    assert take.exemplary_consent and take.note == "二回目です"
    assert Statement.objects.filter(id=statement_id, actor=cast.rep_a1).exists()
    assert set(Review.objects.filter(submission=take).values_list("role", flat=True)) == {"coach", "peer"}
    assert not Upload.objects.exists()
    # Finishing again (the answer was lost on the way) gives the same take.
    again = client.post(state["finish_url"])
    assert again.status_code == 404 or again.json()["url"] == finished.json()["url"]
    assert Submission.objects.count() == 1


@pytest.mark.django_db
def test_a_file_that_is_not_a_video_is_refused_with_a_clear_message(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast)
    client = signed_in(cast.rep_a1)
    data = b"%PDF-1.4 this is a document, not a video" * 100
    state = _start(client, roleplay, len(data)).json()
    _put(client, state["url"], 0, data)
    response = client.post(state["finish_url"])
    assert response.status_code == 400
    assert "動画ファイルとして読み取れませんでした" in response.json()["error"]
    assert not Submission.objects.exists()
    assert not Upload.objects.exists()


@pytest.mark.django_db
def test_an_oversized_file_is_refused_before_and_during_the_upload(cast: Any, signed_in: Any, settings: Any) -> None:
    settings.VIDEO_MAX_UPLOAD_MB = 1
    roleplay = roleplay_for(cast)
    client = signed_in(cast.rep_a1)
    response = _start(client, roleplay, 2 * 1024 * 1024)
    assert response.status_code == 400
    assert "ファイルが大きすぎます" in response.json()["error"] and "1MB" in response.json()["error"]
    # Declared small, then sent larger than declared.
    state = _start(client, roleplay, 1000).json()
    refused = _put(client, state["url"], 0, b"\x00" * 2000)
    assert refused.status_code == 413
    assert client.get(state["url"]).json()["offset"] == 0


@pytest.mark.django_db
def test_only_the_uploader_can_touch_an_upload(cast: Any, signed_in: Any, client: Any) -> None:
    roleplay = roleplay_for(cast)
    state = _start(signed_in(cast.rep_a1), roleplay, 10).json()
    for outsider in (cast.rep_a2, cast.rep_b1, cast.manager_a, cast.coach):
        client.force_login(outsider)
        assert client.get(state["url"]).status_code == 404
        assert _put(client, state["url"], 0, b"x" * 10).status_code == 404
        assert client.post(state["finish_url"]).status_code == 404


@pytest.mark.django_db
def test_a_rep_the_roleplay_is_not_assigned_to_cannot_upload(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast)
    assert _start(signed_in(cast.rep_b1), roleplay, 10).status_code == 404
