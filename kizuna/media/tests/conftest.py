"""Tiny real clips made once per test session with ffmpeg, and helpers to upload them."""

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

FFMPEG = "/usr/bin/ffmpeg"
TESTSRC = ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=15"]


@dataclass(frozen=True)
class Clips:
    with_audio: Path  # 2 s, 320x240, H.264 + AAC sine
    no_audio: Path  # 2 s, 320x240, H.264 only
    odd_mjpeg: Path  # 1 s, 321x241 Motion JPEG in a QuickTime file, as old cameras make
    portrait: Path  # 1 s, 1080x1920, larger than 720p
    too_short: Path  # 0.2 s
    png_named_mp4: Path  # a still PNG picture with a video's name
    text_named_mp4: Path  # plain text with a video's name


def _ffmpeg(*args: str) -> None:
    subprocess.run([FFMPEG, "-nostdin", "-v", "error", "-y", *args], check=True, timeout=60)


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Clips:
    folder = tmp_path_factory.mktemp("clips")
    c = Clips(
        with_audio=folder / "with_audio.mp4",
        no_audio=folder / "no_audio.mp4",
        odd_mjpeg=folder / "odd.mov",
        portrait=folder / "portrait.mp4",
        too_short=folder / "too_short.mp4",
        png_named_mp4=folder / "picture.mp4",
        text_named_mp4=folder / "notes.mp4",
    )
    h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    _ffmpeg(
        *TESTSRC,
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=44100",
        "-t",
        "2",
        *h264,
        "-c:a",
        "aac",
        str(c.with_audio),
    )
    _ffmpeg(*TESTSRC, "-t", "2", *h264, str(c.no_audio))
    _ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=321x241:rate=10", "-t", "1", "-c:v", "mjpeg", "-q:v", "5", str(c.odd_mjpeg)
    )
    _ffmpeg("-f", "lavfi", "-i", "testsrc=size=1080x1920:rate=5", "-t", "1", *h264, str(c.portrait))
    _ffmpeg(*TESTSRC, "-t", "0.2", *h264, str(c.too_short))
    _ffmpeg(*TESTSRC, "-frames:v", "1", "-f", "image2", "-c:v", "png", str(c.png_named_mp4))
    c.text_named_mp4.write_text("これは動画ではありません。This is not a video.\n" * 20)
    return c


@pytest.fixture
def as_upload() -> Callable[..., SimpleUploadedFile]:
    """Return a function that turns a clip into an upload named like a phone would name it."""

    def make(path: Path, name: str = "IMG_0001.mp4") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, path.read_bytes(), content_type="video/mp4")

    return make


@pytest.fixture
def make_video(
    cast: Any, clips: Clips, as_upload: Callable[..., SimpleUploadedFile], django_capture_on_commit_callbacks: Any
) -> Callable[..., Any]:
    """Return a function that uploads a clip as the author and runs the transcode (tasks run immediately)."""
    from kizuna.media.services import video_create

    def make(path: Path | None = None, title: str = "商談の始め方") -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            video = video_create(uploaded_by=cast.author, file=as_upload(path or clips.with_audio), title=title)
        video.refresh_from_db()
        return video

    return make


@pytest.fixture(scope="session")
def transcoded_once(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The outputs of one real transcode of the default clip, kept for the whole session."""
    return {"folder": tmp_path_factory.mktemp("transcoded"), "fields": None}


@pytest.fixture
def make_ready_video(
    cast: Any,
    clips: Clips,
    as_upload: Callable[..., SimpleUploadedFile],
    make_video: Callable[..., Any],
    transcoded_once: dict[str, Any],
    settings: Any,
) -> Callable[..., Any]:
    """Return a function that makes a ready video of the default clip, fast.

    The first one in the session goes through the real transcode; later ones are
    real uploads whose transcode outputs are copied from it, for tests about
    serving and screens rather than about the transcode itself.
    """
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from kizuna.media.models import Video
    from kizuna.media.services import video_create

    def make(title: str = "商談の始め方") -> Any:
        cache = transcoded_once["folder"]
        if transcoded_once["fields"] is None:
            video = make_video(title=title)
            assert video.status == Video.Status.READY
            for name in ("video.mp4", "poster.jpg"):  # through the storage: local files, or the test's bucket
                with default_storage.open(f"videos/{video.key}/{name}") as stored:
                    (cache / name).write_bytes(stored.read())
            transcoded_once["fields"] = {f: getattr(video, f) for f in ("duration_seconds", "width", "height")}
            return video
        video = video_create(uploaded_by=cast.author, file=as_upload(clips.with_audio), title=title)
        for name in ("video.mp4", "poster.jpg"):
            wanted = f"videos/{video.key}/{name}"
            assert default_storage.save(wanted, ContentFile((cache / name).read_bytes())) == wanted
        Video.objects.filter(pk=video.pk).update(
            status=Video.Status.READY,
            mp4=f"videos/{video.key}/video.mp4",
            poster=f"videos/{video.key}/poster.jpg",
            ready_at=timezone.now(),
            **transcoded_once["fields"],
        )
        video.refresh_from_db()
        return video

    return make


@pytest.fixture
def media_files(settings: Any) -> Callable[[], list[PurePath]]:
    """Return a function listing every stored file: paths under MEDIA_ROOT, or names in the test's bucket
    (KIZUNA_TEST_STORAGE=s3)."""
    from django.core.files.storage import FileSystemStorage, storages

    def walk(storage: Any, folder: str) -> list[PurePath]:
        dirs, files = storage.listdir(folder)
        found: list[PurePath] = [PurePosixPath(folder, name) for name in files]
        for name in dirs:
            found += walk(storage, f"{folder}/{name}" if folder else name)
        return found

    def listing() -> list[PurePath]:
        storage = storages["default"]
        if not isinstance(storage, FileSystemStorage):
            return sorted(walk(storage, ""))
        root = Path(settings.MEDIA_ROOT)
        return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []

    return listing
