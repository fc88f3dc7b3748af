"""SAML sign-in per organization against an IdP made in the tests (signed with xmlsec): who gets in, and what is refused."""

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kizuna.sso.models import IdentityProvider, SamlAssertionUse
from kizuna.sso.services import SsoError, saml_provider_save

from .saml_idp import SamlIdP, authn_request_id

User = get_user_model()
HOST = "localhost"  # python3-saml refuses single-label host names such as the test client's "testserver"


def _saml_provider(organization: Any, idp: SamlIdP, domains: str, **extra: Any) -> IdentityProvider:
    return saml_provider_save(
        provider=None,
        organization=organization,
        name=f"SAML of {organization.slug}",
        metadata_xml="",
        entity_id=idp.entity_id,
        sso_url=idp.sso_url,
        x509cert=idp.cert,
        email_domains=domains,
        sso_required=extra.get("sso_required", False),
        role_claim="role",
        team_claim="team",
    )


@pytest.fixture
def world(cast: Any) -> dict[str, Any]:
    idp_a = SamlIdP(entity_id="https://idp.partner-a.example/saml")
    idp_b = SamlIdP(entity_id="https://idp.partner-b.example/saml")
    return {
        "idp_a": idp_a,
        "idp_b": idp_b,
        "a": _saml_provider(cast.partner_a, idp_a, "partner-a.example"),
        "b": _saml_provider(cast.partner_b, idp_b, "partner-b.example"),
    }


def _urls(provider: IdentityProvider) -> tuple[str, str]:
    slug = provider.app.client_id
    return f"http://{HOST}/accounts/saml/{slug}/acs/", f"http://{HOST}/accounts/saml/{slug}/metadata/"


def _start(client: Client, email: str) -> str:
    """Type the e-mail under "sign in with your organization"; return the AuthnRequest's ID."""
    response = client.post("/accounts/sso/", {"email": email})
    assert response.status_code == 200, response.content.decode()[-1500:]
    return authn_request_id(response.context["url"])


def _post_assertion(client: Client, provider: IdentityProvider, saml_response: str) -> Any:
    acs, _ = _urls(provider)
    response = client.post(acs, {"SAMLResponse": saml_response})
    assert response.status_code == 302
    return client.get(response["Location"])  # allauth's finish step (the session cookie is back)


def _sign_in(client: Client, provider: IdentityProvider, idp: SamlIdP, email: str, **kwargs: Any) -> Any:
    request_id = _start(client, kwargs.pop("typed", email))
    acs, audience = _urls(provider)
    saml_response = idp.response(acs_url=acs, audience=audience, in_response_to=request_id, email=email, **kwargs)
    return _post_assertion(client, provider, saml_response)


def _signed_in_as(client: Client) -> Any:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


@pytest.fixture
def browserless() -> Client:
    return Client(HTTP_HOST=HOST)


def test_the_sign_in_sends_the_person_to_their_agencys_saml_idp(world: Any, browserless: Client) -> None:
    response = browserless.post("/accounts/sso/", {"email": "someone@partner-b.example"})
    assert response.status_code == 200
    assert response.context["url"].startswith(world["idp_b"].sso_url + "?SAMLRequest=")


def test_a_new_person_signs_in_and_lands_in_the_idps_agency_with_the_mapped_role_and_team(
    cast: Any, world: Any, browserless: Client
) -> None:
    response = _sign_in(
        browserless,
        world["b"],
        world["idp_b"],
        "new.manager@partner-b.example",
        attributes={"role": ["manager"], "team": [cast.team_b1.name], "lastName": ["新任"], "firstName": ["管理"]},
    )
    assert response.status_code == 302 and "/accounts/" not in response["Location"], response.content[-1500:]
    person = _signed_in_as(browserless)
    assert person.email == "new.manager@partner-b.example"
    assert person.name == "新任 管理"
    assert (person.membership.organization, person.membership.role, person.membership.team) == (
        cast.partner_b,
        "manager",
        cast.team_b1,
    )


def test_an_existing_person_is_linked_by_their_address(cast: Any, world: Any, browserless: Client) -> None:
    _sign_in(browserless, world["b"], world["idp_b"], cast.rep_b1.email)
    assert _signed_in_as(browserless) == cast.rep_b1
    assert cast.rep_b1.socialaccount_set.get().provider == world["b"].app.provider_id


def test_an_existing_person_is_not_linked_when_the_idp_says_the_address_is_unverified(
    cast: Any, world: Any, browserless: Client
) -> None:
    response = _sign_in(
        browserless, world["b"], world["idp_b"], cast.rep_b1.email, attributes={"email_verified": ["false"]}
    )
    assert response.status_code == 403
    assert _signed_in_as(browserless) is None
    assert not cast.rep_b1.socialaccount_set.exists()


