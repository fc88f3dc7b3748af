"""A model roleplay take a coach publishes as a lesson credits the rep as a success story does: by name as the
sharing setting allows, a notice to them and their manager, and the success-story points and badge, once."""

import pytest
from django.urls import reverse

from kizuna.catalog import services as catalog
from kizuna.catalog.models import PublishedLesson
from kizuna.coaching import services as coaching
from kizuna.coaching.tests.helpers import hand_in, roleplay_for
from kizuna.notifications.models import Notification
from kizuna.orgs.sharing import sharing_policy_set
from kizuna.stories.models import SuccessStory


@pytest.fixture
def take(cast, django_capture_on_commit_callbacks):
    roleplay = roleplay_for(cast, peer_count=0)
    with django_capture_on_commit_callbacks(execute=True):  # the take's video is converted
        submission = hand_in(cast.rep_a1, roleplay, consent=True)
    submission.refresh_from_db()
    return submission


def _names(policy):
    sharing_policy_set(community_names=policy, ranking_names="agency", review_names="agency")


def test_a_published_take_credits_the_rep_by_name_notifies_them_and_their_manager_and_awards_the_badge(
    cast, signed_in, take
):
    from kizuna.gamification.models import BadgeAward, PointAward
    from kizuna.records.services import projections_eager

    _names("real")
    with projections_eager():
        signed_in(cast.coach).post(reverse("coaching:roleplay_take_publish", args=[take.pk]))
    lesson = PublishedLesson.objects.get()
    assert "営業 一子" in lesson.body_html and "パートナーA株式会社" in lesson.body_html
    story = SuccessStory.objects.get(rep=cast.rep_a1)
    assert story.source == SuccessStory.Source.ROLEPLAY_TAKE and story.status == SuccessStory.Status.PUBLISHED
    assert story.course_id == lesson.version.course_id and "営業 一子" in story.credited_as
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="stories.published").count() == 1
    assert Notification.objects.filter(recipient=cast.manager_a, kind="stories.published").count() == 1
    assert not Notification.objects.filter(recipient=cast.manager_b, kind="stories.published").exists()
    assert PointAward.objects.filter(user=cast.rep_a1, kind="success_story").count() == 1
    assert BadgeAward.objects.filter(user=cast.rep_a1, badge__slug="success-story").count() == 1


def test_without_real_names_across_agencies_the_take_is_credited_to_the_agency_only(cast, take):
    _names("pseudonym")
    coaching.exemplary_publish(submission=take, coach=cast.coach)
    lesson = PublishedLesson.objects.get()
    assert "パートナーA株式会社" in lesson.body_html and "営業 一子" not in lesson.body_html
    assert "営業 一子" not in SuccessStory.objects.get(rep=cast.rep_a1).credited_as


def test_publishing_the_takes_course_again_credits_once(cast, take):
    from kizuna.gamification.models import PointAward
    from kizuna.records.services import projections_eager

    with projections_eager():
        coaching.exemplary_publish(submission=take, coach=cast.coach)
        coaching.exemplary_publish(submission=take, coach=cast.coach)  # already published: the same lesson
        take.refresh_from_db()
        course = take.exemplary_course
        catalog.course_update(course=course, title="お手本: 言い直し", summary="", product=None, tags=[])
        catalog.course_publish(course=course, publisher=cast.author)  # again, from the studio
    assert SuccessStory.objects.filter(rep=cast.rep_a1).count() == 1
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="stories.published").count() == 1
    assert PointAward.objects.filter(user=cast.rep_a1, kind="success_story").count() == 1


def test_a_refused_take_publish_credits_nobody(cast, take):
    from kizuna.coaching.errors import CoachingError
    from kizuna.plain.services import term_save

    term_save(editor=cast.author, term_ja=take.roleplay.title[:4], is_jargon=True)  # in the lesson's title
    with pytest.raises(CoachingError):
        coaching.exemplary_publish(submission=take, coach=cast.coach)
    assert not SuccessStory.objects.exists()
    assert not Notification.objects.filter(kind="stories.published").exists()
