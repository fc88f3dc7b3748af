"""Exemplary takes: with the rep's consent a coach publishes one, with its comments, as a video lesson."""

from typing import Any

import pytest
from django.urls import reverse

from kizuna.catalog.models import PublishedLesson
from kizuna.coaching import services
from kizuna.coaching.errors import CoachingError

from .helpers import hand_in, roleplay_for


@pytest.mark.django_db
def test_a_coach_publishes_a_consented_take_as_a_lesson_with_its_comments(
    cast: Any, signed_in: Any, django_capture_on_commit_callbacks: Any
) -> None:
    roleplay = roleplay_for(cast, peer_count=0)
    with django_capture_on_commit_callbacks(execute=True):
        take = hand_in(cast.rep_a1, roleplay)
    services.comment_add(submission=take, author=cast.coach, body="ここの切り返しが見事です", at_second=1)
    client = signed_in(cast.coach)
    refused = client.post(reverse("coaching:roleplay_take_publish", args=[take.pk]))
    assert refused.status_code == 302 and not PublishedLesson.objects.exists()

    signed_in(cast.rep_a1).post(reverse("coaching:roleplay_take_consent", args=[take.pk]), {"consent": "on"})
    client = signed_in(cast.coach)
    response = client.post(reverse("coaching:roleplay_take_publish", args=[take.pk]))
    lesson = PublishedLesson.objects.get()
    assert response.url == reverse("learning:lesson", args=[lesson.pk])
    assert lesson.kind == "video" and lesson.video_id == take.video_id
    assert "0:01" in lesson.body_html and "ここの切り返しが見事です" in lesson.body_html
    take.refresh_from_db()
    assert take.exemplary_lesson_id == lesson.pk
    # Published takes keep their video: the rep can no longer withdraw consent or delete it.
    with pytest.raises(CoachingError):
        services.submission_delete(submission=take)
    with pytest.raises(CoachingError):
        services.submission_consent_set(submission=take, consent=False)


@pytest.mark.django_db
def test_managers_and_reps_cannot_publish(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=0)
    take = hand_in(cast.rep_a1, roleplay, consent=True)
    for person in (cast.manager_a, cast.rep_a1, cast.author, cast.manager_b):
        assert signed_in(person).post(reverse("coaching:roleplay_take_publish", args=[take.pk])).status_code == 404
