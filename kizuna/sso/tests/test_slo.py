"""SAML Single Logout (HTTP-Redirect, signed both ways) against the IdP made in the tests (xmlsec signatures)."""

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from kizuna.sso.models import IdentityProvider, SamlSession
from kizuna.sso.services import saml_provider_save

from .saml_idp import SamlIdP, keypair, redirect_message, redirect_signature_valid
from .test_saml import HOST, _sign_in, _signed_in_as, _urls

SAMLP = "{urn:oasis:names:tc:SAML:2.0:protocol}"
SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"


def _provider(organization: Any, idp: SamlIdP, domains: str, *, slo: bool = True) -> IdentityProvider:
    return saml_provider_save(
        provider=None,
        organization=organization,
        name=f"IdP of {organization.slug}",
        metadata_xml="",
        entity_id=idp.entity_id,
        sso_url=idp.sso_url,
        slo_url=idp.slo_url if slo else "",
        x509cert=idp.cert,
        email_domains=domains,
        sso_required=False,
        role_claim="role",
        team_claim="team",
    )


@pytest.fixture
def world(cast: Any) -> dict[str, Any]:
    idp_a = SamlIdP(entity_id="https://idp.partner-a.example/saml", slo_url="https://idp.partner-a.example/slo")
    idp_b = SamlIdP(entity_id="https://idp.partner-b.example/saml", slo_url="https://idp.partner-b.example/slo")
    return {
        "idp_a": idp_a,
        "idp_b": idp_b,
        "a": _provider(cast.partner_a, idp_a, "partner-a.example"),
        "b": _provider(cast.partner_b, idp_b, "partner-b.example"),
    }


def _sls(provider: IdentityProvider) -> str:
    return f"http://{HOST}/accounts/saml/{provider.app.client_id}/sls/"


def _signed_in_browser(provider: IdentityProvider, idp: SamlIdP, email: str) -> tuple[Client, str]:
    """Sign someone in through the IdP in a new browser; return it and the IdP's SessionIndex."""
    browser = Client(HTTP_HOST=HOST)
    _sign_in(browser, provider, idp, email)
    assert _signed_in_as(browser) is not None
    return browser, idp.last_session_index


def _sign_out(browser: Client) -> Any:
    """Sign out of Kizuna; return the page that opens the IdP's sign-out."""
    response = browser.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sso/sign-out/?t=")
    return browser.get(response["Location"])


def _sp_certificate(provider: IdentityProvider) -> str:
    provider.app.refresh_from_db()
    return str(provider.app.settings["advanced"]["x509cert"])


def test_signing_out_sends_the_idp_a_logout_request_signed_by_kizuna(cast: Any, world: Any) -> None:
    browser, session_index = _signed_in_browser(world["b"], world["idp_b"], cast.rep_b1.email)
    page = _sign_out(browser)
    assert _signed_in_as(browser) is None
    assert page.status_code == 200
    url = page.context["url"]
    assert url.startswith(world["idp_b"].slo_url + "?SAMLRequest=")
    request, query = redirect_message(url, "SAMLRequest")
    assert request.tag == f"{SAMLP}LogoutRequest"
    assert request.get("Destination") == world["idp_b"].slo_url
    assert request.find(f"{SAML}NameID").text == cast.rep_b1.email
    assert request.find(f"{SAMLP}SessionIndex").text == session_index
    assert redirect_signature_valid(query, "SAMLRequest", _sp_certificate(world["b"]))
    # Signed with this IdP's own key of Kizuna's, not anybody's.
    assert not redirect_signature_valid(query, "SAMLRequest", _sp_certificate(world["a"]))
    assert not SamlSession.objects.filter(user=cast.rep_b1).exists()


def _logout_request_id(page: Any) -> str:
    request, _query = redirect_message(page.context["url"], "SAMLRequest")
    return str(request.get("ID"))


