"""The partners list, adding partners and teams, and who may open a partner's page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuna.orgs import services
from kizuna.orgs.models import Organization, Team


def test_admin_adds_a_partner_and_lands_on_its_page(cast, signed_in):
    client = signed_in(cast.admin)
    response = client.post("/partners/", {"name": "パートナーC株式会社", "slug": "partner-c"})
    partner = Organization.objects.get(slug="partner-c")
    assert partner.kind == Organization.Kind.PARTNER
    assert response.status_code == 302
    assert response["Location"] == f"/partners/{partner.pk}/"


def test_it_refuses_a_partner_code_already_in_use(cast, signed_in):
    client = signed_in(cast.admin)
    response = client.post("/partners/", {"name": "別の会社", "slug": "partner-a"})
    assert response.status_code == 200
    assert "このコードは既に他の組織で使われています。" in response.content.decode()
    assert Organization.objects.filter(name="別の会社").count() == 0


def test_it_refuses_a_code_with_spaces_or_capitals_it_cannot_fix(cast):
    with pytest.raises(services.OrgsError) as refused:
        services.partner_create(name="C社", slug="partner c")
    assert refused.value.field == "slug"


def test_partners_list_shows_team_and_rep_counts(cast, signed_in):
    page = signed_in(cast.admin).get("/partners/").content.decode()
    assert "パートナーA株式会社" in page and "パートナーB株式会社" in page
    assert "チーム 2" in page  # partner A: two teams
    assert "営業担当者 2名" in page  # partner A: rep_a1 and rep_a2


def test_admin_adds_a_team_to_a_partner(cast, signed_in):
    client = signed_in(cast.admin)
    response = client.post(f"/partners/{cast.partner_b.pk}/", {"name": "福岡チーム"})
    assert response.status_code == 302
    assert Team.objects.filter(organization=cast.partner_b, name="福岡チーム").exists()


def test_it_refuses_a_team_name_twice_in_one_partner(cast, signed_in):
    response = signed_in(cast.admin).post(f"/partners/{cast.partner_a.pk}/", {"name": "大阪チーム"})
    assert response.status_code == 200
    assert Team.objects.filter(organization=cast.partner_a, name="大阪チーム").count() == 1


def test_manager_opens_their_own_partner_read_only(cast, signed_in):
    client = signed_in(cast.manager_a)
    page = client.get(f"/partners/{cast.partner_a.pk}/").content.decode()
    assert "東京第1チーム" in page and "営業 一子" in page
    assert 'name="name"' not in page  # no team form
    assert client.post(f"/partners/{cast.partner_a.pk}/", {"name": "新チーム"}).status_code == 404
    assert not Team.objects.filter(name="新チーム").exists()


def test_it_refuses_partner_b_manager_partner_a_page(cast, signed_in):
    assert signed_in(cast.manager_b).get(f"/partners/{cast.partner_a.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["rep_a1", "rep_b1", "coach", "author"])
def test_it_refuses_people_without_the_right_partner_pages(cast, signed_in, who):
    client = signed_in(getattr(cast, who))
    assert client.get("/partners/").status_code == 404
    assert client.get(f"/partners/{cast.partner_a.pk}/").status_code == 404


def test_manager_cannot_list_partners(cast, signed_in):
    assert signed_in(cast.manager_a).get("/partners/").status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(cast, client):
    response = client.get("/partners/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_partners_list_costs_a_fixed_number_of_queries(cast, signed_in):
    client = signed_in(cast.admin)
    with CaptureQueriesContext(connection) as few:
        client.get("/partners/")
    for i in range(10):
        partner = services.partner_create(name=f"追加パートナー{i}", slug=f"extra-{i}")
        services.team_create(organization=partner, name="本社チーム")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/partners/").content.decode()
    assert "追加パートナー9" in page
    assert len(many) == len(few)
