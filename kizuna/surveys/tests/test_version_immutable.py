"""A published survey version never changes: saving it again or updating it is refused."""

import pytest

from kizuna.catalog.versions import ImmutableVersionError
from kizuna.surveys.models import SurveyVersion


def test_it_refuses_to_save_a_published_survey_version_again(survey):
    version = survey.latest_version
    version.intro = "changed"
    with pytest.raises(ImmutableVersionError):
        version.save()
    assert SurveyVersion.objects.get(pk=version.pk).intro == "3分で終わります。"


def test_it_refuses_to_update_published_survey_versions_through_a_queryset(survey):
    with pytest.raises(ImmutableVersionError):
        SurveyVersion.objects.filter(survey=survey).update(questions=[])
    with pytest.raises(ImmutableVersionError):
        survey.versions.update(title="changed")
    assert len(SurveyVersion.objects.get(survey=survey).questions) == 5


def test_it_lets_the_survey_publisher_be_forgotten(survey):
    assert SurveyVersion.objects.filter(survey=survey).update(published_by=None) == 1


def test_a_draft_has_unpublished_changes_until_it_is_published(cast, survey):
    from kizuna.surveys import services

    assert services.survey_create(author=cast.author, title="新しいアンケート", intro="").has_unpublished_changes
    assert not survey.has_unpublished_changes
