"""Package as HLS the ready videos that have no HLS yet (videos made before HLS, or whose packaging gave up).

`manage.py video_hls_backfill` queues one task per video for the task worker; `--now` packages them in this
process, one after the other. Run again at any time: videos already packaged are skipped.
"""

from typing import Any

from django.core.management.base import BaseCommand

from kizuna.media.hls import hls_backfill_candidates, video_hls_package
from kizuna.media.models import Video
from kizuna.media.tasks import video_hls_task


class Command(BaseCommand):
    help = "Package as HLS (renditions and playlists) every ready video that has none yet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="package here and now instead of queueing tasks")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = hls_backfill_candidates()
        packaged = failed = 0
        for video_id in ids:
            if not options["now"]:
                video_hls_task.enqueue(video_id)
                continue
            video = Video.objects.filter(pk=video_id).first()
            if video is None:
                continue
            video = video_hls_package(video=video)
            if video.hls_master:
                packaged += 1
            else:
                failed += 1
                self.stderr.write(f"video {video_id}: {video.hls_error}")
        if options["now"]:
            self.stdout.write(f"packaged {packaged} video(s), {failed} failed")
        else:
            self.stdout.write(f"queued {len(ids)} video(s)")
