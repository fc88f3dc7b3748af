"""A voice-only interview: recorded with the microphone (WebM/Opus, as MediaRecorder makes it), sent through the
resumable upload, given a still picture by real ffmpeg so it plays like any lesson video, with a transcript."""

import subprocess
import uuid

from django.conf import settings
from django.urls import reverse

from kizuna.media.services import video_probe, voice_as_video
from kizuna.stories import services
from kizuna.stories.models import SuccessStory

from .helpers import nominated


def _voice(path, seconds=2):
    subprocess.run(
        [settings.FFMPEG_BINARY, "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=300:duration={seconds}",
         "-c:a", "libopus", "-f", "webm", str(path)],
        check=True,
    )  # fmt: skip
    return path


def _send(client, story, data):
    state = client.post(
        reverse("stories:upload_create", args=[story.pk]), {"size": len(data), "statement_id": str(uuid.uuid4())}
    ).json()
    done = client.put(state["url"], data, content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="0")
    assert done.status_code == 200, done.content
    return client.post(state["finish_url"])


def test_a_sound_only_file_becomes_a_video_with_a_still_picture_and_its_sound(tmp_path):
    target = tmp_path / "voice.mp4"
    assert voice_as_video(source=_voice(tmp_path / "voice.webm"), target=target)
    probe = video_probe(path=target)
    assert probe.has_audio and probe.width == 640 and 1.5 < probe.duration < 2.5


def test_a_file_with_a_picture_is_left_as_it_is(tmp_path):
    clip = tmp_path / "clip.mp4"
    subprocess.run(
        [settings.FFMPEG_BINARY, "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10",
         "-pix_fmt", "yuv420p", str(clip)],
        check=True,
    )  # fmt: skip
    assert not voice_as_video(source=clip, target=tmp_path / "out.mp4")
    assert not (tmp_path / "out.mp4").exists()


def test_a_rep_sends_a_voice_only_interview_with_its_transcript_and_the_lesson_carries_both(cast, signed_in, tmp_path):
    story = nominated(cast)
    services.story_consent(story=story, rep=cast.rep_a1, consent=True, credit="name")
    finished = _send(signed_in(cast.rep_a1), story, _voice(tmp_path / "voice.webm").read_bytes())
    assert finished.status_code == 200, finished.content
    story.refresh_from_db()
    assert story.video is not None and story.voice_only
    services.story_interview_save(
        story=story, rep=cast.rep_a1, situation="", tried="", worked="", advice="",
        transcript="価格ではなく、困りごとを三つ聞きました。",
    )  # fmt: skip
    assert story.status == SuccessStory.Status.INTERVIEWED
    course = services.story_draft(story=story, author=cast.author)
    lesson = course.modules.get().lessons.get()
    assert lesson.kind == "video" and "困りごとを三つ聞きました" in lesson.body


def test_a_file_that_is_neither_sound_nor_video_is_refused_with_a_message(cast, signed_in):
    story = nominated(cast)
    services.story_consent(story=story, rep=cast.rep_a1, consent=True, credit="name")
    finished = _send(signed_in(cast.rep_a1), story, b"not a recording at all" * 10)
    assert finished.status_code == 400 and finished.json()["error"]
    story.refresh_from_db()
    assert story.video is None and not story.voice_only
