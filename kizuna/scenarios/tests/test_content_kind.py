"""A course lesson can be a scenario: the studio offers scenarios, publishing checks and freezes them."""

import pytest
from django.urls import reverse

from kizuna.catalog import services as catalog
from kizuna.scenarios import services
from kizuna.scenarios.models import ScenarioVersion


def test_the_studio_offers_scenarios(cast, complaint, signed_in):
    course = catalog.course_create(author=cast.author, title="研修", slug="training")
    module = catalog.module_create(course=course, title="章")
    page = signed_in(cast.author).get(reverse("catalog:studio_lesson_new", args=[module.pk]), {"kind": "scenario"})
    assert complaint.title in page.content.decode()


def test_publishing_a_course_publishes_the_scenario_and_stores_its_version(cast, complaint):
    course = catalog.course_create(author=cast.author, title="研修", slug="training")
    module = catalog.module_create(course=course, title="章")
    catalog.lesson_create(module=module, kind="scenario", title="クレーム", content_id=complaint.pk)
    version = catalog.course_publish(course=course, publisher=cast.author)
    published = version.lessons.get()
    assert ScenarioVersion.objects.get(pk=published.content_id).scenario == complaint


def test_a_scenario_with_errors_stops_the_course_from_publishing(cast, complaint):
    services.node_delete(node=complaint.nodes.get(key="trust"))
    course = catalog.course_create(author=cast.author, title="研修", slug="training")
    module = catalog.module_create(course=course, title="章")
    catalog.lesson_create(module=module, kind="scenario", title="クレーム", content_id=complaint.pk)
    problems = catalog.course_publish_problems(course)
    assert any(complaint.title in p and "root-cause" in p for p in problems)
    with pytest.raises(catalog.CatalogError):
        catalog.course_publish(course=course, publisher=cast.author)
