"""The principal admin requires a second factor per role; a person who must enrol is led to it at sign-in."""

from allauth.mfa.models import Authenticator

from kizuna.audit.models import AuditEntry
from kizuna.ops.trail import Action
from kizuna.orgs.security import mfa_policy_set, security_policy


def _enrol(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


def test_the_admin_sets_the_roles_and_the_change_is_audited(cast, signed_in):
    response = signed_in(cast.admin).post("/settings/security/", {"mfa_roles": ["admin", "manager"]})
    assert response.status_code == 302
    assert security_policy().mfa_roles == ["admin", "manager"]
    entry = AuditEntry.objects.get(action=Action.MFA_POLICY_UPDATE)
    assert entry.before == {"roles": []} and entry.after == {"roles": ["admin", "manager"]}


def test_only_the_admin_opens_the_security_settings(cast, signed_in):
    assert signed_in(cast.author).get("/settings/security/").status_code == 404
    assert signed_in(cast.manager_a).get("/settings/security/").status_code == 404


def test_an_unknown_role_is_refused_with_a_message(cast, signed_in):
    response = signed_in(cast.admin).post("/settings/security/", {"mfa_roles": ["owner"]})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert security_policy().mfa_roles == []


def test_a_manager_without_a_second_factor_is_led_to_enrol(cast, client):
    mfa_policy_set(roles=["manager"], by=cast.admin)
    client.post("/accounts/login/", {"login": cast.manager_a.email, "password": "kizuna-demo"})
    response = client.get("/partner/dashboard/")
    assert response.status_code == 302 and response.url == "/accounts/2fa/"
    page = client.get("/accounts/2fa/").content.decode()
    # The enrolment pages are open (not a dead end), and say why the person is there.
    assert "あなたの役割では二要素認証が必要です" in page
    assert 'href="/accounts/2fa/totp/activate/"' in page
    # allauth asks for the password again before a second factor is added; that page is open too.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302 and response.url.startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": "kizuna-demo"})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_once_enrolled_the_person_goes_on(cast, client):
    mfa_policy_set(roles=["manager"], by=cast.admin)
    assert client.login(email=cast.manager_a.email, password="kizuna-demo")
    assert client.get("/partner/dashboard/").status_code == 302
    _enrol(cast.manager_a)
    assert client.get("/partner/dashboard/").status_code == 200


def test_roles_not_required_are_not_stopped(cast, client):
    mfa_policy_set(roles=["manager"], by=cast.admin)
    assert client.login(email=cast.rep_a1.email, password="kizuna-demo")
    assert client.get("/").status_code == 200


def test_a_person_with_a_second_factor_is_asked_for_it_at_sign_in(cast, client):
    _enrol(cast.manager_a)
    response = client.post("/accounts/login/", {"login": cast.manager_a.email, "password": "kizuna-demo"})
    assert response.status_code == 302 and response.url == "/accounts/2fa/authenticate/"
    assert client.get("/partner/dashboard/").status_code == 302  # not signed in until the code is given


def test_a_recovery_code_signs_in_once_in_place_of_the_authenticators_code(cast, client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(cast.manager_a, generate_totp_secret())
    code = RecoveryCodes.activate(cast.manager_a).get_unused_codes()[0]
    response = client.post("/accounts/login/", {"login": cast.manager_a.email, "password": "kizuna-demo"})
    assert response.status_code == 302 and response.url == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": "00000000"})
    assert response.status_code == 200  # a wrong code: asked again
    assert client.get("/partner/dashboard/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/partner/dashboard/").status_code == 200
    # The code is spent: the next sign-in cannot use it again.
    client.logout()
    client.post("/accounts/login/", {"login": cast.manager_a.email, "password": "kizuna-demo"})
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert client.get("/partner/dashboard/").status_code == 302
