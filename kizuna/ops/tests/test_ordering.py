"""One step up or down in an author's ordered list, the same for lessons, quiz items, choices and survey questions."""

import pytest

from kizuna.catalog import services as catalog
from kizuna.ops.ordering import position_swap

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(cast):
    course = catalog.course_create(author=cast.author, title="並べ替え", slug="ordering")
    module = catalog.module_create(course=course, title="第1章")
    for title in ("一", "二", "三"):
        catalog.lesson_create(module=module, kind="article", title=title, body="本文")
    return module


def _titles(module):
    return list(module.lessons.order_by("position", "id").values_list("title", flat=True))


def test_a_row_swaps_with_its_neighbour_up_and_down(module):
    second = module.lessons.get(title="二")
    assert position_swap(module.lessons.all(), pk=second.pk, direction=-1) is True
    assert _titles(module) == ["二", "一", "三"]
    assert position_swap(module.lessons.all(), pk=second.pk, direction=+1) is True
    assert _titles(module) == ["一", "二", "三"]
    assert list(module.lessons.order_by("position").values_list("position", flat=True)) == [1, 2, 3]


def test_a_row_at_an_end_stays_and_nothing_changes(module):
    first, last = module.lessons.get(title="一"), module.lessons.get(title="三")
    assert position_swap(module.lessons.all(), pk=first.pk, direction=-1) is False
    assert position_swap(module.lessons.all(), pk=last.pk, direction=+1) is False
    assert _titles(module) == ["一", "二", "三"]
