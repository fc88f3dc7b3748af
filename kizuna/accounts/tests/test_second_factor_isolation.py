"""Someone else's security key is out of reach: partner B's manager gets 404 for partner A's rep's key."""

from allauth.mfa.models import Authenticator


def test_another_persons_security_key_answers_404(cast, client):
    key = Authenticator.objects.create(
        user=cast.rep_a1, type=Authenticator.Type.WEBAUTHN, data={"name": "A's key", "credential": {}}
    )
    # A real sign-in, then the password again as allauth asks before any change to second factors.
    client.post("/accounts/login/", {"login": cast.manager_b.email, "password": "kizuna-demo"})
    client.post("/accounts/reauthenticate/", {"password": "kizuna-demo"})
    assert client.get(f"/accounts/2fa/webauthn/keys/{key.pk}/edit/").status_code == 404
    assert client.get(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/").status_code == 404
    assert client.post(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/").status_code == 404
    assert Authenticator.objects.filter(pk=key.pk).exists()
