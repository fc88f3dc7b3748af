"""A flash update saved on the phone and read, answered and confirmed without a connection: saving it is not a
read, and what the phone sends later is recorded once, at the moments it happened, the answer checked then."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kizuna.records.models import Statement
from kizuna.tests.stored_support import fetched
from kizuna.updates.models import Receipt

from .conftest import post_update, question

pytestmark = pytest.mark.django_db


def test_saving_an_update_on_the_phone_is_not_a_read(client, cast):
    update = post_update(cast, question=question())
    client.force_login(cast.rep_a1)
    page = client.get(f"/updates/{update.pk}/", HTTP_X_KIZUNA_OFFLINE_SAVE="1").content.decode()
    assert 'id="flash-offline"' in page and f'data-read="/updates/{update.pk}/read/"' in page
    assert 'name="option"' in page and "pwa/offline" in page
    assert not Receipt.objects.filter(update=update, rep=cast.rep_a1).exists()


def test_read_answered_and_confirmed_offline_count_once_at_their_moments(client, cast):
    update = post_update(cast, question=question(correct=2))
    client.force_login(cast.rep_a1)
    read_at = (timezone.now() - timedelta(hours=3)).replace(microsecond=0)
    answered_at, acked_at = read_at + timedelta(minutes=1), read_at + timedelta(minutes=2)
    json = {"HTTP_ACCEPT": "application/json"}
    for _twice in range(2):  # sent again by Background Sync and a page at once: nothing more
        assert client.post(f"/updates/{update.pk}/read/", {"at": read_at.isoformat()}, **json).json() == {"read": True}
        answer = client.post(f"/updates/{update.pk}/answer/", {"option": "3", "at": answered_at.isoformat()}, **json)
        assert answer.json() == {"scored": True, "question": update.title, "correct": False}
        ack = client.post(f"/updates/{update.pk}/ack/", {"at": acked_at.isoformat()}, **json)
        assert ack.json() == {"acknowledged": True}
    receipt = Receipt.objects.get(update=update, rep=cast.rep_a1)
    assert (receipt.seen_at, receipt.answered_at, receipt.acknowledged_at) == (read_at, answered_at, acked_at)
    assert receipt.answer == 3 and receipt.answer_correct is False
    assert Statement.objects.filter(actor=cast.rep_a1).count() == 3


def test_it_refuses_an_offline_time_it_cannot_believe_in_the_reps_language(client, cast):
    update = post_update(cast)
    client.force_login(cast.rep_a1)
    old = (timezone.now() - timedelta(days=30)).isoformat()
    for at, words in ((old, "14 日"), ("someday", "時刻")):
        response = client.post(f"/updates/{update.pk}/ack/", {"at": at}, HTTP_ACCEPT="application/json")
        assert response.status_code == 400 and words in response.json()["error"]
    assert not Receipt.objects.filter(update=update, rep=cast.rep_a1).exists()


def test_the_next_up_pack_holds_the_reps_unconfirmed_updates(client, cast):
    update = post_update(cast)
    client.force_login(cast.rep_a1)
    packs = client.get("/pwa/next-up/pack/").json()["packs"]
    assert [(p["key"], p["page"]) for p in packs] == [(f"update-{update.pk}", f"/updates/{update.pk}/")]
    client.post(f"/updates/{update.pk}/ack/")
    assert client.get("/pwa/next-up/pack/").json()["packs"] == []


def test_an_update_with_a_video_is_saved_with_its_phone_rendition_and_poster(client, cast):
    from django.core.files.base import ContentFile

    from kizuna.media.models import Video
    from kizuna.pwa.selectors import UPDATE_BYTES
    from kizuna.updates.models import FlashUpdate

    update = post_update(cast)
    video = Video.objects.create(title="朝礼", uploaded_by=cast.coach, original="videos/t/original", status="ready")
    video.mp4.save(f"videos/{video.key}/video.mp4", ContentFile(b"\x00" * 1024))
    video.phone_mp4.save(f"videos/{video.key}/phone.mp4", ContentFile(b"\x00" * 300))
    video.poster.save(f"videos/{video.key}/poster.jpg", ContentFile(b"\xff\xd8\xff"))
    FlashUpdate.objects.filter(pk=update.pk).update(video=video)
    client.force_login(cast.rep_a1)
    (pack,) = client.get("/pwa/next-up/pack/").json()["packs"]
    phone = f"/updates/{update.pk}/video/phone"
    assert pack["urls"] == [f"/updates/{update.pk}/", phone, f"/updates/{update.pk}/poster"]
    assert pack["bytes"] == UPDATE_BYTES + 300  # the phone rendition, not the MP4
    # The page a rep saves plays that same URL, so the phone finds it offline.
    page = client.get(f"/updates/{update.pk}/", HTTP_X_KIZUNA_OFFLINE_SAVE="1").content.decode()
    assert f'src="{phone}"' in page
    assert fetched(client, phone).body == b"\x00" * 300
