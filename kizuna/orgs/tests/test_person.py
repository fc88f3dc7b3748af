"""One person's page: the admin edits, re-invites and deactivates; their own manager only reads."""

import pytest
from django.core import mail

from kizuna.orgs import services


def test_admin_edits_name_team_and_role(cast, signed_in):
    response = signed_in(cast.admin).post(
        f"/people/{cast.rep_a1.pk}/", {"name": "営業 一子(改)", "team": cast.team_a2.pk, "role": "manager"}
    )
    assert response.status_code == 302
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.name == "営業 一子(改)"
    assert cast.rep_a1.membership.team == cast.team_a2
    assert cast.rep_a1.membership.role == "manager"


def test_it_refuses_a_principal_role_for_a_partner_person(cast):
    with pytest.raises(services.OrgsError):
        services.person_update(
            person=cast.rep_a1, updated_by=cast.admin, name="x", team=None, role="admin", is_active=True
        )
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.membership.role == "rep"


def test_the_edit_form_offers_only_roles_and_teams_of_their_organization(cast, signed_in):
    page = signed_in(cast.admin).get(f"/people/{cast.rep_a1.pk}/").content.decode()
    assert 'value="admin"' not in page and 'value="manager"' in page
    assert "名古屋チーム" not in page  # partner B's team


def test_admin_resends_the_invitation(cast, signed_in):
    response = signed_in(cast.admin).post(f"/people/{cast.rep_b1.pk}/invite/")
    assert response.status_code == 302
    assert mail.outbox[0].to == [cast.rep_b1.email]
    cast.rep_b1.refresh_from_db()
    assert cast.rep_b1.invited_at is not None


def test_admin_deactivates_and_the_person_can_no_longer_sign_in(cast, signed_in, client):
    signed_in(cast.admin).post(f"/people/{cast.rep_a2.pk}/active/", {"active": "0"})
    cast.rep_a2.refresh_from_db()
    assert cast.rep_a2.is_active is False
    client.logout()
    assert not client.login(email=cast.rep_a2.email, password="kizuna-demo")
    page = signed_in(cast.admin).get(f"/people/{cast.rep_a2.pk}/").content.decode()
    assert "無効" in page
    signed_in(cast.admin).post(f"/people/{cast.rep_a2.pk}/active/", {"active": "1"})
    cast.rep_a2.refresh_from_db()
    assert cast.rep_a2.is_active is True


def test_it_refuses_to_invite_a_deactivated_person(cast, signed_in):
    services.person_update(
        person=cast.rep_a2, updated_by=cast.admin, name=cast.rep_a2.name, team=None, role="rep", is_active=False
    )
    signed_in(cast.admin).post(f"/people/{cast.rep_a2.pk}/invite/")
    assert mail.outbox == []


def test_admin_cannot_deactivate_themselves(cast, signed_in):
    signed_in(cast.admin).post(f"/people/{cast.admin.pk}/active/", {"active": "0"})
    cast.admin.refresh_from_db()
    assert cast.admin.is_active


def test_manager_reads_their_own_rep_without_edit_buttons(cast, signed_in):
    client = signed_in(cast.manager_a)
    page = client.get(f"/people/{cast.rep_a1.pk}/").content.decode()
    assert cast.rep_a1.email in page
    assert "csrfmiddlewaretoken" not in page.split("<main", 1)[1]
    assert client.post(f"/people/{cast.rep_a1.pk}/", {"name": "x", "role": "rep"}).status_code == 404
    assert client.post(f"/people/{cast.rep_a1.pk}/active/", {"active": "0"}).status_code == 404
    assert client.post(f"/people/{cast.rep_a1.pk}/invite/").status_code == 404
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.is_active and cast.rep_a1.name == "営業 一子"


def test_it_refuses_partner_b_manager_partner_a_person(cast, signed_in):
    client = signed_in(cast.manager_b)
    assert client.get(f"/people/{cast.rep_a1.pk}/").status_code == 404
    assert client.get(f"/people/{cast.manager_a.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["rep_a1", "rep_a2", "rep_b1", "coach", "author"])
def test_it_refuses_reps_and_other_staff_even_their_own_page(cast, signed_in, who):
    user = getattr(cast, who)
    client = signed_in(user)
    assert client.get(f"/people/{user.pk}/").status_code == 404
    assert client.get(f"/people/{cast.rep_a1.pk}/").status_code == 404
    assert client.post(f"/people/{cast.rep_a1.pk}/invite/").status_code == 404


def test_an_unknown_person_is_a_404(cast, signed_in):
    assert signed_in(cast.admin).get("/people/999999/").status_code == 404
