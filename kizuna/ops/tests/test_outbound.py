"""The server never calls an internal address for a configured URL (SSRF): not the loopback, private, link-local,
reserved, multicast or unspecified ones, IPv4 or IPv6; not when any of a name's addresses is one; not when a
second DNS answer differs from the first (rebinding). Each feature that calls out refuses such a URL when it is
configured, with a message in the admin's language, and refuses it again when it calls."""

import http.server
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.utils import translation

from kizuna.ops import outbound
from kizuna.ops.outbound import (
    AddressRefused,
    OutboundURLError,
    address_is_internal,
    outbound_session,
    outbound_url_check,
)


class _Receiver(http.server.BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        _Receiver.seen.append({"path": self.path, "host": self.headers.get("Host", "")})
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[int]:
    """A plain HTTP server on 127.0.0.1 that notes every request it gets; yields its port."""
    _Receiver.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def no_loopback(settings: Any) -> None:
    settings.OUTBOUND_ALLOW_LOOPBACK = False


def _dns(monkeypatch: Any, answers: dict[str, list[list[str]]]) -> list[str]:
    """Answer getaddrinfo for the given names from a script (one list of addresses per lookup, the last repeated);
    return the log of the names looked up. Other names and IP literals resolve as usual."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in answers:
            asked.append(host)
            script = answers[host]
            addresses = script.pop(0) if len(script) > 1 else script[0]
            return [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return asked


INTERNAL = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.5",
    "172.16.3.4",
    "192.168.1.1",
    "169.254.169.254",  # a cloud's instance metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",  # noqa: S104 (an address to refuse, not one to bind)
    "224.0.0.251",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.10",  # documentation
    "::1",
    "::",
    "fe80::1",
    "fc00::5",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:10.0.0.5",  # IPv4-mapped
    "::ffff:127.0.0.1",
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2002:a00:5::1",  # 6to4 of 10.0.0.5
    "2001:db8::1",
]


@pytest.mark.parametrize("address", INTERNAL)
def test_it_counts_every_kind_of_internal_address_as_internal(no_loopback: None, address: str) -> None:
    assert address_is_internal(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "203.0.114.9", "2001:4860:4860::8888", "::ffff:8.8.4.4"])
def test_it_lets_public_addresses_through(no_loopback: None, address: str) -> None:
    assert not address_is_internal(address)


def test_the_test_setting_lets_loopback_through_and_nothing_else(settings: Any) -> None:
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    assert not address_is_internal("127.0.0.1") and not address_is_internal("::1")
    assert address_is_internal("10.0.0.5") and address_is_internal("169.254.169.254")
    assert address_is_internal("fe80::1") and address_is_internal("0.0.0.0")  # noqa: S104


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/",
        "http://localhost:{port}/",
        "http://[::1]:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://2130706433:{port}/",  # 127.0.0.1 written as one number
        "http://0x7f.1:{port}/",
    ],
)
def test_a_request_to_this_machine_is_refused_before_anything_is_sent(
    no_loopback: None, receiver: int, url: str
) -> None:
    with pytest.raises(requests.ConnectionError), outbound_session() as session:
        session.get(url.format(port=receiver), timeout=5)
    assert _Receiver.seen == []


def test_a_name_with_one_internal_address_among_public_ones_is_refused(
    no_loopback: None, receiver: int, monkeypatch: Any
) -> None:
    _dns(monkeypatch, {"mixed.example": [["8.8.8.8", "127.0.0.1"]]})
    with pytest.raises(AddressRefused) as refused, outbound_session() as session:
        session.get(f"http://mixed.example:{receiver}/", timeout=5)
    assert refused.value.address == "127.0.0.1" and _Receiver.seen == []


def test_it_connects_to_the_address_it_checked_and_keeps_the_name_for_the_host_header(
    receiver: int, monkeypatch: Any
) -> None:
    _dns(monkeypatch, {"lrs.example": [["127.0.0.1"]]})  # loopback allowed here, as in every test
    dialled: list[tuple[str, int]] = []
    real = outbound.HTTPConnection._new_conn

    def spy(self: Any) -> Any:
        dialled.append((self._dns_host, self.port))
        return real(self)

    monkeypatch.setattr(outbound.HTTPConnection, "_new_conn", spy)
    with outbound_session() as session:
        assert session.get(f"http://lrs.example:{receiver}/x", timeout=5).text == "ok"
    assert dialled == [("127.0.0.1", receiver)]  # the address, not the name a second lookup would answer
    assert _Receiver.seen == [{"path": "/x", "host": f"lrs.example:{receiver}"}]


def test_a_name_that_turns_internal_after_the_first_check_is_refused_when_connecting(
    receiver: int, monkeypatch: Any
) -> None:
    # DNS rebinding: the first answer passes the check, the next one points inside.
    asked = _dns(monkeypatch, {"rebind.example": [["127.0.0.1"], ["10.0.0.5"]]})
    with pytest.raises(requests.ConnectionError, match="internal address"), outbound_session() as session:
        session.get(f"http://rebind.example:{receiver}/", timeout=5)
    assert len(asked) == 2 and _Receiver.seen == []


def test_a_redirect_to_an_internal_address_is_refused(no_loopback: None, monkeypatch: Any) -> None:
    # The first hop is "public" (a stand-in on loopback); the redirect it answers points at the metadata service.
    class Redirect(_Receiver):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setattr(
            outbound, "address_is_internal", lambda a: str(a) != "127.0.0.1" and not str(a).startswith("8.")
        )
        with pytest.raises(AddressRefused) as refused, outbound_session() as session:
            session.get(f"http://127.0.0.1:{server.server_address[1]}/", timeout=5)
        assert refused.value.host == "169.254.169.254"
    finally:
        server.shutdown()
        server.server_close()


def test_configuring_an_internal_url_gets_a_message_in_the_admins_language(no_loopback: None) -> None:
    with translation.override("ja"), pytest.raises(OutboundURLError) as ja:
        outbound_url_check("https://169.254.169.254/latest/", field="endpoint")
    assert "169.254.169.254" in ja.value.message and "内部" in ja.value.message and ja.value.field == "endpoint"
    with translation.override("en"), pytest.raises(OutboundURLError) as en:
        outbound_url_check("https://localhost/")
    assert "internal network" in en.value.message
    with translation.override("en"), pytest.raises(OutboundURLError, match="https://"):
        outbound_url_check("http://lrs.example.com/")
    with pytest.raises(OutboundURLError):
        outbound_url_check("https://[fe80::1]/")
    # A name that does not resolve yet is accepted now; it is checked again on every call.
    assert outbound_url_check("https://idp.not-yet-registered.invalid/") == "https://idp.not-yet-registered.invalid/"


# --- every feature that calls a configured URL ---------------------------------------------------------------


def test_a_saml_metadata_url_on_an_internal_host_is_refused_with_the_reason(
    cast: Any, no_loopback: None, receiver: int
) -> None:
    from kizuna.sso.services import SsoError, saml_provider_save

    for url in ("https://169.254.169.254/metadata", f"https://127.0.0.1:{receiver}/metadata"):
        with translation.override("en"), pytest.raises(SsoError) as refused:
            saml_provider_save(
                provider=None,
                organization=cast.partner_b,
                name="Okta",
                metadata_xml="",
                metadata_url=url,
                entity_id="",
                sso_url="",
                x509cert="",
                email_domains="partner-b.example",
                sso_required=False,
                role_claim="",
                team_claim="",
            )
        assert refused.value.field == "metadata_url" and refused.value.code == "internal"
        assert "internal network" in refused.value.message
    assert _Receiver.seen == []


def test_an_oidc_provider_on_an_internal_host_is_refused_and_allauth_cannot_reach_one(
    cast: Any, no_loopback: None, receiver: int
) -> None:
    from kizuna.sso.adapter import SocialAccountAdapter
    from kizuna.sso.services import SsoError, identity_provider_save

    with translation.override("en"), pytest.raises(SsoError) as refused:
        identity_provider_save(
            provider=None,
            organization=cast.partner_a,
            name="Entra ID",
            discovery_url="https://10.1.2.3/tenant/v2.0",
            client_id="cid",
            client_secret="secret-1",
            email_domains="partner-a.example",
            sso_required=False,
            role_claim="",
            team_claim="",
        )
    assert refused.value.field == "discovery_url" and "internal network" in refused.value.message
    # Discovery, keys, tokens and user info all go through allauth's session: ours.
    with pytest.raises(requests.ConnectionError), SocialAccountAdapter().get_requests_session() as session:
        session.get(f"http://127.0.0.1:{receiver}/.well-known/openid-configuration")
    assert _Receiver.seen == []


def test_an_lrs_forwarding_target_on_an_internal_host_is_refused_on_the_settings_page(
    cast: Any, no_loopback: None, signed_in: Any
) -> None:
    from kizuna.lrs.models import LrsForwarder

    client = signed_in(cast.admin)
    form = {"name": "社内", "username": "u", "secret": "p", "version": "1.0.3", "batch_size": "100"}
    with translation.override("ja"):
        response = client.post(
            "/settings/lrs/forwarding/", {**form, "endpoint": "http://192.168.10.20/xapi/"}, HTTP_ACCEPT_LANGUAGE="ja"
        )
    assert response.status_code == 200 and not LrsForwarder.objects.exists()
    assert "192.168.10.20" in " ".join(response.context["form"].errors["endpoint"])


def test_an_lrs_forwarder_whose_host_turned_internal_sends_nothing_and_says_why(
    cast: Any, receiver: int, settings: Any
) -> None:
    from kizuna.lrs.forwarding import _request, lrs_forwarder_create

    forwarder = lrs_forwarder_create(
        name="外部LRS", endpoint=f"http://127.0.0.1:{receiver}/xapi/", username="u", secret="p"
    )
    settings.OUTBOUND_ALLOW_LOOPBACK = False  # as in production: the address is now refused
    answer = _request(forwarder, "POST", forwarder.endpoint + "statements", b"[]", "application/json")
    assert answer.status is None and "internal address" in answer.error
    assert _Receiver.seen == []


def test_a_webhook_to_an_internal_host_is_refused(cast: Any, no_loopback: None) -> None:
    from kizuna.certification.errors import CertificationError
    from kizuna.certification.webhooks import webhook_endpoint_create

    with pytest.raises(CertificationError) as refused:
        webhook_endpoint_create(
            url="http://[::ffff:169.254.169.254]/hook", events=["entitlement.granted"], created_by=cast.admin
        )
    assert refused.value.field == "url"


def test_a_push_subscription_pointing_inside_is_refused(cast: Any, no_loopback: None, settings: Any) -> None:
    import base64

    from kizuna.notifications.push_services import PushError, push_subscription_save

    settings.WEBPUSH_ALLOW_HTTP_ENDPOINTS = True
    key = base64.urlsafe_b64encode(b"\x04" + b"k" * 64).decode().rstrip("=")
    auth = base64.urlsafe_b64encode(b"a" * 16).decode().rstrip("=")
    with pytest.raises(PushError):
        push_subscription_save(user=cast.rep_a1, endpoint="http://10.0.0.9/push/abc", p256dh=key, auth=auth)
