"""A published course version never changes: saving it again or updating it is refused; only its publisher may be forgotten."""

import pytest

from conftest import publish_course
from kizuna.catalog.models import CourseVersion
from kizuna.catalog.versions import ImmutableVersionError


@pytest.fixture
def version(cast):
    course = publish_course(
        cast, slug="frozen", title="凍結", lessons=[{"kind": "article", "title": "一", "body": "本文"}]
    )
    return course.latest_version


def test_it_refuses_to_save_a_published_course_version_again(version):
    version.title = "changed"
    with pytest.raises(ImmutableVersionError):
        version.save()
    version.refresh_from_db()
    assert version.title == "凍結"


def test_it_refuses_to_save_only_some_fields_of_a_published_course_version(version):
    version.lesson_count = 99
    with pytest.raises(ImmutableVersionError):
        version.save(update_fields=["lesson_count"])
    assert CourseVersion.objects.get(pk=version.pk).lesson_count == 1


def test_it_refuses_to_update_published_course_versions_through_a_queryset(version):
    with pytest.raises(ImmutableVersionError):
        CourseVersion.objects.filter(pk=version.pk).update(title="changed")
    with pytest.raises(ImmutableVersionError):
        version.course.versions.update(summary="changed")
    assert CourseVersion.objects.get(pk=version.pk).title == "凍結"


def test_a_refused_change_is_a_value_error(version):
    # Callers that guarded ScenarioVersion with ValueError keep working for every kind.
    with pytest.raises(ValueError, match="immutable"):
        version.save()


def test_it_lets_the_publisher_be_forgotten(version):
    # What Django's deletion collector does when the publisher's account is deleted (published_by: SET_NULL).
    assert CourseVersion.objects.filter(pk=version.pk).update(published_by=None) == 1
    assert CourseVersion.objects.get(pk=version.pk).published_by is None


def test_it_refuses_any_other_change_made_with_the_publisher_forgotten(version):
    with pytest.raises(ImmutableVersionError):
        CourseVersion.objects.filter(pk=version.pk).update(published_by=None, title="changed")
