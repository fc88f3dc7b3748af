"""The feedback pages run a fixed number of queries however many entries there are."""

import pytest
from django.urls import reverse

from kizuna.catalog import services as catalog

from .conftest import give_feedback, record_voice


def _entries(cast, n):
    product = catalog.product_create(name="クラウド会計", slug="cloud-accounting")
    for i in range(n):
        record_voice(cast.rep_a1 if i % 2 else cast.rep_b1, f"質問{i}", product=product)


@pytest.mark.parametrize("n", [2, 12])
def test_the_inbox_and_the_reps_list_run_a_fixed_number_of_queries(cast, client, django_assert_num_queries, n):
    _entries(cast, n)
    client.force_login(cast.coach)
    # session, user with membership, partners (filter form, twice: count and choices), products (choices),
    # count, page of entries
    with django_assert_num_queries(7):
        assert client.get(reverse("feedback:field_voice_inbox")).status_code == 200
    client.force_login(cast.rep_a1)
    # session, user with membership, count, page
    with django_assert_num_queries(4):
        assert client.get(reverse("feedback:field_voice")).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_the_report_runs_a_fixed_number_of_queries(cast, client, django_assert_num_queries, n):
    _entries(cast, n)
    client.force_login(cast.admin)
    # session, user, partners (twice), products, then the report: totals, groups, trend, topics, products, months
    with django_assert_num_queries(11):
        assert client.get(reverse("feedback:field_voice_report")).status_code == 200


@pytest.mark.parametrize("n", [1, 2])
def test_the_feedback_inbox_runs_a_fixed_number_of_queries(cast, client, django_assert_num_queries, n, article_course):
    for i, lesson in enumerate(list(article_course.latest_version.lessons.all())[:n]):
        give_feedback(cast.rep_a1, lesson, comment=f"感想{i}")
        give_feedback(cast.rep_a2, lesson, comment=f"感想{i}")
    client.force_login(cast.author)
    # session, user, groups, titles
    with django_assert_num_queries(4):
        assert client.get(reverse("feedback:feedback_inbox")).status_code == 200
