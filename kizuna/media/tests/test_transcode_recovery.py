"""A transcode whose worker is killed mid-way is picked up again: one ready video, no leftovers, no stray
ffmpeg; one that keeps losing its worker ends failed with a reason its uploader can read."""

import os
import signal
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kizuna.media.models import Video
from kizuna.media.services import video_create
from kizuna.media.tasks import video_transcode_task
from kizuna.ops.tests import procs
from kizuna.ops.worker import reap_lost_tasks


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS_MAX_ATTEMPTS = 3
    settings.TASKS_STALE_SECONDS = 1.5


@pytest.fixture(scope="session")
def long_clip(tmp_path_factory) -> Path:
    """8 s at 640x360: long enough for the transcode to be caught in the middle."""
    path = tmp_path_factory.mktemp("long") / "long.mp4"
    subprocess.run(
        ["/usr/bin/ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30",
         "-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)],
        check=True,
        timeout=120,
    )  # fmt: skip
    return path


@pytest.mark.django_db(transaction=True)
def test_a_transcode_killed_mid_way_runs_again_into_one_video_with_no_leftovers(
    db_tasks, cast, long_clip, as_upload, media_files, tmp_path
):
    video = video_create(uploaded_by=cast.author, file=as_upload(long_clip), title="長い動画")
    folder = Path(settings.MEDIA_WORK_DIR)  # ffmpeg writes in a scratch folder, stored when finished
    env = procs.child_env(tmp_path)
    log = tmp_path / "worker.log"
    first = procs.start_worker(env, log)
    try:
        parts = procs.wait_for(lambda: list(folder.glob("*/*.part")), timeout=60, what="ffmpeg to start writing")
        ffmpeg = procs.wait_for(lambda: procs.pids_running(str(parts[0])), timeout=10, what="the ffmpeg process")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=5)
        procs.wait_for(lambda: not any(map(procs.alive, ffmpeg)), timeout=5, what="ffmpeg to die with its worker")
        assert Video.objects.get(pk=video.pk).status == Video.Status.PROCESSING

        second = procs.start_worker(env, log)
        try:
            procs.wait_for(
                lambda: Video.objects.get(pk=video.pk).status != Video.Status.PROCESSING,
                timeout=120,
                what="the transcode to finish on the new worker",
            )
            # The transcode then enqueues the HLS packaging (media/hls.py): let it finish too, so no scratch
            # folder of a task still running is mistaken for a leftover.
            procs.wait_for(
                lambda: (v := Video.objects.get(pk=video.pk)).hls_master or v.hls_error,
                timeout=180,
                what="the HLS packaging to finish on the new worker",
            )
        finally:
            procs.stop(second)
    finally:
        procs.stop(first)
    video.refresh_from_db()
    assert video.status == Video.Status.READY, video.error
    assert Video.objects.count() == 1
    assert not video.hls_error
    folder_files = [p.name for p in media_files() if "hls" not in p.parts]
    assert folder_files == ["original", "phone.mp4", "poster.jpg", "video.mp4"]
    assert not procs.pids_running(str(folder))
    assert not list(folder.iterdir())  # the killed run's scratch folder was cleared
    task = DBTaskResult.objects.get(task_path__endswith="video_transcode_task")
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2


@pytest.mark.django_db(transaction=True)
def test_a_transcode_that_lost_its_worker_on_every_attempt_shows_failed_with_its_reason(
    db_tasks, cast, clips, as_upload, client
):
    video = video_create(uploaded_by=cast.author, file=as_upload(clips.with_audio))
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("video_transcode_task") and task.args_kwargs["args"] == [video.pk]
    # Three workers took it in turn and each died: no heartbeat from any of them.
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING, worker_ids=["w1", "w2", "w3"], started_at=timezone.now() - timedelta(minutes=5)
    )
    scratch = Path(settings.MEDIA_WORK_DIR) / f"transcode-{video.key}-abc"
    scratch.mkdir(parents=True)
    (scratch / "video.abc.part").write_bytes(b"half")

    assert reap_lost_tasks(backend_name="default") == 1

    task.refresh_from_db()
    video.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and "WorkerLost" in task.exception_class_path
    assert video.status == Video.Status.FAILED and video.failure == Video.Failure.INTERRUPTED
    assert "gave up after 3 attempts" in video.error
    assert not scratch.exists()
    client.force_login(cast.author)
    for language, reason in [("en", "interrupted too many times"), ("ja", "変換が何度も中断されました")]:
        with override(language):
            page = client.get(reverse("media:video_status", args=[video.key]), HTTP_ACCEPT_LANGUAGE=language)
        assert reason in page.content.decode(), language


@pytest.mark.django_db(transaction=True)
def test_a_lost_task_with_attempts_left_is_queued_again(db_tasks, cast, clips, as_upload):
    video_create(uploaded_by=cast.author, file=as_upload(clips.with_audio))
    task = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING, worker_ids=["w1"], started_at=timezone.now() - timedelta(minutes=5)
    )
    assert reap_lost_tasks(backend_name="default") == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY and task.worker_ids == ["w1"]
    assert video_transcode_task.module_path in task.task_path


@pytest.mark.django_db
def test_a_full_disk_during_an_upload_refuses_it_in_words_and_leaves_nothing(cast, clips, as_upload, media_files):
    import errno

    from kizuna.media.services import MediaError

    upload = as_upload(clips.with_audio)

    def chunks(size):
        yield b"x" * 1024
        raise OSError(errno.ENOSPC, "No space left on device")

    upload.chunks = chunks
    with override("en"), pytest.raises(MediaError, match="no room to store this video"):
        video_create(uploaded_by=cast.author, file=upload)
    assert not Video.objects.exists()
    assert media_files() == []
