"""video_probe decides by what is inside a file, never by its name."""

import pytest
from django.utils import translation

from kizuna.media.services import MediaError, video_probe


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_it_accepts_a_video_with_sound(clips):
    result = video_probe(path=clips.with_audio)
    assert (result.width, result.height) == (320, 240)
    assert result.video_codec == "h264"
    assert result.has_audio is True
    assert 1.9 < result.duration < 2.2


def test_it_accepts_a_video_without_sound(clips):
    assert video_probe(path=clips.no_audio).has_audio is False


def test_it_accepts_motion_jpeg_from_old_cameras(clips):
    result = video_probe(path=clips.odd_mjpeg)
    assert result.video_codec == "mjpeg"
    assert (result.width, result.height) == (321, 241)


def test_it_refuses_a_picture_named_like_a_video(clips, english):
    with pytest.raises(MediaError, match="could not read this file as a video"):
        video_probe(path=clips.png_named_mp4)


def test_it_refuses_text_named_like_a_video(clips, english):
    with pytest.raises(MediaError, match="could not read this file as a video"):
        video_probe(path=clips.text_named_mp4)


def test_it_refuses_text_even_when_named_txt(clips, tmp_path, english):
    # ffprobe reads .txt files as "tty" text art with a video stream; that is still not a video.
    notes = tmp_path / "notes.txt"
    notes.write_bytes(clips.text_named_mp4.read_bytes())
    with pytest.raises(MediaError, match="could not read this file as a video"):
        video_probe(path=notes)


def test_it_refuses_a_clip_shorter_than_half_a_second(clips, english):
    with pytest.raises(MediaError, match="too short"):
        video_probe(path=clips.too_short)


def test_it_refuses_a_clip_longer_than_the_limit(clips, settings, english):
    settings.VIDEO_MAX_DURATION_SECONDS = 1
    with pytest.raises(MediaError, match="too long"):
        video_probe(path=clips.with_audio)


def test_it_refuses_a_file_that_is_not_there(tmp_path):
    with pytest.raises(MediaError):
        video_probe(path=tmp_path / "missing.mp4")


def test_its_refusal_is_in_japanese_for_japanese_users(clips):
    with translation.override("ja"), pytest.raises(MediaError) as caught:
        video_probe(path=clips.png_named_mp4)
    assert caught.value.message == "動画ファイルとして読み取れませんでした。MP4・MOV などの動画を選んでください。"
