"""A SAML identity provider made in the tests: its own key and certificate, and responses signed with xmlsec.

It answers the AuthnRequest Kizuna sends (HTTP-Redirect) with a Response whose assertion it signs with
python3-saml's `add_sign` (xmlsec, RSA-SHA256), as Entra ID, Okta and Google do; the tests can also leave the
signature out, sign with another key or let the assertion expire.
"""

import base64
import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils


def keypair(common_name: str) -> tuple[str, str]:
    """Return (private key PEM, self-signed certificate PEM) for an IdP."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


def _instant(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def authn_request_id(redirect_url: str) -> str:
    """Return the ID of the AuthnRequest carried by Kizuna's redirect to the IdP."""
    saml_request = parse_qs(urlsplit(redirect_url).query)["SAMLRequest"][0]
    xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(saml_request)
    return str(etree.fromstring(xml).get("ID"))


@dataclass
class SamlIdP:
    entity_id: str
    sso_url: str = "https://idp.example/sso"
    key: str = ""
    cert: str = ""
    sign_with: tuple[str, str] | None = field(default=None)  # another IdP's key and certificate
    slo_url: str = "https://idp.example/slo"
    last_session_index: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            self.key, self.cert = keypair(self.entity_id)

    def response(
        self,
        *,
        acs_url: str,
        audience: str,
        in_response_to: str | None,
        email: str,
        attributes: dict[str, list[str]] | None = None,
        signed: bool = True,
        lifetime: datetime.timedelta = datetime.timedelta(minutes=5),
        issued: datetime.datetime | None = None,
    ) -> str:
        """Return a base64 SAMLResponse for the HTTP-POST binding."""
        issued = issued or datetime.datetime.now(datetime.UTC)
        self.last_session_index = f"_{uuid.uuid4().hex}"
        answers = f" InResponseTo={quoteattr(in_response_to)}" if in_response_to else ""
        values = {"email": [email], **(attributes or {})}
        statement = "".join(
            f"<saml:Attribute Name={quoteattr(name)}>"
            + "".join(f'<saml:AttributeValue xsi:type="xs:string">{escape(v)}</saml:AttributeValue>' for v in vals)
            + "</saml:Attribute>"
            for name, vals in values.items()
        )
        assertion = (
            '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            f'ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(issued)}">'
            f"<saml:Issuer>{escape(self.entity_id)}</saml:Issuer>"
            "<saml:Subject>"
            f'<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{escape(email)}</saml:NameID>'
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{_instant(issued + lifetime)}" '
            f"Recipient={quoteattr(acs_url)}{answers}/>"
            "</saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{_instant(issued - datetime.timedelta(minutes=1))}" '
            f'NotOnOrAfter="{_instant(issued + lifetime)}">'
            f"<saml:AudienceRestriction><saml:Audience>{escape(audience)}</saml:Audience></saml:AudienceRestriction>"
            "</saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{_instant(issued)}" SessionIndex="{self.last_session_index}">'
            "<saml:AuthnContext><saml:AuthnContextClassRef>"
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            f"<saml:AttributeStatement>{statement}</saml:AttributeStatement>"
            "</saml:Assertion>"
        )
        if signed:
            key, cert = self.sign_with or (self.key, self.cert)
            signed_xml = OneLogin_Saml2_Utils.add_sign(
                assertion,
                key,
                cert,
                sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
                digest_algorithm=OneLogin_Saml2_Constants.SHA256,
            )
            assertion = signed_xml.decode() if isinstance(signed_xml, bytes) else signed_xml
            assertion = assertion.split("?>", 1)[-1] if assertion.startswith("<?xml") else assertion
        response = (
            '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(issued)}" '
            f"Destination={quoteattr(acs_url)}{answers}>"
            f"<saml:Issuer>{escape(self.entity_id)}</saml:Issuer>"
            '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
            f"{assertion}</samlp:Response>"
        )
        return base64.b64encode(response.encode()).decode()

    def _redirect_query(self, kind: str, xml: str, *, signed: bool, relay_state: str | None = None) -> dict[str, str]:
        """Return the query of an HTTP-Redirect message, signed over its parameters as the binding says."""
        from onelogin.saml2.auth import OneLogin_Saml2_Auth

        data = OneLogin_Saml2_Utils.deflate_and_base64_encode(xml)
        query = {kind: data}
        if relay_state is not None:
            query["RelayState"] = relay_state
        if signed:
            key, _cert = self.sign_with or (self.key, self.cert)
            algorithm = OneLogin_Saml2_Constants.RSA_SHA256
            signed_part = OneLogin_Saml2_Auth._build_sign_query(data, relay_state, algorithm, kind)
            signature = OneLogin_Saml2_Utils.sign_binary(signed_part, key, xmlsec.Transform.RSA_SHA256)
            query["SigAlg"] = algorithm
            query["Signature"] = base64.b64encode(signature).decode()
        return query

    def logout_request(
        self,
        *,
        destination: str,
        name_id: str,
        session_index: str | None,
        signed: bool = True,
        message_id: str | None = None,
    ) -> dict[str, str]:
        """Return the query of a LogoutRequest (the person signed out at the IdP) for Kizuna's sign-out URL."""
        now = datetime.datetime.now(datetime.UTC)
        index = f"<samlp:SessionIndex>{escape(session_index)}</samlp:SessionIndex>" if session_index else ""
        xml = (
            '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="{message_id or "_" + uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(now)}" '
            f'NotOnOrAfter="{_instant(now + datetime.timedelta(minutes=5))}" Destination={quoteattr(destination)}>'
            f"<saml:Issuer>{escape(self.entity_id)}</saml:Issuer>"
            f'<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{escape(name_id)}</saml:NameID>'
            f"{index}</samlp:LogoutRequest>"
        )
        return self._redirect_query("SAMLRequest", xml, signed=signed, relay_state="from-idp")

    def logout_response(self, *, destination: str, in_response_to: str, signed: bool = True) -> dict[str, str]:
        """Return the query of a LogoutResponse answering Kizuna's LogoutRequest."""
        now = datetime.datetime.now(datetime.UTC)
        xml = (
            '<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(now)}" '
            f"Destination={quoteattr(destination)} InResponseTo={quoteattr(in_response_to)}>"
            f"<saml:Issuer>{escape(self.entity_id)}</saml:Issuer>"
            '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
            "</samlp:LogoutResponse>"
        )
        return self._redirect_query("SAMLResponse", xml, signed=signed)


