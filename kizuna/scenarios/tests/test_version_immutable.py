"""A published scenario version never changes: besides saving it again (test_publishing), updating it is refused."""

import pytest

from kizuna.catalog.versions import ImmutableVersionError
from kizuna.scenarios.models import ScenarioVersion


def test_it_refuses_to_update_published_scenario_versions_through_a_queryset(complaint_version):
    with pytest.raises(ImmutableVersionError):
        ScenarioVersion.objects.filter(pk=complaint_version.pk).update(graph={})
    with pytest.raises(ImmutableVersionError):
        complaint_version.scenario.versions.update(title="changed")
    assert ScenarioVersion.objects.get(pk=complaint_version.pk).graph == complaint_version.graph


def test_it_lets_the_scenario_publisher_be_forgotten(complaint_version):
    assert ScenarioVersion.objects.filter(pk=complaint_version.pk).update(published_by=None) == 1
