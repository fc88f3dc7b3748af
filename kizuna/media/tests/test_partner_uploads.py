"""A video a rep uploaded (a roleplay take) is private: not in the studio, not playable by key for staff."""

from django.core.files.base import ContentFile
from django.urls import reverse

from kizuna.media.models import Video
from kizuna.media.selectors import video_visible_to, videos_for_studio


def _video(uploaded_by):
    video = Video.objects.create(title="take", uploaded_by=uploaded_by, status=Video.Status.READY)
    video.original.save("take.mp4", ContentFile(b"not really a video"), save=True)
    return video


def test_a_reps_upload_is_not_listed_in_the_studio(cast):
    take = _video(cast.rep_a1)
    own = _video(cast.author)
    listed = set(videos_for_studio(cast.author).values_list("pk", flat=True))
    assert own.pk in listed and take.pk not in listed


def test_staff_cannot_watch_a_reps_upload_by_its_key(cast, client):
    take = _video(cast.rep_a1)
    assert not video_visible_to(cast.author, take.pk)
    assert video_visible_to(cast.author, _video(cast.author).pk)
    client.force_login(cast.author)
    assert client.get(reverse("media:video_detail", kwargs={"video_id": take.pk})).status_code == 404
    assert client.get(reverse("media:video_stream", kwargs={"key": take.key})).status_code == 404
