"""A phone video goes through the media pipeline: the update says "processing" until it is ready, then plays."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kizuna.media.services import video_transcode
from kizuna.tests.stored_support import fetched
from kizuna.updates.models import FlashUpdate


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_phone_video_shows_processing_then_plays_for_the_audience_only(cast, phone_video):
    upload = SimpleUploadedFile("IMG_0421.MOV", phone_video, content_type="video/quicktime")
    response = login(cast.coach).post(
        "/updates/new/",
        {
            "title": "朝礼: 今週の一言",
            "audience": "selected",
            "partners": [cast.partner_a.pk],
            "video": upload,
            "action": "publish",
        },
    )
    update = FlashUpdate.objects.select_related("video").get()
    assert response.status_code == 302 and update.is_published  # a video alone is enough to publish
    assert update.video.status == "processing"  # the transcode waits for the commit (tests: never ran)
    rep = login(cast.rep_a1)
    html = rep.get(update.get_absolute_url()).content.decode()
    assert "処理中" in html and f'hx-get="/updates/{update.pk}/video-status"' in html
    assert rep.get(f"/updates/{update.pk}/video").status_code == 404

    video_transcode(video=update.video)
    html = rep.get(f"/updates/{update.pk}/video-status").content.decode()
    # A rep's page plays the phone rendition (what a phone that saved the update keeps too).
    assert "hx-get" not in html and f'src="/updates/{update.pk}/video/phone"' in html
    for url in (f"/updates/{update.pk}/video", f"/updates/{update.pk}/video/phone"):
        ranged = fetched(rep, url, headers={"Range": "bytes=0-99"})
        assert ranged.status_code == 206 and ranged["Content-Type"] == "video/mp4" and len(ranged.body) == 100
    assert f'src="/updates/{update.pk}/video"' in login(cast.coach).get(update.get_absolute_url()).content.decode()
    assert fetched(rep, f"/updates/{update.pk}/poster").body[:3] == b"\xff\xd8\xff"
    for outsider in (cast.rep_b1, cast.manager_b):
        assert login(outsider).get(f"/updates/{update.pk}/video").status_code == 404
        assert login(outsider).get(f"/updates/{update.pk}/video/phone").status_code == 404


def test_a_file_that_is_not_a_video_is_refused_with_the_rest_kept(cast):
    fake = SimpleUploadedFile("clip.mp4", b"not a video at all" * 50, content_type="video/mp4")
    response = login(cast.coach).post(
        "/updates/new/",
        {"title": "動画つき", "body": "本文です", "audience": "all", "video": fake, "action": "publish"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "動画ファイルとして読み取れませんでした" in html
    assert 'value="動画つき"' in html and "本文です" in html
    assert not FlashUpdate.objects.exists()
