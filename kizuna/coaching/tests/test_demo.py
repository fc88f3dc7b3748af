"""The demo's roleplay practice: seeded through the services onto the demo's people."""

from typing import Any

import pytest
from django.utils import timezone

from kizuna.coaching.models import Comment, Review, Roleplay, Submission
from kizuna.coaching.selectors import roleplays_passed
from kizuna.demo.coaching import seed_coaching
from kizuna.demo.services import people_create


@pytest.mark.django_db
def test_the_demo_has_roleplays_takes_reviews_and_comments(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    now = timezone.now()
    cast = people_create(now=now)
    seed_coaching(now=now)
    seed_coaching(now=now)  # a second run changes nothing
    assert Roleplay.objects.count() == 3
    assert Roleplay.objects.filter(status="published").count() == 2
    takes = Submission.objects.select_related("rep")
    assert takes.count() == 5
    ace = takes.get(rep__email="rep2@partner-a.example")
    assert ace.passed is True and ace.is_reference and ace.exemplary_consent
    weak = takes.get(rep__email="rep1@partner-a.example", take=1, roleplay__peer_count=2)
    assert weak.passed is False
    assert Comment.objects.filter(submission=weak, parent=None).count() == 4
    assert Comment.objects.filter(submission=weak, parent__isnull=False).count() == 1
    assert Review.objects.filter(role="calibration", status="submitted").count() == 1
    rep2 = ace.rep
    assert roleplays_passed(rep_ids=[rep2.pk])[rep2.pk] == {ace.roleplay_id}
    assert cast is not None
