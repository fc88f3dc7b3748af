"""The same dashboard for the principal's admins and coaches, for any partner."""

import pytest
from django.urls import reverse

from .builders import assign


def _url(partner):
    return reverse("analytics:partner_dashboard_for", args=[partner.pk])


@pytest.mark.parametrize("who", ["admin", "coach"])
def test_admins_and_coaches_see_any_partners_dashboard(client, cast, courses, who):
    assign(cast, courses["basics"], partner=cast.partner_b)
    client.force_login(getattr(cast, who))

    response = client.get(_url(cast.partner_b))

    assert response.status_code == 200
    assert [r.rep_id for r in response.context["matrix"].reps] == [cast.rep_b1.pk]
    assert response.context["csv_url"] == reverse("analytics:partner_dashboard_for_csv", args=[cast.partner_b.pk])
    assert reverse("analytics:principal_dashboard") in response.content.decode()


def test_the_team_filter_must_belong_to_the_partner_shown(client, cast):
    client.force_login(cast.admin)

    assert client.get(_url(cast.partner_b), {"team": cast.team_b1.pk}).status_code == 200
    assert client.get(_url(cast.partner_b), {"team": cast.team_a1.pk}).status_code == 404


def test_it_refuses_partner_b_manager_on_partner_a(client, cast):
    client.force_login(cast.manager_b)

    assert client.get(_url(cast.partner_a)).status_code == 404
    assert client.get(reverse("analytics:partner_dashboard_for_csv", args=[cast.partner_a.pk])).status_code == 404


def test_a_manager_opening_their_own_partner_goes_to_their_dashboard(client, cast):
    client.force_login(cast.manager_a)

    response = client.get(_url(cast.partner_a), {"team": cast.team_a1.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("analytics:partner_dashboard") + f"?team={cast.team_a1.pk}"


@pytest.mark.parametrize("who", ["author", "rep_a1", "rep_b1"])
def test_authors_and_reps_get_404(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(_url(cast.partner_a)).status_code == 404
    assert client.get(reverse("analytics:partner_dashboard_for_csv", args=[cast.partner_a.pk])).status_code == 404


def test_an_unknown_or_principal_organization_is_404(client, cast):
    client.force_login(cast.admin)

    assert client.get(_url(cast.principal)).status_code == 404
    assert client.get(reverse("analytics:partner_dashboard_for", args=[999999])).status_code == 404
