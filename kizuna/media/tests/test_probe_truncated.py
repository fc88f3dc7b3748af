"""A video cut short (an interrupted copy, `head -c`) is refused by the probe, with the length it really has."""

import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from kizuna.media.services import MediaError, video_probe

from .conftest import FFMPEG


@pytest.fixture(scope="session")
def twenty_seconds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 20 s H.264/AAC source with its index first (fast start), whole and cut to 30 % with head -c."""
    folder = tmp_path_factory.mktemp("truncated")
    whole = folder / "whole.mp4"
    subprocess.run(
        [FFMPEG, "-nostdin", "-v", "error", "-y",
         "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15", "-f", "lavfi", "-i", "sine=frequency=440",
         "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-movflags", "+faststart", str(whole)],
        check=True,
        timeout=120,
    )  # fmt: skip
    cut = folder / "cut.mp4"
    with cut.open("wb") as out:
        subprocess.run(["head", "-c", str(whole.stat().st_size * 3 // 10), str(whole)], stdout=out, check=True)
    cut_index_last = folder / "cut_index_last.mp4"
    subprocess.run(
        [FFMPEG, "-nostdin", "-v", "error", "-y", "-i", str(whole), "-c", "copy", str(folder / "index_last.mp4")],
        check=True,
        timeout=60,
    )
    source = folder / "index_last.mp4"
    cut_index_last.write_bytes(source.read_bytes()[: source.stat().st_size * 3 // 10])
    return {"whole": whole, "cut": cut, "cut_index_last": cut_index_last}


def test_it_accepts_the_whole_twenty_second_video_with_its_length(twenty_seconds):
    assert 19.9 < video_probe(path=twenty_seconds["whole"]).duration < 20.2


def test_it_refuses_a_video_cut_short_saying_where_it_stops_in_english(twenty_seconds):
    with translation.override("en"), pytest.raises(MediaError) as caught:
        video_probe(path=twenty_seconds["cut"])
    assert "incomplete" in caught.value.message
    assert "of its 20 seconds" in caught.value.message
    stops = int(caught.value.message.split("stops after ")[1].split(" ")[0])
    assert 2 <= stops <= 10


def test_it_refuses_a_video_cut_short_in_japanese(twenty_seconds):
    with translation.override("ja"), pytest.raises(MediaError) as caught:
        video_probe(path=twenty_seconds["cut"])
    assert caught.value.message.startswith("この動画ファイルは途中で切れています（20 秒のうち")


def test_it_refuses_a_cut_video_whose_index_was_at_the_end(twenty_seconds):
    with pytest.raises(MediaError):
        video_probe(path=twenty_seconds["cut_index_last"])


def test_it_still_accepts_the_short_test_clips(clips):
    for path in (clips.with_audio, clips.no_audio, clips.odd_mjpeg, clips.portrait):
        video_probe(path=path)