def test_the_idps_signed_logout_response_completes_the_sign_out(cast: Any, world: Any) -> None:
    browser, _ = _signed_in_browser(world["b"], world["idp_b"], cast.rep_b1.email)
    request_id = _logout_request_id(_sign_out(browser))
    answer = world["idp_b"].logout_response(destination=_sls(world["b"]), in_response_to=request_id)
    response = browser.get(_sls(world["b"]), answer)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(world["b"].name in m for m in said), said
    # The answer is used up: the same one again is refused.
    assert browser.get(_sls(world["b"]), answer).status_code == 400


@pytest.mark.parametrize("how", ["unsigned", "another key", "another request"])
def test_a_logout_response_that_is_not_the_idps_answer_is_refused(cast: Any, world: Any, how: str) -> None:
    browser, _ = _signed_in_browser(world["b"], world["idp_b"], cast.rep_b1.email)
    request_id = _logout_request_id(_sign_out(browser))
    idp = world["idp_b"]
    if how == "another key":
        idp = SamlIdP(entity_id=idp.entity_id, sign_with=keypair("forger"))
    answer = idp.logout_response(
        destination=_sls(world["b"]),
        in_response_to="_someone-elses" if how == "another request" else request_id,
        signed=how != "unsigned",
    )
    response = browser.get(_sls(world["b"]), answer)
    assert response.status_code == 400
    assert "確認" in response.content.decode()


def test_without_an_idp_sign_out_url_signing_out_ends_only_kizunas_session(cast: Any) -> None:
    idp = SamlIdP(entity_id="https://idp.partner-b.example/saml")
    provider = _provider(cast.partner_b, idp, "partner-b.example", slo=False)
    browser, _ = _signed_in_browser(provider, idp, cast.rep_b1.email)
    response = browser.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert _signed_in_as(browser) is None


def test_the_idps_logout_request_ends_the_persons_sessions_in_every_browser(cast: Any, world: Any) -> None:
    phone, _ = _signed_in_browser(world["b"], world["idp_b"], cast.rep_b1.email)
    laptop, _ = _signed_in_browser(world["b"], world["idp_b"], cast.rep_b1.email)
    colleague, _ = _signed_in_browser(world["b"], world["idp_b"], cast.manager_b.email)
    # Delivered through a browser without Kizuna's cookie (as in an IdP's iframe): the sessions still end.
    message = world["idp_b"].logout_request(destination=_sls(world["b"]), name_id=cast.rep_b1.email, session_index=None)
    response = Client(HTTP_HOST=HOST).get(_sls(world["b"]), message)
    assert response.status_code == 302
    assert _signed_in_as(phone) is None and _signed_in_as(laptop) is None
    assert _signed_in_as(colleague) == cast.manager_b
    # The answer goes back to the IdP, signed by Kizuna, answering this request, with its RelayState.
    answer, query = redirect_message(response["Location"], "SAMLResponse")
    assert response["Location"].startswith(world["idp_b"].slo_url + "?")
    request_id = etree.fromstring(OneLogin_Saml2_Utils.decode_base64_and_inflate(message["SAMLRequest"])).get("ID")
    assert answer.get("InResponseTo") == request_id
    assert answer.find(f"{SAMLP}Status/{SAMLP}StatusCode").get("Value").endswith(":Success")
    assert query["RelayState"] == "from-idp"
    assert redirect_signature_valid(query, "SAMLResponse", _sp_certificate(world["b"]))


def test_the_idps_logout_request_with_a_session_index_ends_only_that_session(cast: Any, world: Any) -> None:
    phone, phone_index = _signed_in_browser(world["b"], world["idp_b"], cast.rep_b1.email)
    laptop, _ = _signed_in_browser(world["b"], world["idp_b"], cast.rep_b1.email)
    message = world["idp_b"].logout_request(
        destination=_sls(world["b"]), name_id=cast.rep_b1.email, session_index=phone_index
    )
    response = phone.get(_sls(world["b"]), message)
    assert response.status_code == 302
    assert _signed_in_as(phone) is None
    assert _signed_in_as(laptop) == cast.rep_b1


