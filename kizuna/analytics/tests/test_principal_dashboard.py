"""The principal's comparison of partners, and its chart drawn on the server."""

import pytest
from django.urls import reverse

from .builders import assign, learn

URL = reverse("analytics:principal_dashboard")
SVG = reverse("analytics:principal_completion_svg")


def test_it_shows_every_partner_side_by_side(client, cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_a)
    assign(cast, courses["basics"], partner=cast.partner_b)
    learn(cast.rep_b1, courses["basics"], lessons=2)
    client.force_login(cast.admin)

    response = client.get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "パートナーA株式会社" in body and "パートナーB株式会社" in body
    assert reverse("analytics:partner_dashboard_for", args=[cast.partner_a.pk]) in body
    assert reverse("analytics:partner_dashboard_for", args=[cast.partner_b.pk]) in body
    assert SVG in body
    rates = {s.partner.pk: s.completion_percent for s in response.context["summaries"]}
    assert rates == {cast.partner_a.pk: 0, cast.partner_b.pk: 100}
    # Aggregates only: no rep's name on this page.
    assert "営業 B一" not in body


def test_authors_see_the_aggregates_without_links_to_reps(client, cast, courses):
    client.force_login(cast.author)

    response = client.get(URL)

    assert response.status_code == 200
    assert "パートナーA株式会社" in response.content.decode()
    assert reverse("analytics:partner_dashboard_for", args=[cast.partner_a.pk]) not in response.content.decode()


@pytest.mark.parametrize("who", ["manager_a", "manager_b", "rep_a1"])
def test_partner_people_get_404(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(URL).status_code == 404
    assert client.get(SVG).status_code == 404


def test_the_chart_is_an_svg_image_with_every_partner(client, cast, courses):
    assign(cast, courses["basics"], partner=cast.partner_b)
    learn(cast.rep_b1, courses["basics"], lessons=2)
    client.force_login(cast.coach)

    response = client.get(SVG)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert "<svg" in svg and "パートナーA株式会社" in svg and "パートナーB株式会社" in svg and "100%" in svg
    # Served as an image, its own policy lets pygal's styles apply and still runs no script.
    assert "script-src 'none'" in response["Content-Security-Policy"]


def test_the_page_itself_keeps_the_strict_policy(client, cast):
    client.force_login(cast.admin)

    policy = client.get(URL)["Content-Security-Policy"]

    assert "unsafe-inline" not in policy


def test_the_query_count_does_not_grow_with_partners(client, cast, courses, django_assert_num_queries):
    from kizuna.orgs.models import Organization

    from .builders import add_rep

    assign(cast, courses["basics"], partner=cast.partner_a)
    client.force_login(cast.admin)
    # Session, the user with their membership (2); partners (1); reps, assignments, finished courses,
    # last activity and the learning days of the last 30 days (5).
    with django_assert_num_queries(8):
        client.get(URL)
    for n in range(6):
        partner = Organization.objects.create(name=f"追加パートナー{n}", slug=f"extra-{n}", kind="partner")
        add_rep(cast, n, partner=partner)
        assign(cast, courses["closing"], partner=partner)
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert len(response.context["summaries"]) == 8


def test_it_says_so_when_there_are_no_partners(client, db):
    from conftest import make_person
    from kizuna.orgs.models import Organization

    principal = Organization.objects.create(name="絆ソフト", slug="principal", kind="principal")
    client.force_login(make_person("solo@principal.example", "一人 管理", principal, "admin"))

    response = client.get(URL)

    assert response.status_code == 200
    assert "まだパートナー企業がありません" in response.content.decode()


def test_the_chart_of_no_partners_says_so_instead_of_failing():
    from django.utils import translation

    from kizuna.analytics.views import completion_chart

    with translation.override("en"):
        assert "No partners yet" in completion_chart([])
