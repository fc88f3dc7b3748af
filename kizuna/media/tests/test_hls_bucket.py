"""HLS with files in a bucket (STORAGE_URL=s3://…, a real S3 server on loopback): the app sends only the
playlists, after its access check, and a rendition's playlist names each segment by a short-lived signed URL."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from conftest import publish_course
from kizuna.media.models import Video

pytestmark = pytest.mark.django_db


def test_a_rendition_playlist_from_a_bucket_names_signed_segment_urls_that_play(
    s3_bucket: Any, s3_server: Any, cast: Any, make_video: Any
) -> None:
    video = Video.objects.get(pk=make_video().pk)
    assert video.hls_master.name, video.hls_error
    folder = f"videos/{video.key}"
    keys = {item.key for item in s3_bucket.objects.all()}
    assert {f"{folder}/hls/master.m3u8", f"{folder}/phone.mp4", f"{folder}/hls/240p/index.m3u8"} <= keys
    publish_course(cast, slug="hls", title="商談", lessons=[{"kind": "video", "title": "一言", "video": video}])
    rep = Client()
    rep.force_login(cast.rep_a1)

    master = rep.get(reverse("media:video_hls_master", args=[video.key]))
    assert master.status_code == 200 and "240p/index.m3u8" in master.content.decode()  # back to the app
    playlist = rep.get(reverse("media:video_hls_file", args=[video.key, "240p", "index.m3u8"]))
    assert playlist.status_code == 200
    assert int(playlist["Cache-Control"].rsplit("=", 1)[1]) <= 600 // 4  # never kept past its signed URLs
    lines = playlist.content.decode().splitlines()
    segments = [line for line in lines if line and not line.startswith("#")]
    init = next(line for line in lines if line.startswith("#EXT-X-MAP:")).split('URI="')[1].rstrip('"')
    assert segments
    for url in [init, *segments]:
        assert url.startswith(s3_server.endpoint + "/"), url
        query = parse_qs(urlsplit(url).query)
        assert query["X-Amz-Expires"] == ["600"] and "X-Amz-Signature" in query
    fetched = requests.get(segments[0], timeout=10)
    assert fetched.status_code == 200
    name = f"{folder}/hls/240p/{urlsplit(segments[0]).path.rsplit('/', 1)[1]}"
    assert fetched.content == s3_bucket.Object(name).get()["Body"].read()

    outsider = Client()
    outsider.force_login(cast.rep_b1)
    assert outsider.get(reverse("media:video_hls_master", args=[video.key])).status_code == 404
    assert outsider.get(reverse("media:video_hls_file", args=[video.key, "240p", "index.m3u8"])).status_code == 404
