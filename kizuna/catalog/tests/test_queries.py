"""The studio list and the assignments list cost the same number of queries however many rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kizuna.catalog import services as catalog


def add_course(cast, n):
    course = catalog.course_create(author=cast.author, title=f"コース{n}", slug=f"course-{n}")
    module = catalog.module_create(course=course, title="章")
    catalog.lesson_create(module=module, kind="article", title="記事", body="本文")
    catalog.course_publish(course=course, publisher=cast.author)
    course.refresh_from_db()
    catalog.assignment_create(course=course, assigned_by=cast.admin, required=False, team=cast.team_a1)
    return course


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_studio_list_and_the_assignments_list_do_not_grow_with_rows(cast, signed_in):
    client = signed_in(cast.admin)
    add_course(cast, 1)
    few = {name: count_queries(client, reverse(name)) for name in ["catalog:studio", "catalog:assignments"]}
    for n in range(2, 7):
        add_course(cast, n)
    many = {name: count_queries(client, reverse(name)) for name in ["catalog:studio", "catalog:assignments"]}
    assert many == few


def test_the_course_page_does_not_grow_with_lessons(cast, article_course, signed_in):
    client = signed_in(cast.author)
    url = reverse("catalog:studio_course", args=[article_course.pk])
    few = count_queries(client, url)
    module = catalog.module_create(course=article_course, title="追加の章")
    for n in range(5):
        catalog.lesson_create(module=module, kind="article", title=f"記事{n}", body="本文")
    assert count_queries(client, url) == few
