"""Background work of the video pipeline."""

from django_tasks import task

from .models import Video
from .services import video_transcode


@task()
def video_transcode_task(video_id: int) -> None:
    """Transcode one upload; a video deleted before its turn is skipped."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None:
        return
    video_transcode(video=video)