@pytest.mark.parametrize("how", ["unsigned", "another key", "replayed"])
def test_a_logout_request_that_is_not_the_idps_is_refused(cast: Any, world: Any, how: str) -> None:
    browser, _ = _signed_in_browser(world["b"], world["idp_b"], cast.rep_b1.email)
    idp = world["idp_b"]
    if how == "another key":
        idp = SamlIdP(entity_id=idp.entity_id, sign_with=keypair("forger"))
    message = idp.logout_request(
        destination=_sls(world["b"]), name_id=cast.rep_b1.email, session_index=None, signed=how != "unsigned"
    )
    if how == "replayed":
        assert Client(HTTP_HOST=HOST).get(_sls(world["b"]), message).status_code == 302
        browser, _ = _signed_in_browser(world["b"], world["idp_b"], cast.rep_b1.email)
    response = Client(HTTP_HOST=HOST).get(_sls(world["b"]), message)
    assert response.status_code == 400
    assert _signed_in_as(browser) == cast.rep_b1


def test_agency_bs_idp_cannot_sign_out_agency_as_people(cast: Any, world: Any) -> None:
    browser_a, _ = _signed_in_browser(world["a"], world["idp_a"], cast.rep_a1.email)
    # B's IdP names A's rep at B's sign-out URL: B's provider has no sessions of A's people.
    message = world["idp_b"].logout_request(destination=_sls(world["b"]), name_id=cast.rep_a1.email, session_index=None)
    Client(HTTP_HOST=HOST).get(_sls(world["b"]), message)
    assert _signed_in_as(browser_a) == cast.rep_a1
    # And B's IdP's request at A's sign-out URL fails A's certificate.
    message = world["idp_b"].logout_request(destination=_sls(world["a"]), name_id=cast.rep_a1.email, session_index=None)
    assert Client(HTTP_HOST=HOST).get(_sls(world["a"]), message).status_code == 400
    assert _signed_in_as(browser_a) == cast.rep_a1


def test_a_sign_out_url_without_a_message_is_refused_without_error(world: Any) -> None:
    assert Client(HTTP_HOST=HOST).get(_sls(world["b"])).status_code == 400
    assert Client(HTTP_HOST=HOST).get(_sls(world["b"]), {"SAMLRequest": "garbage"}).status_code == 400
    assert Client(HTTP_HOST=HOST).get("/accounts/saml/nobody/sls/").status_code == 404
    assert Client(HTTP_HOST=HOST).get("/accounts/sso/sign-out/", {"t": "forged"}).status_code == 302


def test_the_sp_metadata_and_the_admin_page_give_the_sign_out_url_and_kizunas_certificate(
    cast: Any, world: Any
) -> None:
    provider = world["b"]
    certificate = _sp_certificate(provider)
    metadata = Client(HTTP_HOST=HOST).get(_urls(provider)[1]).content.decode()
    assert f'Location="{_sls(provider)}"' in metadata and "SingleLogoutService" in metadata
    assert certificate in metadata
    admin = Client(HTTP_HOST=HOST)
    admin.force_login(cast.admin)
    page = admin.get(f"/settings/sso/{provider.pk}/").content.decode()
    assert _sls(provider) in page
    assert certificate[:64] in page


def test_saving_a_provider_again_keeps_kizunas_key_for_it(cast: Any, world: Any) -> None:
    provider = world["b"]
    before = _sp_certificate(provider)
    idp = world["idp_b"]
    saml_provider_save(
        provider=provider,
        organization=cast.partner_b,
        name="Renamed",
        metadata_xml="",
        entity_id=idp.entity_id,
        sso_url=idp.sso_url,
        slo_url="",
        x509cert=idp.cert,
        email_domains="partner-b.example",
        sso_required=False,
        role_claim="",
        team_claim="",
    )
    assert _sp_certificate(provider) == before
    assert "slo_url" not in provider.app.settings["idp"]
