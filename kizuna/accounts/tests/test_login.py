"""Signing in at /accounts/login/ with e-mail and password, in Japanese unless the browser asks otherwise."""

from django.core import mail

from kizuna.orgs import services

PASSWORD = "kizuna-demo"  # the cast's password (conftest.py)


def test_the_sign_in_page_is_japanese_by_default_and_looks_like_kizuna(cast, client):
    response = client.get("/accounts/login/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in page
    assert "<h1>ログイン</h1>" in page
    assert "メールアドレス" in page and "パスワード" in page
    assert 'class="auth-page' in page  # Kizuna's layout, not allauth's bare one
    assert "/accounts/password/reset/" in page


def test_the_sign_in_page_offers_no_sign_up(cast, client):
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/signup/" not in page


def test_people_sign_in_with_email_and_password(cast, client):
    response = client.post("/accounts/login/", {"login": "Rep1@Partner-A.example", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == cast.rep_a1.pk


def test_signing_in_and_out_leaves_no_message_that_only_repeats_what_the_page_shows(cast, client):
    home = client.post("/accounts/login/", {"login": cast.rep_a1.email, "password": PASSWORD}, follow=True)
    assert home.status_code == 200
    assert not list(home.context["messages"])
    assert "としてログインしました" not in home.content.decode()
    signed_out = client.post("/accounts/logout/", follow=True)
    assert "_auth_user_id" not in client.session
    assert not list(signed_out.context["messages"])
    assert "ログアウトしました" not in signed_out.content.decode()


def test_a_changed_password_is_still_confirmed(cast, client):
    client.force_login(cast.rep_a1)
    done = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "a-new-long-passphrase-42", "password2": "a-new-long-passphrase-42"},
        follow=True,
    )
    assert [str(m) for m in done.context["messages"]]


def test_a_wrong_password_is_refused_with_a_japanese_message(cast, client):
    response = client.post("/accounts/login/", {"login": cast.rep_a1.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "正しくありません" in response.content.decode()


def test_a_deactivated_person_cannot_sign_in(cast, client):
    cast.rep_b1.is_active = False
    cast.rep_b1.save()
    client.post("/accounts/login/", {"login": cast.rep_b1.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_the_password_reset_page_uses_the_kizuna_layout(cast, client):
    page = client.get("/accounts/password/reset/").content.decode()
    assert '<html lang="ja">' in page and 'class="auth-page' in page


def test_someone_invited_but_never_signed_in_can_get_a_password_reset_email(cast, client):
    services.person_create(
        name="新人 七子",
        email="nanako@partner-a.example",
        organization=cast.partner_a,
        role="rep",
        invited_by=cast.admin,
        send_invitation=False,
    )
    response = client.post("/accounts/password/reset/", {"email": "nanako@partner-a.example"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["nanako@partner-a.example"]]
