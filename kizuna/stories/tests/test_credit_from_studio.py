"""A success story's lesson published from the studio's course page credits the rep as its own page does."""

import pytest
from django.urls import reverse

from kizuna.catalog import services as catalog
from kizuna.notifications.models import Notification
from kizuna.stories import services
from kizuna.stories.models import SuccessStory
from kizuna.stories.tests.helpers import interviewed


def _drafted(cast):
    story = interviewed(cast)
    services.story_draft(story=story, author=cast.author)
    story.refresh_from_db()
    return story


def test_publishing_the_storys_course_in_the_studio_credits_the_rep_and_tells_them_and_their_manager(cast, signed_in):
    from kizuna.gamification.models import PointAward
    from kizuna.records.services import projections_eager

    story = _drafted(cast)
    with projections_eager():
        signed_in(cast.author).post(reverse("catalog:studio_course_publish", args=[story.course.pk]))
    story.refresh_from_db()
    assert story.status == SuccessStory.Status.PUBLISHED and story.published_at is not None
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="stories.published").count() == 1
    assert Notification.objects.filter(recipient=cast.manager_a, kind="stories.published").count() == 1
    assert PointAward.objects.filter(user=cast.rep_a1, kind="success_story").count() == 1


def test_publishing_the_course_again_does_not_credit_twice(cast):
    from kizuna.gamification.models import PointAward
    from kizuna.records.services import projections_eager

    story = _drafted(cast)
    with projections_eager():
        catalog.course_publish(course=story.course, publisher=cast.author)
        catalog.course_update(course=story.course, title="取り戻した話", summary="", product=None, tags=[])
        catalog.course_publish(course=story.course, publisher=cast.author)
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="stories.published").count() == 1
    assert PointAward.objects.filter(user=cast.rep_a1, kind="success_story").count() == 1


def test_a_refused_publish_credits_nobody(cast):
    from kizuna.plain.services import term_save

    story = _drafted(cast)
    term_save(editor=cast.author, term_ja="サポート", is_jargon=True)  # in the interview's answers, unexplained
    with pytest.raises(catalog.CatalogError):
        catalog.course_publish(course=story.course, publisher=cast.author)
    story.refresh_from_db()
    assert story.status == SuccessStory.Status.DRAFTED
    assert not Notification.objects.filter(recipient=cast.rep_a1, kind="stories.published").exists()


def test_other_courses_publish_as_before(cast):
    from conftest import publish_course

    story = _drafted(cast)
    publish_course(cast, slug="other", title="別の講座", lessons=[{"kind": "article", "title": "a", "body": "本文"}])
    story.refresh_from_db()
    assert story.status == SuccessStory.Status.DRAFTED
