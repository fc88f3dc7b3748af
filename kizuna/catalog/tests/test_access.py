"""Only admins and authors reach the studio; only admins reach assignments; everyone else gets a 404."""

import pytest
from django.urls import reverse

from kizuna.catalog.models import Assignment


def studio_urls(course):
    module = course.modules.first()
    lesson = module.lessons.first()
    return [
        ("get", reverse("catalog:studio")),
        ("get", reverse("catalog:studio_course_new")),
        ("post", reverse("catalog:studio_course_new")),
        ("get", reverse("catalog:studio_course", args=[course.pk])),
        ("post", reverse("catalog:studio_course", args=[course.pk])),
        ("post", reverse("catalog:studio_course_publish", args=[course.pk])),
        ("post", reverse("catalog:studio_module_new", args=[course.pk])),
        ("get", reverse("catalog:studio_module_edit", args=[module.pk])),
        ("post", reverse("catalog:studio_module_edit", args=[module.pk])),
        ("get", reverse("catalog:studio_lesson_new", args=[module.pk])),
        ("post", reverse("catalog:studio_lesson_new", args=[module.pk])),
        ("get", reverse("catalog:studio_lesson_edit", args=[lesson.pk])),
        ("post", reverse("catalog:studio_lesson_edit", args=[lesson.pk])),
        ("post", reverse("catalog:studio_lesson_move", args=[lesson.pk])),
        ("post", reverse("catalog:studio_lesson_delete", args=[lesson.pk])),
        ("post", reverse("catalog:studio_markdown_preview")),
        ("get", reverse("catalog:studio_products")),
        ("post", reverse("catalog:studio_products")),
        ("get", reverse("catalog:studio_tags")),
        ("post", reverse("catalog:studio_tags")),
    ]


def assignment_urls(course):
    assignment = Assignment.objects.get(course=course)
    return [
        ("get", reverse("catalog:assignments")),
        ("post", reverse("catalog:assignments")),
        ("post", reverse("catalog:assignment_delete", args=[assignment.pk])),
    ]


@pytest.mark.parametrize("who", ["rep_a1", "manager_a", "rep_b1", "manager_b", "coach"])
def test_it_answers_404_on_every_studio_and_assignments_url_to_people_who_do_not_author(
    who, cast, article_course, signed_in
):
    client = signed_in(getattr(cast, who))
    for method, url in studio_urls(article_course) + assignment_urls(article_course):
        response = getattr(client, method)(url, {"action": "delete", "direction": "up", "title": "x"})
        assert response.status_code == 404, (who, method, url)
    assert article_course.modules.first().lessons.count() == 2
    assert Assignment.objects.filter(course=article_course).exists()


def test_it_answers_404_on_assignments_to_authors(cast, article_course, signed_in):
    client = signed_in(cast.author)
    for method, url in assignment_urls(article_course):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert Assignment.objects.filter(course=article_course).exists()


@pytest.mark.parametrize("who", ["admin", "author"])
def test_it_opens_the_studio_pages_to_admins_and_authors(who, cast, article_course, signed_in):
    client = signed_in(getattr(cast, who))
    for method, url in studio_urls(article_course):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_it_opens_assignments_to_admins(cast, article_course, signed_in):
    assert signed_in(cast.admin).get(reverse("catalog:assignments")).status_code == 200


def test_it_sends_anonymous_visitors_to_sign_in(article_course, client):
    for url in [
        reverse("catalog:studio"),
        reverse("catalog:studio_course", args=[article_course.pk]),
        reverse("catalog:assignments"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_it_answers_404_for_courses_modules_and_lessons_that_do_not_exist(cast, signed_in):
    client = signed_in(cast.author)
    for url in [
        reverse("catalog:studio_course", args=[999]),
        reverse("catalog:studio_module_edit", args=[999]),
        reverse("catalog:studio_lesson_edit", args=[999]),
    ]:
        assert client.get(url).status_code == 404
