"""The Django admin is an operator's read-only window: a superuser made by `createsuperuser` signs in,
every model is there, and only the few tables meant for it can be written."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Written in the admin on purpose: staff accounts and their groups (how an operator manages operators),
# and third-party tables whose own admin knows their rules (allauth's addresses and second factors, so that
# support can remove the authenticator of someone who lost their phone and recovery codes; single sign-on's
# linked identities and provider apps, for the same kind of repair; the task results, and with REDIS_URL
# django-rq's dashboard of the Redis queue, their counterpart there: requeue or delete a failed task).
WRITABLE = {
    "accounts.User",
    "auth.Group",
    "account.EmailAddress",
    "mfa.Authenticator",
    "socialaccount.SocialAccount",
    "socialaccount.SocialApp",
    "socialaccount.SocialToken",
    "django_tasks_database.DBTaskResult",
    "django_rq.Dashboard",
}


@pytest.fixture
def operator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "operator-pass-1234")
    call_command("createsuperuser", "--noinput", "--email", "ops@example.com", "--name", "Operator", verbosity=0)
    return apps.get_model("accounts", "User").objects.get(email="ops@example.com")


def test_every_model_is_in_the_admin():
    missing = [m._meta.label for m in apps.get_models() if not admin.site.is_registered(m)]
    assert not missing


def test_every_model_but_the_operators_own_tables_refuses_add_change_and_delete(rf, operator):
    request = rf.get("/django-admin/")
    request.user = operator
    writable = set()
    for model, model_admin in admin.site._registry.items():
        if any(
            (
                model_admin.has_add_permission(request),
                model_admin.has_change_permission(request),
                model_admin.has_delete_permission(request),
            )
        ):
            writable.add(model._meta.label)
    assert writable <= WRITABLE, writable - WRITABLE


def test_a_superuser_made_by_createsuperuser_signs_in_to_the_admin(client, operator):
    # The admin's own login form is not served: it sends to the sign-in page, which comes back to the admin.
    response = client.get("/django-admin/")
    assert response.status_code == 302 and response["Location"].startswith("/django-admin/login/")
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fdjango-admin%2F"
    response = client.post(response["Location"], {"login": "ops@example.com", "password": "operator-pass-1234"})
    assert response.status_code == 302 and response["Location"] == "/django-admin/"
    assert client.get("/django-admin/").status_code == 200


def test_the_admins_login_form_takes_no_password(client, operator):
    response = client.post(
        "/django-admin/login/?next=/django-admin/", {"username": "ops@example.com", "password": "operator-pass-1234"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    # Only the admin is a place to come back to.
    response = client.get("/django-admin/login/?next=https://elsewhere.example/django-admin/")
    assert response["Location"] == "/accounts/login/?next=%2Fdjango-admin%2F"


def test_a_staff_account_with_a_second_factor_is_asked_for_it_on_the_way_to_the_admin(client, operator):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(operator, generate_totp_secret())
    response = client.post(
        "/accounts/login/?next=/django-admin/", {"login": "ops@example.com", "password": "operator-pass-1234"}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/django-admin/").status_code == 302  # not in before the code


def test_every_models_list_opens_for_the_operator(client, operator, cast):
    client.force_login(operator)
    broken = {}
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        status = client.get(url).status_code
        if status != 200:
            broken[model._meta.label] = status
    assert not broken


def test_a_read_only_table_refuses_an_add_a_change_and_a_delete_over_http(client, operator, cast):
    client.force_login(operator)
    membership = cast.rep_a1.membership
    assert client.get(reverse("admin:orgs_membership_add")).status_code == 403
    change = reverse("admin:orgs_membership_change", args=[membership.pk])
    assert client.get(change).status_code == 200  # shown, read-only
    client.post(change, {"role": "partner_manager", "organization": membership.organization_id})
    membership.refresh_from_db()
    assert membership.role == "rep"
    assert (
        client.post(reverse("admin:orgs_membership_delete", args=[membership.pk]), {"post": "yes"}).status_code == 403
    )
    membership.refresh_from_db()
