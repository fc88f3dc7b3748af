"""The daily job: overdue reviews are reminded once; peer reviews long overdue are given up and the take decided."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kizuna.coaching import services
from kizuna.coaching.models import Review
from kizuna.notifications.models import Notification
from kizuna.ops.schedule import registered_jobs

from .helpers import criteria_ids, hand_in, roleplay_for


@pytest.mark.django_db
def test_overdue_reviewers_are_reminded_once(cast: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=1, review_days=2)
    take = hand_in(cast.rep_a1, roleplay)
    now = timezone.now()
    assert services.review_reminders_send(now=now) == {"reminded": 0, "expired": 0, "uploads_expired": 0}
    later = now + timedelta(days=3)
    assert services.review_reminders_send(now=later) == {"reminded": 2, "expired": 0, "uploads_expired": 0}
    assert services.review_reminders_send(now=later) == {"reminded": 0, "expired": 0, "uploads_expired": 0}
    assert Notification.objects.filter(recipient=cast.rep_a2, kind="coaching.review_overdue").count() == 1
    # The coach reviews; the peer never does: after the grace days the take is decided on the coach's review.
    ids = criteria_ids(roleplay)
    services.review_submit(
        review=take.reviews.get(role="coach"),
        levels={ids[0]: 3, ids[1]: 2},
        reasons={i: "良" for i in ids},
        feedback="良",
    )
    assert services.review_reminders_send(now=now + timedelta(days=6)) == {
        "reminded": 0,
        "expired": 1,
        "uploads_expired": 0,
    }
    take.refresh_from_db()
    assert take.passed is True
    assert take.reviews.get(role="peer").status == Review.Status.EXPIRED


def test_the_daily_job_is_registered() -> None:
    assert "coaching_review_reminders" in {job.id for job in registered_jobs()}


@pytest.mark.django_db
def test_unfinished_uploads_are_deleted_after_two_days(cast: Any, settings: Any) -> None:
    import io
    import uuid

    from kizuna.coaching.models import Upload
    from kizuna.ops.storage import stored_list

    roleplay = roleplay_for(cast)
    upload = services.upload_start(rep=cast.rep_a1, roleplay=roleplay, size=10, statement_id=uuid.uuid4())
    services.upload_chunk_write(upload=upload, offset=0, stream=io.BytesIO(b"12345"), length=5)
    folder = services.upload_folder(upload)
    assert stored_list(folder) == [f"{folder}/000000000000"]
    assert services.uploads_expire(now=timezone.now() + timedelta(days=1)) == 0
    assert services.uploads_expire(now=timezone.now() + timedelta(days=3)) == 1
    assert not Upload.objects.exists() and stored_list(folder) == []
