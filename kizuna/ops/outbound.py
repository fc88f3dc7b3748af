"""Requests the server makes to addresses that people configure: never to this machine or an internal network.

An admin types a URL (a SAML IdP's metadata, an OIDC issuer, an external LRS, a webhook) and the server fetches
it. Without a guard that is server-side request forgery: `https://169.254.169.254/…` (a cloud's instance
metadata), `https://10.0.0.5/admin`, or a name whose DNS answers 127.0.0.1. So every such request goes through
`outbound_session()`:

- the host is resolved, and the request is refused if ANY of its addresses is loopback, private, link-local,
  reserved, multicast, unspecified or otherwise not globally routable (IPv4 and IPv6, IPv4-mapped included);
- the connection is then made to the very address that was checked, never to a second DNS answer, so a name
  that answers a public address first and an internal one next (DNS rebinding) cannot slip through; TLS still
  verifies the certificate for the name;
- every redirect is a new connection and is checked the same way; proxies from the environment are not used.

`outbound_url_check()` says the same at configuration time, in the admin's language. The setting
`OUTBOUND_ALLOW_LOOPBACK` (off; the tests turn it on) lets loopback addresses through, and nothing else.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .errors import ApplicationError

__all__ = [
    "AddressRefused",
    "OutboundURLError",
    "address_is_internal",
    "outbound_session",
    "outbound_url_check",
    "vetted_address",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(requests.exceptions.ConnectionError):
    """The host is (or resolves to) an internal address: nothing was sent. A requests ConnectionError, so code
    that handles an unreachable server (allauth's sign-in, the LRS forwarder's retries) handles this one too."""

    def __init__(self, host: str, address: str = "") -> None:
        self.host, self.address = host, address
        super().__init__(f"refused: {host} is an internal address" + (f" ({address})" if address else ""))


class OutboundURLError(ApplicationError):
    """A configured URL the server will not call; the message says why, in the admin's language."""

    code = "rejected"  # the API answers 422 with the message (kizuna/api/problems.py)


def _unwrap(ip: IPAddress) -> IPAddress:
    """An IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4, Teredo) is judged by the IPv4 one."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip.teredo is not None:
            return ip.teredo[1]
        if ip in ipaddress.IPv6Network("64:ff9b::/96"):
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def _loopback_allowed() -> bool:
    return bool(getattr(settings, "OUTBOUND_ALLOW_LOOPBACK", False))


def address_is_internal(address: str | IPAddress) -> bool:
    """True for an address the server must not call: anything but a globally routable unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0] if isinstance(address, str) else address)
    inner = _unwrap(ip)
    if inner.is_loopback and _loopback_allowed():
        return False
    return (
        inner.is_loopback
        or inner.is_private
        or inner.is_link_local
        or inner.is_reserved
        or inner.is_multicast
        or inner.is_unspecified
        or not inner.is_global
    )


def _resolve(host: str, port: int) -> list[str]:
    """Every address the host resolves to (an IP literal: itself); socket.gaierror when it cannot be resolved."""
    host = host.strip("[]")
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        if sockaddr[0] not in seen:
            seen.append(str(sockaddr[0]))
    return seen


def vetted_address(host: str, port: int) -> str:
    """Resolve the host and return the address to connect to; AddressRefused if any of its addresses is internal."""
    addresses = _resolve(host, port)
    for address in addresses:
        if address_is_internal(address):
            raise AddressRefused(host, address)
    return addresses[0]


class _VettedConnectionMixin:
    """Connect to the address checked a moment ago, not to whatever a second DNS lookup would answer."""

    _dns_host: str
    port: int

    def _new_conn(self) -> socket.socket:
        host = self._dns_host
        self._dns_host = vetted_address(host, self.port)
        try:
            return super()._new_conn()  # type: ignore[misc]
        finally:
            self._dns_host = host  # the Host header and the TLS name (certificate check) stay the name


class _VettedHTTPConnection(_VettedConnectionMixin, HTTPConnection):
    pass


class _VettedHTTPSConnection(_VettedConnectionMixin, HTTPSConnection):
    pass


class _VettedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _VettedHTTPConnection


class _VettedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _VettedHTTPSConnection


class _VettedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _VettedHTTPPool, "https": _VettedHTTPSPool}

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        # Checked here too, so the caller gets AddressRefused itself rather than urllib3's wrapping of it.
        parts = urlsplit(request.url or "")
        if parts.hostname:
            # A name that does not resolve (or a bad port) is reported by urllib3 in its own words.
            with contextlib.suppress(socket.gaierror, UnicodeError, ValueError):
                vetted_address(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        return super().send(request, *args, **kwargs)


def outbound_session(*, timeout: float | tuple[float, float] | None = None) -> requests.Session:
    """A requests session that only reaches public addresses (see the module's docstring)."""
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: the connection goes where it was checked to go
    adapter = _VettedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    if timeout is not None:
        session.request = functools.partial(session.request, timeout=timeout)  # type: ignore[method-assign]
    return session


def outbound_url_check(url: str, *, schemes: tuple[str, ...] = ("https",), field: str | None = None) -> str:
    """Return the URL if the server may call it; else OutboundURLError with the reason, for the form.

    A name that does not resolve now is accepted (it may be set up later); it is checked again on every call.
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in schemes:
        if schemes == ("https",):
            raise OutboundURLError(_("Use an address that starts with https://."), field=field)
        raise OutboundURLError(_("Use an address that starts with https:// or http://."), field=field)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise OutboundURLError(_("The port in the address is not valid."), field=field) from None
    if not parts.hostname:
        raise OutboundURLError(_("The address has no host name."), field=field)
    try:
        vetted_address(parts.hostname, port)
    except AddressRefused:
        raise OutboundURLError(
            _(
                "%(host)s is an address on this server or on an internal network; Kizuna only calls "
                "addresses on the internet."
            )
            % {"host": parts.hostname},
            field=field,
        ) from None
    except (socket.gaierror, UnicodeError, ValueError):
        pass
    return url