def serve_idp(idp: SamlIdP, *, email: str, attributes: dict[str, list[str]]) -> tuple[str, Any]:
    """Run `idp` on loopback for a browser: its sign-in URL answers Kizuna's AuthnRequest with a page whose
    button posts the signed response to the reply URL the request names (the HTTP-POST binding).

    Return (sign-in URL, the server, to shut down).
    """
    import html
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            query = parse_qs(urlsplit(self.path).query)
            if urlsplit(self.path).path == "/slo":
                self._sign_out(query)
                return
            request = etree.fromstring(OneLogin_Saml2_Utils.decode_base64_and_inflate(query["SAMLRequest"][0]))
            issuer = request.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer")
            acs_url = str(request.get("AssertionConsumerServiceURL"))
            saml_response = idp.response(
                acs_url=acs_url,
                audience=issuer.text if issuer is not None else "",
                in_response_to=str(request.get("ID")),
                email=email,
                attributes=attributes,
            )
            page = (
                "<!doctype html><meta name=viewport content='width=device-width'><title>Test IdP</title>"
                f"<p>Signed in at the test IdP as {html.escape(email)}</p>"
                f"<form method=post action='{html.escape(acs_url)}'>"
                f"<input type=hidden name=SAMLResponse value='{saml_response}'>"
                f"<input type=hidden name=RelayState value='{html.escape(query.get('RelayState', [''])[0])}'>"
                "<button type=submit>Continue</button></form>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def _sign_out(self, query: dict[str, list[str]]) -> None:
            """Answer Kizuna's LogoutRequest with a signed LogoutResponse, sent back to Kizuna's sign-out URL."""
            from urllib.parse import urlencode

            request = etree.fromstring(OneLogin_Saml2_Utils.decode_base64_and_inflate(query["SAMLRequest"][0]))
            issuer = request.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer")
            # Kizuna's entity ID is its metadata URL; its sign-out service is beside it.
            sls = (issuer.text if issuer is not None else "").replace("/metadata/", "/sls/")
            answer = idp.logout_response(destination=sls, in_response_to=str(request.get("ID")))
            self.send_response(302)
            self.send_header("Location", f"{sls}?{urlencode(answer)}")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    idp.slo_url = f"http://127.0.0.1:{server.server_address[1]}/slo"
    return f"http://127.0.0.1:{server.server_address[1]}/sso", server


def redirect_message(url: str, kind: str) -> tuple[Any, dict[str, str]]:
    """Return (the XML element, the query) of an HTTP-Redirect message Kizuna sends (a LogoutRequest/Response)."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}
    return etree.fromstring(OneLogin_Saml2_Utils.decode_base64_and_inflate(query[kind])), query


def redirect_signature_valid(query: dict[str, str], kind: str, certificate: str) -> bool:
    """Whether Kizuna signed an HTTP-Redirect message with the key of this certificate (base64 DER or PEM)."""
    from onelogin.saml2.auth import OneLogin_Saml2_Auth

    if "Signature" not in query:
        return False
    signed_part = OneLogin_Saml2_Auth._build_sign_query(query[kind], query.get("RelayState"), query["SigAlg"], kind)
    return bool(
        OneLogin_Saml2_Utils.validate_binary_sign(
            signed_part,
            base64.b64decode(query["Signature"]),
            OneLogin_Saml2_Utils.format_cert(certificate),
            query["SigAlg"],
        )
    )