def test_an_agency_a_identity_from_agency_as_idp_is_refused_at_agency_bs_provider(
    cast: Any, world: Any, browserless: Client
) -> None:
    # A's IdP signs an assertion about A's rep; it is posted to B's provider (B's reply URL and audience).
    response = _sign_in(browserless, world["b"], world["idp_a"], cast.rep_a1.email, typed="someone@partner-b.example")
    assert response.status_code != 302 or "/accounts/" in response["Location"]
    assert _signed_in_as(browserless) is None
    assert not cast.rep_a1.socialaccount_set.exists()


def test_agency_bs_idp_cannot_sign_in_a_person_of_agency_a(cast: Any, world: Any, browserless: Client) -> None:
    response = _sign_in(browserless, world["b"], world["idp_b"], cast.rep_a1.email, typed="someone@partner-b.example")
    assert response.status_code == 403
    assert "組織" in response.content.decode()
    assert _signed_in_as(browserless) is None
    assert not User.objects.filter(email__iexact=cast.rep_a1.email).exclude(pk=cast.rep_a1.pk).exists()


def test_a_replayed_assertion_is_refused(cast: Any, world: Any, browserless: Client) -> None:
    request_id = _start(browserless, cast.rep_b1.email)
    acs, audience = _urls(world["b"])
    saml_response = world["idp_b"].response(
        acs_url=acs, audience=audience, in_response_to=request_id, email=cast.rep_b1.email
    )
    _post_assertion(browserless, world["b"], saml_response)
    assert _signed_in_as(browserless) == cast.rep_b1
    # The same assertion again, from another browser that even started a sign-in of its own.
    thief = Client(HTTP_HOST=HOST)
    _start(thief, cast.rep_b1.email)
    response = _post_assertion(thief, world["b"], saml_response)
    assert response.status_code == 403
    assert "使用済み" in response.content.decode()
    assert _signed_in_as(thief) is None
    # And again in the first browser, signed out.
    browserless.logout()
    response = _post_assertion(browserless, world["b"], saml_response)
    assert response.status_code == 403
    assert _signed_in_as(browserless) is None
    assert SamlAssertionUse.objects.count() == 1


def test_an_unsigned_assertion_is_refused(cast: Any, world: Any, browserless: Client) -> None:
    _sign_in(browserless, world["b"], world["idp_b"], cast.rep_b1.email, signed=False)
    assert _signed_in_as(browserless) is None


def test_an_assertion_signed_with_another_key_is_refused(cast: Any, world: Any, browserless: Client) -> None:
    forger = SamlIdP(entity_id=world["idp_b"].entity_id, sign_with=(world["idp_a"].key, world["idp_a"].cert))
    _sign_in(browserless, world["b"], forger, cast.rep_b1.email)
    assert _signed_in_as(browserless) is None


def test_an_assertion_altered_after_signing_is_refused(cast: Any, world: Any, browserless: Client) -> None:
    import base64

    request_id = _start(browserless, "x@partner-b.example")
    acs, audience = _urls(world["b"])
    genuine = world["idp_b"].response(
        acs_url=acs, audience=audience, in_response_to=request_id, email="x@partner-b.example"
    )
    altered = base64.b64decode(genuine).decode().replace("x@partner-b.example", cast.rep_b1.email)
    _post_assertion(browserless, world["b"], base64.b64encode(altered.encode()).decode())
    assert _signed_in_as(browserless) is None


def test_an_expired_assertion_is_refused(cast: Any, world: Any, browserless: Client) -> None:
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2)
    _sign_in(browserless, world["b"], world["idp_b"], cast.rep_b1.email, issued=long_ago)
    assert _signed_in_as(browserless) is None


def test_an_assertion_the_person_did_not_ask_for_is_refused(cast: Any, world: Any, browserless: Client) -> None:
    # IdP-initiated: no AuthnRequest of this browser to answer.
    acs, audience = _urls(world["b"])
    saml_response = world["idp_b"].response(
        acs_url=acs, audience=audience, in_response_to=None, email=cast.rep_b1.email
    )
    _post_assertion(browserless, world["b"], saml_response)
    assert _signed_in_as(browserless) is None


