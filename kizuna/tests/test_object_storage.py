"""Files in an S3-compatible bucket (STORAGE_URL=s3://…), against a real S3 server on loopback (moto, own process).

Upload a lesson video and a roleplay take (in chunks), transcode them, play them by signed URL with
range requests straight from the bucket, and download a data export, with nothing kept on local disk.
"""

import io
import uuid
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import publish_course
from kizuna.coaching import selectors as coaching_selectors
from kizuna.coaching.models import Submission, Upload
from kizuna.coaching.tests.helpers import roleplay_for, video_bytes
from kizuna.media.models import Video
from kizuna.media.services import video_create
from kizuna.ops.storage_url import storage_from_url, storage_origins
from kizuna.privacy.models import DataExport


def _clip() -> SimpleUploadedFile:
    return SimpleUploadedFile("IMG_0001.mp4", video_bytes(), content_type="video/mp4")


def _keys(bucket: Any) -> set[str]:
    return {item.key for item in bucket.objects.all()}


def _local_files() -> list[Path]:
    found: list[Path] = []
    for root in (Path(settings.MEDIA_ROOT), Path(settings.MEDIA_WORK_DIR)):
        found += [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return found


def _signed(response: Any, s3_server: Any) -> str:
    """Return the signed bucket URL an app response redirects to, after checking it is one."""
    assert response.status_code == 302, response.status_code
    url = response["Location"]
    assert url.startswith(s3_server.endpoint + "/")
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["600"] and "X-Amz-Signature" in query
    return url


@pytest.mark.django_db
def test_a_lesson_video_is_stored_transcoded_and_played_from_the_bucket_with_ranges(
    s3_bucket: Any, s3_server: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        video = video_create(uploaded_by=cast.author, file=_clip(), title="商談の始め方")
    video.refresh_from_db()
    assert video.status == Video.Status.READY, video.error
    folder = f"videos/{video.key}"
    # The upload, its MP4 and poster, and its HLS packaging (playlists, segments, the phone MP4).
    assert {k for k in _keys(s3_bucket) if "/hls/" not in k} == {
        f"{folder}/{name}" for name in ("original", "video.mp4", "poster.jpg", "phone.mp4")
    }
    assert f"{folder}/hls/master.m3u8" in _keys(s3_bucket)
    assert s3_bucket.Object(f"{folder}/original").get()["Body"].read() == video_bytes()
    assert _local_files() == []  # ffmpeg's scratch copies are gone; nothing is kept on this machine
    publish_course(
        cast, slug="opening", title="商談の始め方", lessons=[{"kind": "video", "title": "一言", "video": video}]
    )

    rep = Client()
    rep.force_login(cast.rep_a1)
    answer = rep.get(reverse("media:video_stream", args=[video.key]), headers={"Range": "bytes=0-99"})
    url = _signed(answer, s3_server)
    assert "private" in answer["Cache-Control"]
    stored = s3_bucket.Object(f"{folder}/video.mp4").get()["Body"].read()
    ranged = requests.get(url, headers={"Range": "bytes=100-1123"}, timeout=10)
    assert ranged.status_code == 206
    assert ranged.headers["Content-Type"] == "video/mp4"
    assert ranged.headers["Content-Range"] == f"bytes 100-1123/{len(stored)}"
    assert ranged.content == stored[100:1124]
    poster = requests.get(_signed(rep.get(reverse("media:video_poster", args=[video.key])), s3_server), timeout=10)
    assert poster.status_code == 200 and poster.content[:3] == b"\xff\xd8\xff"  # a JPEG

    # The access check still decides who gets a URL: partner B's rep gets none.
    outsider = Client()
    outsider.force_login(cast.rep_b1)
    assert outsider.get(reverse("media:video_stream", args=[video.key])).status_code == 404


def _put(client: Client, url: str, offset: int, data: bytes) -> Any:
    return client.put(url, data, content_type="application/octet-stream", headers={"upload-offset": str(offset)})


@pytest.mark.django_db
def test_a_take_uploaded_in_chunks_is_joined_from_the_bucket_played_and_exported(
    s3_bucket: Any, s3_server: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    roleplay = roleplay_for(cast)
    data = video_bytes()
    rep = Client()
    rep.force_login(cast.rep_a1)
    state = rep.post(
        reverse("coaching:roleplay_upload_create", args=[roleplay.pk]),
        {"size": len(data), "statement_id": str(uuid.uuid4())},
    ).json()
    third = len(data) // 3
    assert _put(rep, state["url"], 0, data[:third]).json()["offset"] == third
    # The same chunk again (its answer was lost): refused by offset, the stored one stays.
    assert _put(rep, state["url"], 0, data[:third]).status_code == 409
    assert _put(rep, state["url"], third, data[third:]).json()["offset"] == len(data)
    upload = Upload.objects.get()
    chunks = {f"private/coaching/uploads/{upload.key}/{offset:012d}" for offset in (0, third)}
    assert _keys(s3_bucket) == chunks  # one object per chunk: a bucket cannot append

    with django_capture_on_commit_callbacks(execute=True):
        finished = rep.post(state["finish_url"], {"consent": "on"})
    assert finished.status_code == 200, finished.content
    take = Submission.objects.select_related("video").get()
    take.video.refresh_from_db()
    assert take.video.is_ready, take.video.error
    assert not Upload.objects.exists()
    assert not _keys(s3_bucket) & chunks  # the chunks were removed once the take was stored
    assert s3_bucket.Object(take.video.original.name).get()["Body"].read() == data
    assert _local_files() == []

    coach = Client()
    coach.force_login(cast.coach)
    url = _signed(coach.get(coaching_selectors.video_url(take, cast.coach)), s3_server)
    ranged = requests.get(url, headers={"Range": "bytes=0-99"}, timeout=10)
    assert ranged.status_code == 206 and len(ranged.content) == 100
    outsider = Client()
    outsider.force_login(cast.manager_b)
    assert outsider.get(coaching_selectors.video_url(take, cast.rep_a1)).status_code == 404

    # The rep's data export is built from the bucket's files and downloaded from the bucket.
    with django_capture_on_commit_callbacks(execute=True):
        rep.post(reverse("privacy:my_data"))
    export = DataExport.objects.get(user=cast.rep_a1)
    assert export.status == DataExport.Status.READY
    assert export.file.name in _keys(s3_bucket)
    answer = rep.get(reverse("privacy:my_data_download", args=[export.key]))
    download = requests.get(_signed(answer, s3_server), timeout=10)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith('attachment; filename="kizuna-data-')
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        video_in_export = archive.read(f"files/roleplay/take-{take.pk}.mp4")
    assert video_in_export == s3_bucket.Object(take.video.mp4.name).get()["Body"].read()
    other = Client()
    other.force_login(cast.rep_a2)
    assert other.get(reverse("privacy:my_data_download", args=[export.key])).status_code == 404


@pytest.mark.django_db
def test_deleting_a_video_removes_its_objects_from_the_bucket(
    s3_bucket: Any, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from kizuna.media.services import video_delete

    with django_capture_on_commit_callbacks(execute=True):
        video = video_create(uploaded_by=cast.author, file=_clip())
    assert len(_keys(s3_bucket)) > 4  # the upload, MP4, poster, phone MP4 and the HLS files
    with django_capture_on_commit_callbacks(execute=True):
        video_delete(video=Video.objects.get(pk=video.pk))
    assert _keys(s3_bucket) == set()


def test_storage_url_maps_to_a_private_signed_bucket() -> None:
    entry = storage_from_url(
        "s3://media?endpoint_url=https://minio.internal:9000&region_name=eu-west-1&expire=900&prefix=/kizuna/"
    )
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    options = entry["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "media",
        "https://minio.internal:9000",
        "eu-west-1",
    )
    assert (options["querystring_auth"], options["querystring_expire"], options["default_acl"]) == (True, 900, None)
    assert options["location"] == "kizuna"
    assert storage_origins(entry) == ["https://minio.internal:9000", "https://media.minio.internal:9000"]
    assert storage_from_url("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.parametrize(
    "url",
    [
        "ftp://bucket",
        "s3://",
        "s3://key:secret@bucket",
        "s3://bucket/folder",
        "s3://bucket?colour=blue",
        "s3://bucket?expire=soon",
        "s3://bucket?expire=1",
        "s3://bucket?addressing_style=sideways",
        "s3://bucket?endpoint_url=minio:9000",
    ],
)
def test_it_refuses_a_bad_storage_url_loudly(url: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        storage_from_url(url)
