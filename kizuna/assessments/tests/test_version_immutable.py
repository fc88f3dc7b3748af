"""A published quiz version never changes: saving it again or updating it is refused."""

import pytest

from kizuna.assessments import services
from kizuna.assessments.models import QuizVersion
from kizuna.catalog.versions import ImmutableVersionError

from .conftest import make_quiz


@pytest.fixture
def version(cast, questions):
    return services.quiz_publish(quiz=make_quiz(cast, [questions["single"]], pass_mark=70), publisher=cast.author)


def test_it_refuses_to_save_a_published_quiz_version_again(version):
    version.pass_mark = 10
    with pytest.raises(ImmutableVersionError):
        version.save()
    assert QuizVersion.objects.get(pk=version.pk).pass_mark == 70


def test_it_refuses_to_update_published_quiz_versions_through_a_queryset(version):
    with pytest.raises(ImmutableVersionError):
        QuizVersion.objects.filter(pk=version.pk).update(pass_mark=10)
    with pytest.raises(ImmutableVersionError):
        version.quiz.versions.update(questions={})
    assert QuizVersion.objects.get(pk=version.pk).pass_mark == 70


def test_it_lets_the_quiz_publisher_be_forgotten(version):
    assert QuizVersion.objects.filter(pk=version.pk).update(published_by=None) == 1
