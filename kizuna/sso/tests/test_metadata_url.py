"""A SAML IdP given by its metadata URL: fetched when saved and every night, bounded, https only, failures said."""

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from kizuna.audit.models import AuditEntry
from kizuna.ops.schedule import registered_jobs
from kizuna.sso import metadata
from kizuna.sso.models import IdentityProvider
from kizuna.sso.services import SsoError, saml_metadata_refresh_all, saml_provider_save

from .saml_idp import SamlIdP


def metadata_xml(idp: SamlIdP, *, slo: bool = True) -> str:
    body = idp.cert.split("-----")[2].replace("\n", "")
    slo_service = (
        f'<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{idp.slo_url}"/>'
        if slo
        else ""
    )
    return f"""<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{idp.entity_id}">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data>
      <X509Certificate>{body}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    {slo_service}
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{idp.sso_url}"/>
  </IDPSSODescriptor>
</EntityDescriptor>"""


class MetadataServer:
    """The IdP's metadata URL on loopback: what it answers can be changed between requests."""

    def __init__(self) -> None:
        self.body = b""
        self.status = 200
        self.delay = 0.0
        self.headers: dict[str, str] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                time.sleep(server.delay)
                self.send_response(server.status)
                for name, value in server.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/samlmetadata+xml")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up
                    self.wfile.write(server.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/federationmetadata.xml"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def served(settings: Any) -> Iterator[MetadataServer]:
    settings.SSO_METADATA_HTTP_LOOPBACK = True  # plain http, to this machine only, for the tests
    server = MetadataServer()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def _save(organization: Any, url: str, provider: IdentityProvider | None = None) -> IdentityProvider:
    return saml_provider_save(
        provider=provider,
        organization=organization,
        name="Entra ID",
        metadata_url=url,
        metadata_xml="",
        entity_id="",
        sso_url="",
        x509cert="",
        email_domains="partner-b.example",
        sso_required=False,
        role_claim="",
        team_claim="",
    )


def _body(cert_pem: str) -> str:
    return cert_pem.split("-----")[2].replace("\n", "")


def test_a_saml_idp_is_configured_from_its_metadata_url(cast: Any, served: MetadataServer) -> None:
    idp = SamlIdP(entity_id="https://sts.example/tenant-b/", slo_url="https://login.example/tenant-b/saml2")
    served.body = metadata_xml(idp).encode()
    provider = _save(cast.partner_b, served.url)
    idp_settings = provider.app.settings["idp"]
    assert (idp_settings["entity_id"], idp_settings["sso_url"], idp_settings["slo_url"]) == (
        idp.entity_id,
        idp.sso_url,
        idp.slo_url,
    )
    assert idp_settings["x509cert"] == _body(idp.cert)
    assert provider.metadata_url == served.url and provider.metadata_refreshed_at is not None


def test_the_nightly_refresh_takes_the_idps_new_certificate_and_the_trail_says_so(
    cast: Any, served: MetadataServer
) -> None:
    idp = SamlIdP(entity_id="https://sts.example/tenant-b/")
    served.body = metadata_xml(idp).encode()
    provider = _save(cast.partner_b, served.url)
    rolled = SamlIdP(entity_id=idp.entity_id)  # same IdP, a new signing key
    served.body = metadata_xml(rolled).encode()
    assert "sso_saml_metadata_refresh" in {job.id for job in registered_jobs()}
    assert saml_metadata_refresh_all() == 1
    provider.refresh_from_db()
    provider.app.refresh_from_db()
    assert provider.app.settings["idp"]["x509cert"] == _body(rolled.cert)
    entry = AuditEntry.objects.filter(action="sso.update", target_id=str(provider.pk)).latest("pk")
    assert set(entry.before) == {"certificate_sha256"} and entry.after["refreshed_from"] == served.url
    assert entry.organization_id == cast.partner_b.pk
    # Nothing changed the next night: nothing more in the trail.
    count = AuditEntry.objects.count()
    assert saml_metadata_refresh_all() == 1
    assert AuditEntry.objects.count() == count


def test_a_failed_refresh_keeps_the_values_says_why_and_is_recorded_once(cast: Any, served: MetadataServer) -> None:
    idp = SamlIdP(entity_id="https://sts.example/tenant-b/")
    served.body = metadata_xml(idp).encode()
    provider = _save(cast.partner_b, served.url)
    served.status = 503
    count = AuditEntry.objects.count()
    assert saml_metadata_refresh_all() == 0
    assert saml_metadata_refresh_all() == 0
    provider.refresh_from_db()
    provider.app.refresh_from_db()
    assert provider.app.settings["idp"]["x509cert"] == _body(idp.cert)
    assert (provider.metadata_error, provider.metadata_error_detail) == ("status", "503")
    assert AuditEntry.objects.count() == count + 1
    entry = AuditEntry.objects.latest("pk")
    assert entry.after["metadata_error"] == "status"
    admin = Client()
    admin.force_login(cast.admin)
    page = admin.get(f"/settings/sso/{provider.pk}/").content.decode()
    assert "503" in page and "失敗" in page
    # It works again: the error is gone.
    served.status = 200
    response = admin.post(f"/settings/sso/{provider.pk}/", {"refresh": "1"})
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.metadata_error == ""


@pytest.mark.parametrize(
    ("serve", "code"),
    [
        ({"status": 404}, "status"),
        ({"status": 302, "headers": {"Location": "http://elsewhere.example/"}}, "redirect"),
        ({"body": b"<html>Sign in</html>"}, "not_metadata"),
        ({"body": b"<not xml"}, "not_metadata"),
        ({"body": b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'}, "not_metadata"),
        ({"body": b"<x>" + b"a" * (metadata.MAX_BYTES + 10) + b"</x>"}, "too_large"),
    ],
)
def test_a_bad_metadata_url_is_refused_with_the_reason_and_nothing_is_saved(
    cast: Any, served: MetadataServer, serve: dict[str, Any], code: str
) -> None:
    for name, value in serve.items():
        setattr(served, name, value)
    with pytest.raises(SsoError) as refused:
        _save(cast.partner_b, served.url)
    assert (refused.value.field, refused.value.code) == ("metadata_url", code)
    assert not IdentityProvider.objects.exists()


def test_a_slow_metadata_url_is_given_up(cast: Any, served: MetadataServer, monkeypatch: Any) -> None:
    monkeypatch.setattr(metadata, "TIMEOUT", (1.0, 0.5))
    served.delay = 2.0
    with pytest.raises(SsoError) as refused:
        _save(cast.partner_b, served.url)
    assert refused.value.code == "unreachable"


@pytest.mark.parametrize(
    "url", ["http://idp.example/metadata.xml", "ftp://idp.example/metadata.xml", "file:///etc/passwd", "not a url"]
)
def test_only_https_metadata_urls_are_fetched(cast: Any, url: str) -> None:
    with pytest.raises(SsoError) as refused:
        _save(cast.partner_b, url)
    assert (refused.value.field, refused.value.code) == ("metadata_url", "not_https")


def test_plain_http_to_loopback_is_refused_unless_allowed(cast: Any, served: MetadataServer, settings: Any) -> None:
    settings.SSO_METADATA_HTTP_LOOPBACK = False
    served.body = metadata_xml(SamlIdP(entity_id="https://sts.example/")).encode()
    with pytest.raises(SsoError) as refused:
        _save(cast.partner_b, served.url)
    assert refused.value.code == "not_https"


def test_the_admin_gives_a_metadata_url_on_the_page(cast: Any, served: MetadataServer) -> None:
    idp = SamlIdP(entity_id="https://idp.partner-b.example/saml")
    served.body = metadata_xml(idp).encode()
    admin = Client()
    admin.force_login(cast.admin)
    form = {
        "protocol": "saml",
        "saml-organization": cast.partner_b.pk,
        "saml-name": "Okta",
        "saml-metadata_url": served.url,
        "saml-email_domains": "partner-b.example",
    }
    served.status = 500
    response = admin.post("/settings/sso/", form)
    assert response.status_code == 200 and "500" in response.content.decode()
    assert not IdentityProvider.objects.exists()
    served.status = 200
    response = admin.post("/settings/sso/", form)
    assert response.status_code == 302, response.content.decode()[-1500:]
    provider = IdentityProvider.objects.get()
    assert provider.app.settings["idp"]["entity_id"] == idp.entity_id
    page = admin.get(f"/settings/sso/{provider.pk}/").content.decode()
    assert served.url in page
