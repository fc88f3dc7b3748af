"""The Django admin's user pages work with e-mail sign-in (there is no username)."""

from django.contrib.auth import get_user_model

User = get_user_model()


def test_a_superuser_opens_and_adds_users_in_the_django_admin(cast, client):
    root = User.objects.create_superuser("root@principal.example", "kizuna-root-2026", name="運用 担当")
    client.force_login(root)
    assert client.get("/django-admin/accounts/user/").status_code == 200
    assert client.get(f"/django-admin/accounts/user/{cast.rep_a1.pk}/change/").status_code == 200
    assert client.get("/django-admin/orgs/organization/").status_code == 200
    assert client.get("/django-admin/orgs/membership/").status_code == 200
    response = client.post(
        "/django-admin/accounts/user/add/",
        {"email": "support@principal.example", "name": "サポート", "usable_password": "false"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not User.objects.get(email="support@principal.example").has_usable_password()
