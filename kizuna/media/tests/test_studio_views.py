"""The video studio: upload, list, detail with its self-refreshing status, delete."""

from pathlib import Path

import pytest
from django.urls import reverse

from kizuna.media.models import Video

NOT_A_VIDEO_JA = "動画ファイルとして読み取れませんでした。MP4・MOV などの動画を選んでください。"


def post_upload(client, clips, path, title="新人向け: 商談の始め方", **extra):
    with Path(path).open("rb") as handle:
        return client.post(reverse("media:videos"), {"title": title, "file": handle}, **extra)


def test_an_author_uploads_a_video_and_it_becomes_ready(client, cast, clips, django_capture_on_commit_callbacks):
    client.force_login(cast.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(client, clips, clips.with_audio)
    video = Video.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("media:video_detail", args=[video.pk])
    video.refresh_from_db()
    assert video.status == Video.Status.READY
    assert video.title == "新人向け: 商談の始め方"
    assert video.uploaded_by == cast.author


def test_an_htmx_upload_is_sent_on_to_the_detail_page(client, cast, clips, django_capture_on_commit_callbacks):
    client.force_login(cast.coach)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(client, clips, clips.no_audio, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("media:video_detail", args=[Video.objects.get().pk])


def test_a_picture_is_refused_in_japanese_keeping_the_title_and_leaving_nothing(client, cast, clips, media_files):
    client.force_login(cast.author)
    response = post_upload(client, clips, clips.png_named_mp4, title="朝礼の動画")
    assert response.status_code == 200
    content = response.content.decode()
    assert NOT_A_VIDEO_JA in content
    assert 'value="朝礼の動画"' in content
    assert not Video.objects.exists()
    assert media_files() == []


def test_a_text_file_is_refused_as_an_htmx_fragment(client, cast, clips, media_files):
    client.force_login(cast.admin)
    response = post_upload(client, clips, clips.text_named_mp4, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert NOT_A_VIDEO_JA in content
    assert "<html" not in content
    assert not Video.objects.exists()
    assert media_files() == []


def test_an_oversize_file_is_refused_with_the_limit(client, cast, clips, settings, media_files):
    settings.VIDEO_MAX_UPLOAD_MB = 0
    client.force_login(cast.author)
    response = post_upload(client, clips, clips.with_audio)
    assert "ファイルが大きすぎます(上限 0MB)。短い動画に分けてアップロードしてください。" in response.content.decode()
    assert not Video.objects.exists()
    assert media_files() == []


def test_the_english_user_gets_the_error_in_english(client, cast, clips):
    cast.author.language = "en"
    cast.author.save(update_fields=["language"])
    client.force_login(cast.author)
    response = post_upload(client, clips, clips.png_named_mp4)
    assert "We could not read this file as a video. Choose a video such as MP4 or MOV." in response.content.decode()


def test_the_list_shows_each_video_with_its_status(client, cast, make_video, make_ready_video, settings):
    ready = make_ready_video(title="準備できた動画")
    settings.FFMPEG_BINARY = "/bin/false"
    failed = make_video(title="変換に失敗した動画")
    client.force_login(cast.coach)
    response = client.get(reverse("media:videos"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'accept="video/*"' in content
    assert reverse("media:video_detail", args=[ready.pk]) in content
    assert reverse("media:video_detail", args=[failed.pk]) in content
    assert 'class="badge done"' in content
    assert 'class="badge overdue"' in content


def test_the_list_takes_the_same_number_of_queries_however_many_videos(client, cast, make_ready_video):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.author)
    make_ready_video(title="動画1")
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("media:videos")).status_code == 200
    for n in range(2, 5):
        make_ready_video(title=f"動画{n}")
    with CaptureQueriesContext(connection) as four:
        assert client.get(reverse("media:videos")).status_code == 200
    assert len(four) == len(one) <= 8


@pytest.mark.parametrize("who", ["manager_a", "rep_a1", "manager_b", "rep_b1"])
def test_partner_people_cannot_open_or_post_to_the_studio(client, cast, clips, make_ready_video, media_files, who):
    video = make_ready_video()
    files_before = media_files()
    client.force_login(getattr(cast, who))
    assert client.get(reverse("media:videos")).status_code == 404
    assert post_upload(client, clips, clips.with_audio).status_code == 404
    assert client.get(reverse("media:video_detail", args=[video.pk])).status_code == 404
    assert client.get(reverse("media:video_status", args=[video.key])).status_code == 404
    assert client.post(reverse("media:video_delete", args=[video.pk])).status_code == 404
    assert Video.objects.count() == 1
    assert media_files() == files_before


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("media:videos"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_detail_of_a_ready_video_has_the_player(client, cast, make_ready_video):
    video = make_ready_video()
    client.force_login(cast.author)
    content = client.get(reverse("media:video_detail", args=[video.pk])).content.decode()
    assert reverse("media:video_stream", args=[video.key]) in content
    assert reverse("media:video_poster", args=[video.key]) in content
    assert "hx-trigger" not in content


def test_a_processing_video_polls_its_status_until_ready(client, cast, clips, as_upload):
    from kizuna.media.services import video_create, video_transcode

    video = video_create(uploaded_by=cast.author, file=as_upload(clips.with_audio))  # not committed: not yet run
    client.force_login(cast.author)
    content = client.get(reverse("media:video_detail", args=[video.pk])).content.decode()
    assert f'hx-get="{reverse("media:video_status", args=[video.key])}"' in content
    assert 'hx-trigger="every 2s"' in content
    assert reverse("media:video_stream", args=[video.key]) not in content

    video_transcode(video=video)
    fragment = client.get(reverse("media:video_status", args=[video.key]), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "hx-trigger" not in fragment.content.decode()
    assert reverse("media:video_stream", args=[video.key]) in fragment.content.decode()


def test_a_failed_video_says_what_to_do(client, cast, make_video, settings):
    settings.FFMPEG_BINARY = "/bin/false"
    video = make_video()
    client.force_login(cast.author)
    content = client.get(reverse("media:video_status", args=[video.key])).content.decode()
    assert "MP4" in content
    assert "hx-trigger" not in content


def test_an_unused_video_can_be_deleted(
    client, cast, make_ready_video, media_files, django_capture_on_commit_callbacks
):
    video = make_ready_video()
    client.force_login(cast.coach)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("media:video_delete", args=[video.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("media:videos")
    assert not Video.objects.exists()
    assert media_files() == []


def test_a_video_that_a_lesson_shows_is_not_deleted(client, cast, make_ready_video, media_files):
    from kizuna.catalog import services as catalog

    video = make_ready_video()
    course = catalog.course_create(author=cast.author, title="商談の基本", slug="sales-basics")
    module = catalog.module_create(course=course, title="はじめに")
    catalog.lesson_create(module=module, kind="video", title="最初の一言", video=video)
    client.force_login(cast.author)
    detail = client.get(reverse("media:video_detail", args=[video.pk])).content.decode()
    assert "最初の一言" in detail
    response = client.post(reverse("media:video_delete", args=[video.pk]), follow=True)
    assert "最初の一言" in response.content.decode()
    assert Video.objects.filter(pk=video.pk).exists()
    assert len(media_files()) == 3


def test_delete_is_post_only(client, cast, make_ready_video):
    video = make_ready_video()
    client.force_login(cast.author)
    assert client.get(reverse("media:video_delete", args=[video.pk])).status_code == 405
    assert Video.objects.exists()