def test_a_saml_idp_is_configured_from_its_metadata_xml(cast: Any) -> None:
    idp = SamlIdP(entity_id="https://sts.windows.example/tenant-b/")
    body = idp.cert.split("-----")[2].replace("\n", "")
    metadata = f"""<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{idp.entity_id}">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data>
      <X509Certificate>{body}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location="https://login.example/tenant-b/saml2"/>
  </IDPSSODescriptor>
</EntityDescriptor>"""
    provider = saml_provider_save(
        provider=None,
        organization=cast.partner_b,
        name="Entra ID",
        metadata_xml=metadata,
        entity_id="",
        sso_url="",
        x509cert="",
        email_domains="partner-b.example",
        sso_required=True,
        role_claim="",
        team_claim="",
    )
    idp_settings = provider.app.settings["idp"]
    assert (idp_settings["entity_id"], idp_settings["sso_url"], idp_settings["x509cert"]) == (
        idp.entity_id,
        "https://login.example/tenant-b/saml2",
        body,
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"metadata_xml": "<not xml"}, "metadata_xml"),
        ({"metadata_xml": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'}, "metadata_xml"),
        ({"entity_id": ""}, "entity_id"),
        ({"sso_url": "not a url"}, "sso_url"),
        ({"x509cert": "MIIB-not-a-certificate"}, "x509cert"),
    ],
)
def test_a_bad_saml_setting_is_refused_with_the_field_named(cast: Any, values: dict[str, str], field: str) -> None:
    idp = SamlIdP(entity_id="https://idp.example/")
    data = {"metadata_xml": "", "entity_id": idp.entity_id, "sso_url": idp.sso_url, "x509cert": idp.cert, **values}
    with pytest.raises(SsoError) as refused:
        saml_provider_save(
            provider=None,
            organization=cast.partner_b,
            name="X",
            email_domains="partner-b.example",
            sso_required=False,
            role_claim="",
            team_claim="",
            **data,
        )
    assert refused.value.field == field
    assert not IdentityProvider.objects.exists()


def test_the_admin_adds_a_saml_provider_and_reads_the_values_to_register(cast: Any, client: Client) -> None:
    idp = SamlIdP(entity_id="https://idp.partner-b.example/saml")
    client.force_login(cast.admin)
    response = client.post(
        "/settings/sso/",
        {
            "protocol": "saml",
            "saml-organization": cast.partner_b.pk,
            "saml-name": "Okta",
            "saml-entity_id": idp.entity_id,
            "saml-sso_url": idp.sso_url,
            "saml-x509cert": idp.cert,
            "saml-email_domains": "partner-b.example",
            "saml-role_claim": "role",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    provider = IdentityProvider.objects.get()
    assert provider.is_saml and provider.organization == cast.partner_b
    page = client.get(f"/settings/sso/{provider.pk}/").content.decode()
    assert f"/accounts/saml/{provider.app.client_id}/acs/" in page
    assert f"/accounts/saml/{provider.app.client_id}/metadata/" in page
    metadata = client.get(f"/accounts/saml/{provider.app.client_id}/metadata/")
    assert metadata.status_code == 200 and b"AssertionConsumerService" in metadata.content


def test_a_bad_certificate_on_the_admin_page_is_said_and_nothing_is_saved(cast: Any, client: Client) -> None:
    client.force_login(cast.admin)
    response = client.post(
        "/settings/sso/",
        {
            "protocol": "saml",
            "saml-organization": cast.partner_b.pk,
            "saml-name": "Okta",
            "saml-entity_id": "https://idp.example/",
            "saml-sso_url": "https://idp.example/sso",
            "saml-x509cert": "garbage",
            "saml-email_domains": "partner-b.example",
        },
    )
    assert response.status_code == 200
    assert "証明書" in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_when_the_agency_requires_sso_a_password_reset_is_refused(cast: Any, world: Any, client: Client) -> None:
    from django.core import mail

    provider = world["b"]
    provider.sso_required = True
    provider.save()
    response = client.post("/accounts/password/reset/", {"email": cast.rep_b1.email})
    assert response.status_code == 200
    assert "パスワードは使えません" in response.content.decode()
    assert not mail.outbox
    # Another agency's people still reset theirs.
    response = client.post("/accounts/password/reset/", {"email": cast.rep_a1.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_a_reset_link_sent_before_the_agency_required_sso_sets_no_password(
    cast: Any, world: Any, client: Client
) -> None:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = default_token_generator.make_token(cast.rep_b1)
    link = f"/accounts/password/reset/key/{user_pk_to_url_str(cast.rep_b1)}-{key}/"
    provider = world["b"]
    provider.sso_required = True
    provider.save()
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password1": "a-long-new-pass-9", "password2": "a-long-new-pass-9"})
    assert response.status_code == 200
    assert "パスワードは使えません" in response.content.decode()
    cast.rep_b1.refresh_from_db()
    assert cast.rep_b1.check_password("kizuna-demo")


def test_agency_b_reaches_nothing_of_agency_as_saml_provider(cast: Any, world: Any) -> None:
    provider_a = world["a"]
    for outsider in (cast.manager_b, cast.rep_b1, cast.manager_a):
        client = Client(HTTP_HOST=HOST)
        client.force_login(outsider)
        assert client.get(f"/settings/sso/{provider_a.pk}/").status_code == 404
        assert client.post(f"/settings/sso/{provider_a.pk}/", {"delete": "1"}).status_code == 404
        # The service provider's metadata is public by design (the IdP reads it) and says nothing of the agency.
        metadata = client.get(f"/accounts/saml/{provider_a.app.client_id}/metadata/").content.decode()
        assert cast.partner_a.name not in metadata and "partner-a.example" not in metadata
        assert world["idp_a"].entity_id not in metadata
    assert IdentityProvider.objects.filter(pk=provider_a.pk).exists()
