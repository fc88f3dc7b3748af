"""Scenario fixtures: the example complaint scenario (docs/examples), published, and in a course lesson."""

from typing import Any

import pytest

from conftest import publish_course

from .helpers import example_data


@pytest.fixture
def product(db: Any) -> Any:
    from kizuna.catalog.services import product_create

    return product_create(name="クラウド勤怠 KIZUNA", slug="kizuna-attendance")


@pytest.fixture
def complaint(cast: Any, product: Any) -> Any:
    """The example complaint-handling scenario, imported as a draft."""
    from kizuna.scenarios.services import scenario_import

    return scenario_import(example_data(), author=cast.author)


@pytest.fixture
def complaint_version(cast: Any, complaint: Any) -> Any:
    from kizuna.scenarios.services import scenario_publish

    return scenario_publish(scenario=complaint, publisher=cast.author)


@pytest.fixture
def scenario_lesson(cast: Any, complaint: Any) -> Any:
    """A published course whose only lesson plays the complaint scenario, assigned to partner A only."""
    course = publish_course(
        cast,
        slug="complaint-course",
        title="クレーム対応",
        lessons=[{"kind": "scenario", "title": "最初のひとこと", "content_id": complaint.pk}],
    )
    return course.latest_version.lessons.get()
