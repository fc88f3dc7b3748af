"""A lesson whose video is packaged as HLS is saved on the phone with its smallest rendition as one MP4."""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from kizuna.assessments.tests.conftest import make_bank, make_quiz, quiz_lesson
from kizuna.pwa.selectors import PAGE_ALLOWANCE_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiz_kinds() -> None:
    from kizuna.assessments.kinds import register_kinds

    register_kinds()


def test_a_lesson_with_hls_keeps_the_phone_rendition_and_shows_its_size(client: Client, cast: Any) -> None:
    by_type = {q.type: q for q in make_bank(cast).questions.all()}
    lesson = quiz_lesson(cast, make_quiz(cast, [by_type["single"]]), kind="micro")
    video = lesson.video
    video.phone_mp4.save(f"videos/{video.key}/phone.mp4", ContentFile(b"\x00" * 300))
    video.hls_master.save(f"videos/{video.key}/hls/master.m3u8", ContentFile(b"#EXTM3U\n"))

    client.force_login(cast.rep_a1)
    pack = client.get(f"/pwa/lessons/{lesson.pk}/pack/").json()

    # The 300-byte phone rendition, not the 1024-byte MP4; the page plays that same URL when offline.
    assert pack["urls"] == [pack["page"], f"/videos/{video.key}/phone", f"/videos/{video.key}/poster"]
    assert pack["bytes"] == 300 + PAGE_ALLOWANCE_BYTES
    page = client.get(pack["page"]).content.decode()
    assert f'src="/videos/{video.key}/phone"' in page
    assert f'data-hls="/videos/{video.key}/hls/master.m3u8"' in page
