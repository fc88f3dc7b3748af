"""The rep's course library (/learn/courses/): the published courses they may open, by story tag and product."""

import pytest
from django.test import Client

from kizuna.catalog import services as catalog
from kizuna.catalog.selectors import course_library


def tagged_course(cast, slug: str, title: str, *, tags: list[str], product=None, **assignment):
    """Publish a one-article course carrying these story tags (and product), assigned as told."""
    story = catalog.story_tags_ensure()
    course = catalog.course_create(
        author=cast.author, title=title, slug=slug, product=product, tags=[story[t] for t in tags]
    )
    module = catalog.module_create(course=course, title="はじめに")
    catalog.lesson_create(module=module, kind="article", title=f"{title}の話", body="本文")
    catalog.course_publish(course=course, publisher=cast.author)
    catalog.assignment_create(course=course, assigned_by=cast.admin, required=False, **assignment)
    course.refresh_from_db()
    return course


@pytest.fixture
def shelf(cast):
    plan = catalog.product_create(name="絆クラウド", slug="kizuna-cloud")
    other = catalog.product_create(name="絆モバイル", slug="kizuna-mobile")
    return {
        "founder": tagged_course(cast, "founder", "創業者が語る原点", tags=["founder_story"], partner=cast.partner_a),
        "voice": tagged_course(
            cast, "voice", "導入企業の声", tags=["customer_voice"], product=plan, partner=cast.partner_a
        ),
        "failure": tagged_course(
            cast, "failure", "失注から学ぶ", tags=["failure_case", "customer_voice"], product=other, rep=cast.rep_a1
        ),
        "b_only": tagged_course(cast, "b-only", "B社だけの成功事例", tags=["partner_success"], partner=cast.partner_b),
        "other_team": tagged_course(cast, "team2", "大阪チームの事例", tags=["customer_voice"], team=cast.team_a2),
    }


def titles(client: Client, **params) -> list[str]:
    response = client.get("/learn/courses/", params)
    assert response.status_code == 200
    return [c.title for c, _progress in response.context["cards"]]


def test_the_library_lists_the_courses_the_rep_may_open_and_no_others(cast, shelf, signed_in):
    listed = titles(signed_in(cast.rep_a1))
    assert set(listed) == {"創業者が語る原点", "導入企業の声", "失注から学ぶ"}
    assert "B社だけの成功事例" not in listed and "大阪チームの事例" not in listed


def test_the_library_filters_by_story_tag_and_product(cast, shelf, signed_in):
    client = signed_in(cast.rep_a1)
    assert set(titles(client, tag="customer_voice")) == {"導入企業の声", "失注から学ぶ"}
    assert titles(client, tag="founder_story") == ["創業者が語る原点"]
    assert titles(client, tag="customer_voice", product="kizuna-mobile") == ["失注から学ぶ"]
    # A tag no course of theirs carries is not offered; an unknown one filters nothing.
    tags = [t.slug for t in course_library(cast.rep_a1).tags]
    assert tags == ["founder_story", "customer_voice", "failure_case"]
    assert len(titles(client, tag="partner_success")) == 3
    assert len(titles(client, tag="<script>", product="x" * 500)) == 3


def test_each_card_links_to_the_course_page_the_rep_can_open(cast, shelf, signed_in):
    client = signed_in(cast.rep_a1)
    html = client.get("/learn/courses/", {"tag": "failure_case"}).content.decode()
    url = f"/learn/courses/{shelf['failure'].pk}/"
    assert f'href="{url}"' in html
    assert client.get(url).status_code == 200


def test_partner_b_sees_only_its_own_courses(cast, shelf, signed_in):
    assert titles(signed_in(cast.rep_b1)) == ["B社だけの成功事例"]


def test_the_library_is_the_reps_page(cast, shelf, signed_in):
    for person in (cast.manager_a, cast.admin, cast.author):
        assert signed_in(person).get("/learn/courses/").status_code == 404


def test_the_library_reads_in_a_fixed_number_of_queries(cast, shelf, signed_in, django_assert_max_num_queries):
    client = signed_in(cast.rep_a1)
    client.get("/learn/courses/")
    for i in range(5):
        tagged_course(cast, f"more-{i}", f"追加 {i}", tags=["customer_voice"], partner=cast.partner_a)
    with django_assert_max_num_queries(12):
        client.get("/learn/courses/")
