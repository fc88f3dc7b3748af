"""Freshness beyond lessons: a quiz, a scenario and a flash update carry a review date and products, and a product
change flags them too; the list's performance shows how many reps started and completed each lesson."""

from datetime import date

import pytest
from django.urls import reverse

from kizuna.freshness import selectors, services
from kizuna.freshness.models import Freshness

from .helpers import linked_lesson, product


def _quiz(cast):
    from kizuna.assessments.services import quiz_create

    return quiz_create(author=cast.author, title="料金の確認テスト")


def _scenario(cast):
    from kizuna.scenarios.services import scenario_import
    from kizuna.scenarios.tests.helpers import tiny_graph

    return scenario_import(tiny_graph(), author=cast.author)


def _update(cast):
    from kizuna.updates.services import update_create

    return update_create(author=cast.author, title="4月の料金改定", body="月額が変わります。")


@pytest.mark.parametrize(("kind", "make"), [("quiz", _quiz), ("scenario", _scenario), ("flash_update", _update)])
def test_each_kind_carries_a_review_date_and_products_and_is_flagged_when_its_product_changes(
    cast, signed_in, kind, make
):
    content, prod = make(cast), product()
    url = reverse("freshness:freshness_edit", kwargs={"review_kind": kind, "review_object_id": content.pk})
    response = signed_in(cast.author).post(url, {"review_by": "2040-01-31", "products": [prod.pk]})
    assert response.status_code == 302
    row = Freshness.objects.get(kind=kind, object_id=content.pk)
    assert row.review_by == date(2040, 1, 31) and list(row.products.all()) == [prod]
    services.product_mark_changed(user=cast.admin, product=prod, note="料金改定")
    row.refresh_from_db()
    assert row.flagged_at is not None
    first = selectors.review_list(cast.author)[0]
    assert (first.item.kind, first.item.object_id) == (kind, content.pk)  # stale first


def test_the_list_shows_how_many_reps_started_and_completed_each_lesson(cast):
    from kizuna.records import services as records

    lesson = linked_lesson(cast, product())
    published = lesson.module.course.latest_version.lessons.get()
    for rep in (cast.rep_a1, cast.rep_a2):
        records.lesson_launch(rep=rep, lesson=published)
    records.lesson_complete(rep=cast.rep_a1, lesson=published)
    row = next(r for r in selectors.review_list(cast.author) if r.item.object_id == lesson.pk)
    assert (row.performance.started, row.performance.completed) == (2, 1)
    assert row.performance.completion_percent == 50
