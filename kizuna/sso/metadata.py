"""Fetching a SAML IdP's metadata from its URL: https only, bounded in size and time, parsed without DTDs or entities.

The admin gives the URL (Entra ID's "App Federation Metadata Url", Okta's "Metadata URL"); Kizuna fetches it
when the provider is saved and every night (the `sso_saml_metadata_refresh` job), so a certificate the IdP
rolls over reaches Kizuna without anyone pasting it. A failure keeps the values Kizuna had and is shown on the
provider's page with its reason (`ERRORS`).
"""

from __future__ import annotations

import ipaddress
import time
from urllib.parse import urlsplit

import requests
from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kizuna.ops.outbound import AddressRefused, outbound_session

# Entra ID's metadata is about 5 kB per certificate; a federation's aggregate (thousands of IdPs) is refused.
MAX_BYTES = 1_000_000
# (connect, read) seconds: the admin waits for the first fetch on the save.
TIMEOUT = (5.0, 10.0)
TOTAL_SECONDS = 30.0  # a server dripping bytes is cut off too
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}

# Why a fetch failed, said on the provider's page (the detail, such as an HTTP status, fills %(detail)s).
ERRORS = {
    "not_https": _("The metadata URL must start with https://."),
    "internal": _(
        "The metadata URL points to this server or to an internal network (%(detail)s); "
        "Kizuna only fetches metadata from addresses on the internet."
    ),
    "unreachable": _("The metadata URL cannot be reached (%(detail)s). Check the address, or try again later."),
    "status": _("The metadata URL answered with HTTP status %(detail)s instead of the metadata."),
    "redirect": _("The metadata URL redirects elsewhere (%(detail)s): give the final address."),
    "too_large": _("The document at the metadata URL is larger than 1 MB: it is not one IdP's metadata."),
    "not_metadata": _(
        "The document at the metadata URL is not the SAML metadata of an identity provider "
        "(an EntityDescriptor with an IDPSSODescriptor)."
    ),
}


class MetadataFetchError(Exception):
    """A fetch that failed: `code` is a key of ERRORS, `detail` the technical part (untranslated)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code, self.detail = code, detail[:300]

    @property
    def message(self) -> str:
        return error_message(self.code, self.detail)


def error_message(code: str, detail: str) -> str:
    """Return the reason of a failed fetch in the reader's language."""
    return str(ERRORS.get(code, ERRORS["unreachable"])) % {"detail": detail}


def _allowed_scheme(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return True
    # Plain http only to this machine, and only where allowed (the tests' IdP runs on loopback).
    host = (parts.hostname or "").lower()
    try:
        loopback = host in LOOPBACK_HOSTS or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    return parts.scheme == "http" and loopback and getattr(settings, "SSO_METADATA_HTTP_LOOPBACK", False)


def metadata_fetch(url: str) -> bytes:
    """Return the metadata document at `url`, checked to be well-formed XML without DTD or entities."""
    if not _allowed_scheme(url):
        raise MetadataFetchError("not_https")
    try:
        # Only to public addresses, connecting to the address checked (kizuna.ops.outbound: no SSRF).
        with (
            outbound_session() as session,
            session.get(
                url,
                stream=True,
                timeout=TIMEOUT,
                allow_redirects=False,  # a redirect could leave https
                headers={"Accept": "application/samlmetadata+xml, application/xml, text/xml"},
            ) as response,
        ):
            if response.is_redirect:
                raise MetadataFetchError("redirect", response.headers.get("Location", "")[:200])
            if response.status_code != 200:
                raise MetadataFetchError("status", str(response.status_code))
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_BYTES:
                raise MetadataFetchError("too_large")
            body = b""
            deadline = time.monotonic() + TOTAL_SECONDS
            for chunk in response.iter_content(chunk_size=65536):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise MetadataFetchError("too_large")
                if time.monotonic() > deadline:
                    raise MetadataFetchError("unreachable", "timeout")
    except AddressRefused as err:
        raise MetadataFetchError("internal", err.host) from None
    except requests.RequestException as err:
        raise MetadataFetchError("unreachable", type(err).__name__) from None
    try:
        # defusedxml refuses DTDs, entities and external references before python3-saml's own hardened lxml parse.
        SafeElementTree.fromstring(body, forbid_dtd=True)
    except (SafeElementTree.ParseError, DefusedXmlException, ValueError):
        raise MetadataFetchError("not_metadata") from None
    return body
