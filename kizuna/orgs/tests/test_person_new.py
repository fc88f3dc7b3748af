"""Adding one person: the form, the role rules and the invitation e-mail that lets them in."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from kizuna.orgs import services
from kizuna.orgs.models import Membership

User = get_user_model()


def _link(message) -> str:
    return re.search(r"http://testserver(/accounts/invite/\S+/)", message.body).group(1)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_admin_adds_a_rep_who_gets_a_japanese_invitation(cast, signed_in):
    client = signed_in(cast.admin)
    response = client.post(
        "/people/new/",
        {
            "name": "新人 三郎",
            "email": "Saburo@Partner-A.example",
            "organization": cast.partner_a.pk,
            "team": cast.team_a2.pk,
            "role": "rep",
            "send_invitation": "on",
        },
    )
    person = User.objects.get(email="saburo@partner-a.example")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert person.membership.organization == cast.partner_a
    assert person.membership.team == cast.team_a2
    assert person.membership.role == "rep"
    assert not person.has_usable_password()
    assert person.invited_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["saburo@partner-a.example"]
    assert "Kizuna" in message.subject and "招待" in message.subject
    assert "新人 三郎さん" in message.body
    assert "パートナーA株式会社" in message.body


def test_the_invitation_link_sets_the_password_and_signs_in(cast, client):
    person = services.person_create(
        name="新人 四郎",
        email="shiro@partner-a.example",
        organization=cast.partner_a,
        role="rep",
        invited_by=cast.admin,
        send_invitation=True,
    )
    link = _link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "パスワードを設定" in page.content.decode()

    response = client.post(link, {"new_password1": "sakura-mochi-2026", "new_password2": "sakura-mochi-2026"})
    assert response.status_code == 302 and response["Location"] == "/"
    person.refresh_from_db()
    assert person.check_password("sakura-mochi-2026")
    assert int(client.session["_auth_user_id"]) == person.pk

    client.logout()
    used = client.get(link).content.decode()
    assert "この招待リンクは使えません" in used
    assert 'href="/accounts/password/reset/"' in used


def test_a_wrong_invitation_link_says_what_to_do(cast, client):
    page = client.get("/accounts/invite/MTIz/abc-def/").content.decode()
    assert "この招待リンクは使えません" in page
    assert 'href="/accounts/password/reset/"' in page


def test_the_invitation_refuses_a_weak_password(cast, client):
    person = services.person_create(
        name="新人 五郎",
        email="goro@partner-a.example",
        organization=cast.partner_a,
        role="rep",
        invited_by=cast.admin,
        send_invitation=True,
    )
    response = client.post(_link(mail.outbox[0]), {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert not person.has_usable_password()
    assert "_auth_user_id" not in client.session


def test_an_english_speaker_gets_the_invitation_in_english(cast):
    person = services.person_create(
        name="Ken Smith",
        email="ken@partner-b.example",
        organization=cast.partner_b,
        role="manager",
        invited_by=cast.admin,
        send_invitation=False,
    )
    person.language = "en"
    person.save()
    services.invitation_send(user=person, invited_by=cast.admin)
    assert mail.outbox[0].subject == "[Kizuna] You are invited to Kizuna"
    assert "Dear Ken Smith," in mail.outbox[0].body


def test_without_the_checkbox_no_email_is_sent(cast, signed_in):
    signed_in(cast.admin).post(
        "/people/new/",
        {"name": "新人 六郎", "email": "rokuro@principal.example", "organization": cast.principal.pk, "role": "coach"},
    )
    person = User.objects.get(email="rokuro@principal.example")
    assert person.membership.role == "coach"
    assert person.invited_at is None
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("organization", "role"),
    [
        ("principal", "rep"),
        ("principal", "manager"),
        ("partner_a", "admin"),
        ("partner_a", "author"),
        ("partner_b", "coach"),
    ],
)
def test_it_refuses_a_role_that_does_not_fit_the_organization(cast, signed_in, organization, role):
    response = signed_in(cast.admin).post(
        "/people/new/",
        {"name": "誰か", "email": "someone@example.com", "organization": getattr(cast, organization).pk, "role": role},
    )
    assert response.status_code == 200
    assert "役割" in response.content.decode()
    assert not User.objects.filter(email="someone@example.com").exists()


def test_it_refuses_a_team_of_another_organization(cast):
    with pytest.raises(services.OrgsError) as refused:
        services.person_create(
            name="誰か",
            email="someone@example.com",
            organization=cast.partner_b,
            team=cast.team_a1,
            role="rep",
            invited_by=cast.admin,
            send_invitation=False,
        )
    assert refused.value.field == "team"
    assert not User.objects.filter(email="someone@example.com").exists()


def test_it_refuses_an_email_already_registered_whatever_its_case(cast, signed_in):
    before = User.objects.count()
    response = signed_in(cast.admin).post(
        "/people/new/",
        {"name": "重複", "email": "REP1@partner-a.example", "organization": cast.partner_a.pk, "role": "rep"},
    )
    assert "このメールアドレスは既に登録されています。" in response.content.decode()
    assert User.objects.count() == before
    assert Membership.objects.count() == before


@pytest.mark.parametrize("who", ["manager_a", "rep_a1", "coach", "author"])
def test_it_refuses_everyone_but_the_admin(cast, signed_in, who):
    client = signed_in(getattr(cast, who))
    assert client.get("/people/new/").status_code == 404
    response = client.post(
        "/people/new/",
        {"name": "侵入", "email": "x@example.com", "organization": cast.partner_a.pk, "role": "rep"},
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="x@example.com").exists()
