"""Partner A's flash update for the isolation walk (kizuna/tests/test_isolation.py).

One update, for partner A only, with every part a route can serve: a photo, a ready
video and a check question, so that each `update_id` route has something to refuse.
"""

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.media.models import Video
    from kizuna.updates import services

    from .conftest import phone_jpeg, question

    video = Video.objects.create(title="A社向け速報", status=Video.Status.READY, duration_seconds=2)
    video.mp4.save(f"videos/{video.key}/video.mp4", ContentFile(b"\x00" * 2048))
    video.poster.save(f"videos/{video.key}/poster.jpg", ContentFile(b"\xff\xd8\xff"))
    update = services.update_create(
        author=cast.coach,
        title="A社だけの速報",
        body="A社の営業担当者だけが読めます。",
        audience="selected",
        partners=[cast.partner_a],
        photo=SimpleUploadedFile("a.jpg", phone_jpeg(width=64, height=48), content_type="image/jpeg"),
        question=question(),
    )
    update.video = video
    update.save(update_fields=["video"])
    services.update_publish(update=update, publisher=cast.coach, notify=False)
    return {"update_id": update.pk, "update_key": update.key}
