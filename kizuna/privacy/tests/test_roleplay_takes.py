"""A rep's roleplay takes: their videos go into the export, and erasure deletes them (others' stay)."""

import io
import zipfile
from typing import Any

from django.urls import reverse

from kizuna.coaching.models import Comment, Submission
from kizuna.coaching.services import comment_add
from kizuna.coaching.tests.helpers import hand_in, roleplay_for
from kizuna.media.models import Video
from kizuna.media.services import video_transcode
from kizuna.privacy.models import DataExport
from kizuna.records.models import Statement
from kizuna.tests.stored_support import fetched


def _takes(cast: Any) -> tuple[Any, Any]:
    roleplay = roleplay_for(cast, peer_count=0)
    mine, theirs = hand_in(cast.rep_a1, roleplay), hand_in(cast.rep_a2, roleplay)
    for take in (mine, theirs):
        video_transcode(video=take.video)
    comment_add(submission=theirs, author=cast.rep_a1, body="一子のコメント", at_second=1)
    return mine, theirs


def test_the_export_carries_the_reps_take_video(cast, signed_in, monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, *a, **k: fn())
    mine, theirs = _takes(cast)
    client = signed_in(cast.rep_a1)
    client.post(reverse("privacy:my_data"))
    export = DataExport.objects.get(user=cast.rep_a1)
    body = fetched(client, reverse("privacy:my_data_download", kwargs={"export_key": export.key})).body
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert f"files/roleplay/take-{mine.pk}.mp4" in names
    assert f"files/roleplay/take-{theirs.pk}.mp4" not in names
    assert "一子のコメント" in zipfile.ZipFile(io.BytesIO(body)).read("roleplay_comments.json").decode()


def test_erasure_deletes_the_reps_take_videos_and_comments_only(cast, signed_in):
    mine, theirs = _takes(cast)
    my_video = mine.video
    cast.rep_a1.is_active = False
    cast.rep_a1.save(update_fields=["is_active"])
    response = signed_in(cast.admin).post(
        reverse("privacy:person_erase", kwargs={"person_id": cast.rep_a1.pk}),
        {"reason": "依頼", "confirmation": cast.rep_a1.email},
    )
    assert response.status_code == 302
    assert not Video.objects.filter(pk=my_video.pk).exists()
    assert Submission.objects.get(pk=mine.pk).video_id is None
    assert Submission.objects.get(pk=theirs.pk).video.is_ready
    assert Comment.objects.get(author=cast.rep_a1).body == ""
    responses = [st.result.get("response") for st in Statement.objects.filter(actor=cast.rep_a1) if st.result]
    assert "一子のコメント" not in responses
