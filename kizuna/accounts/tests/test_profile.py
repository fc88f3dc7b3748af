"""The profile at /me/: name, read-only membership, language, password and sign-out."""

from django.contrib.auth import get_user_model

User = get_user_model()


def test_the_profile_shows_who_they_are_read_only(cast, signed_in):
    page = signed_in(cast.rep_a1).get("/me/").content.decode()
    assert cast.rep_a1.email in page
    assert "パートナーA株式会社" in page and "東京第1チーム" in page and "営業担当者" in page
    assert f'value="{cast.rep_a1.email}"' not in page  # the e-mail is not an input
    assert 'href="/accounts/password/change/"' in page
    assert 'action="/accounts/logout/"' in page


def test_switching_to_english_changes_the_next_page(cast, signed_in):
    client = signed_in(cast.rep_a1)
    assert '<html lang="ja">' in client.get("/me/").content.decode()
    response = client.post("/me/", {"name": cast.rep_a1.name, "language": "en"}, follow=True)
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Profile</h1>" in page
    assert "Your profile is saved." in page
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.language == "en"


def test_back_to_japanese_and_to_the_browser_setting(cast, signed_in):
    client = signed_in(cast.manager_a)
    client.post("/me/", {"name": cast.manager_a.name, "language": "en"})
    client.post("/me/", {"name": cast.manager_a.name, "language": "ja"})
    assert '<html lang="ja">' in client.get("/me/").content.decode()
    client.post("/me/", {"name": cast.manager_a.name, "language": ""})
    cast.manager_a.refresh_from_db()
    assert cast.manager_a.language == ""
    english_browser = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in english_browser


def test_people_change_their_own_name(cast, signed_in):
    signed_in(cast.rep_b1).post("/me/", {"name": "  営業   B一郎 ", "language": ""})
    cast.rep_b1.refresh_from_db()
    assert cast.rep_b1.name == "営業 B一郎"


def test_an_empty_name_is_refused(cast, signed_in):
    response = signed_in(cast.rep_b1).post("/me/", {"name": "   ", "language": ""})
    assert response.status_code == 200
    cast.rep_b1.refresh_from_db()
    assert cast.rep_b1.name == "営業 B一"


def test_the_email_cannot_be_changed_from_the_profile(cast, signed_in):
    signed_in(cast.rep_a2).post("/me/", {"name": cast.rep_a2.name, "language": "", "email": "evil@example.com"})
    cast.rep_a2.refresh_from_db()
    assert cast.rep_a2.email == "rep2@partner-a.example"


def test_signing_out_from_the_profile(cast, signed_in):
    client = signed_in(cast.rep_a1)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
