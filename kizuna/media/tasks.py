"""Background work of the video pipeline."""

from typing import Any

from django.dispatch import receiver
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished

from .hls import video_hls_abandon, video_hls_package
from .models import Video
from .services import video_transcode, video_transcode_abandon


@task()
def video_transcode_task(video_id: int) -> None:
    """Transcode one upload; a video deleted before its turn is skipped."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None:
        return
    video = video_transcode(video=video)
    if video.is_ready:
        video_hls_task.enqueue(video.pk)


@task()
def video_hls_task(video_id: int) -> None:
    """Package a ready video as HLS; safe to run again (a killed worker), and a packaged video is skipped."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None:
        return
    video_hls_package(video=video)


@receiver(task_finished)
def _transcode_given_up(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """After its last attempt (the worker died each time, or the task raised), the uploader sees why."""
    if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path not in (
        video_transcode_task.module_path,
        video_hls_task.module_path,
    ):
        return
    error = task_result.errors[-1] if task_result.errors else None
    lost = error is not None and error.exception_class_path.endswith(".WorkerLost")
    detail = error.traceback.strip().splitlines()[-1] if error and error.traceback.strip() else "task failed"
    if task_result.task.module_path == video_hls_task.module_path:
        # The MP4 still plays; the lesson just has no adaptive streaming until a backfill packages it.
        video_hls_abandon(
            video_id=task_result.args[0], reason=f"gave up after {task_result.attempts} attempts: {detail}"
        )
        return
    video_transcode_abandon(
        video_id=task_result.args[0],
        failure=Video.Failure.INTERRUPTED if lost else Video.Failure.CONVERSION,
        reason=f"gave up after {task_result.attempts} attempts: {detail}",
    )
