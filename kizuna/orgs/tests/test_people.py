"""The people list: the admin sees everyone and filters; a manager sees only their own agency."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuna.orgs import services


def test_admin_sees_everyone(cast, signed_in):
    page = signed_in(cast.admin).get("/people/").content.decode()
    for person in [cast.admin, cast.coach, cast.manager_a, cast.rep_a1, cast.manager_b, cast.rep_b1]:
        assert person.email in page


def test_manager_a_sees_only_partner_a_people(cast, signed_in):
    page = signed_in(cast.manager_a).get("/people/").content.decode()
    for person in [cast.manager_a, cast.rep_a1, cast.rep_a2]:
        assert person.email in page
    for person in [cast.admin, cast.author, cast.coach, cast.manager_b, cast.rep_b1]:
        assert person.email not in page


def test_manager_b_cannot_widen_the_list_with_filters(cast, signed_in):
    page = signed_in(cast.manager_b).get(f"/people/?organization={cast.partner_a.pk}&q=partner-a").content.decode()
    assert cast.rep_a1.email not in page


def test_admin_filters_by_organization_role_and_search(cast, signed_in):
    client = signed_in(cast.admin)
    page = client.get(f"/people/?organization={cast.partner_a.pk}&role=rep").content.decode()
    assert cast.rep_a1.email in page and cast.rep_a2.email in page
    assert cast.manager_a.email not in page and cast.rep_b1.email not in page

    page = client.get("/people/?q=一子").content.decode()
    assert cast.rep_a1.email in page and cast.rep_a2.email not in page

    page = client.get("/people/?q=PARTNER-B").content.decode()
    assert cast.rep_b1.email in page and cast.manager_b.email in page and cast.rep_a1.email not in page


def test_the_list_is_paginated_by_50(cast, signed_in):
    for i in range(55):
        services.person_create(
            name=f"営業 {i:02d}",
            email=f"bulk{i}@partner-b.example",
            organization=cast.partner_b,
            role="rep",
            invited_by=cast.admin,
            send_invitation=False,
        )
    client = signed_in(cast.admin)
    first = client.get(f"/people/?organization={cast.partner_b.pk}")
    assert len(first.context["page"].object_list) == 50
    assert f"organization={cast.partner_b.pk}&amp;page=2" in first.content.decode()
    second = client.get(f"/people/?organization={cast.partner_b.pk}&page=2")
    assert len(second.context["page"].object_list) == 57 - 50


def test_the_list_costs_a_fixed_number_of_queries(cast, signed_in):
    client = signed_in(cast.admin)
    client.get("/people/")
    with CaptureQueriesContext(connection) as few:
        client.get("/people/")
    for i in range(20):
        services.person_create(
            name=f"追加 {i}",
            email=f"more{i}@partner-a.example",
            organization=cast.partner_a,
            team=cast.team_a1,
            role="rep",
            invited_by=cast.admin,
            send_invitation=False,
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/people/")
    assert len(many) == len(few) <= 12


@pytest.mark.parametrize("who", ["rep_a1", "rep_b1", "coach", "author"])
def test_it_refuses_reps_and_other_principal_staff(cast, signed_in, who):
    assert signed_in(getattr(cast, who)).get("/people/").status_code == 404
