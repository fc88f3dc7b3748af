"""The HTTP edge of the LRS: version negotiation, HTTP Basic authentication, the alternate request syntax and
errors answered with the status the xAPI specification demands.

Every resource view receives an `XapiRequest`, the same whether the client sent a plain request or the
1.0.3 alternate syntax (a POST with `?method=PUT` and the headers and content in a form body).
"""

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .grants import GRANT_PREFIX, SessionGrant, grant_for
from .models import LrsCredential
from .selectors import consistent_through as mirror_consistent_through
from .selectors import lrs_credential_for
from .services import lrs_credential_note_version

# The versions this LRS speaks, newest first; 1.0.x requests are answered as 1.0.3.
SUPPORTED_VERSIONS = ["2.0.0", "1.0.3"]
_VERSION_1 = re.compile(r"^1\.0(\.\d+)?$")
_VERSION_2 = re.compile(r"^2\.0(\.\d+)?$")
REALM = 'Basic realm="Kizuna xAPI LRS"'
ALTERNATE_HEADERS = {
    "authorization": "authorization",
    "x-experience-api-version": "x-experience-api-version",
    "content-type": "content-type",
    "content-length": "content-length",
    "if-match": "if-match",
    "if-none-match": "if-none-match",
}


class XapiError(Exception):
    """A refusal with its HTTP status; the message goes into the response body for the integrator."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class XapiRequest:
    method: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    content_type: str
    version: str = "1.0.3"
    alternate: bool = False
    credential: LrsCredential | None = None
    # A session grant (kizuna.lrs.grants) narrowing the credential, when the client sent one.
    grant: SessionGrant | None = None
    # Parts of a multipart/mixed body after the first (attachments), if any.
    parts: list[Any] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def negotiate_version(value: str | None) -> str:
    if value is None:
        raise XapiError(400, _("The X-Experience-API-Version header is required."))
    value = value.strip()
    if _VERSION_1.match(value):
        return "1.0.3"
    if _VERSION_2.match(value):
        return "2.0.0"
    raise XapiError(
        400, _("X-Experience-API-Version %(value)s is not supported; use 1.0.x or 2.0.0.") % {"value": repr(value)}
    )


def authenticate(value: str | None) -> LrsCredential | SessionGrant:
    if not value or not value.lower().startswith("basic "):
        raise XapiError(401, _("Authenticate with HTTP Basic: the key and the secret of an LRS credential."))
    try:
        decoded = base64.b64decode(value[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise XapiError(401, _("The Authorization header is not valid HTTP Basic.")) from None
    key, _sep, secret = decoded.partition(":")
    if key.startswith(GRANT_PREFIX):
        grant = grant_for(key=key, secret=secret)
        if grant is None:
            raise XapiError(401, "Unknown, used up or expired session credentials.")
        return grant
    credential = lrs_credential_for(key=key, secret=secret)
    if credential is None:
        raise XapiError(401, _("Unknown or deactivated credentials."))
    return credential


def _from_django(request: HttpRequest) -> XapiRequest:
    headers = {k.lower(): v for k, v in request.headers.items()}
    params = {k: v for k, v in request.GET.items()}
    method = request.method or "GET"
    body = request.body
    content_type = (request.content_type or "").lower()
    if method == "POST" and "method" in params:
        # The alternate request syntax: everything but the method travels in a form-encoded body.
        alternate = params.pop("method").upper()
        if params:
            raise XapiError(400, _("With the alternate request syntax, only 'method' may be in the query string."))
        if alternate not in ("GET", "PUT", "POST", "DELETE", "HEAD"):
            raise XapiError(
                400, _("The alternate request syntax does not allow method %(method)s.") % {"method": repr(alternate)}
            )
        if content_type != "application/x-www-form-urlencoded":
            raise XapiError(400, _("The alternate request syntax needs a form-encoded body."))
        try:
            form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        except UnicodeDecodeError:
            raise XapiError(400, _("The form body is not UTF-8.")) from None
        method = alternate
        content = form.pop("content", "")
        # The request's own Content-Type describes the form; the content's type is a form field (JSON if absent).
        headers.pop("content-type", None)
        headers.pop("content-length", None)
        for name in list(form):
            if name.lower() in ALTERNATE_HEADERS:
                headers[ALTERNATE_HEADERS[name.lower()]] = form.pop(name)
        params = form
        body = content.encode()
        content_type = headers.get("content-type", "application/json").split(";")[0].strip().lower()
    return XapiRequest(
        method=method,
        params=params,
        headers=headers,
        body=body,
        content_type=content_type,
        alternate=method != (request.method or "GET"),
    )


def json_response(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    try:
        content = orjson.dumps(data)
    except TypeError:  # an integer beyond 64 bits, say
        content = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(
        content,
        status=status,
        content_type="application/json; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _error_response(error: XapiError) -> HttpResponse:
    response = json_response({"error": True, "message": error.message}, status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = REALM
    return response


def _preflight(methods: tuple[str, ...]) -> HttpResponse:
    """Answer a browser's CORS preflight: content on another site (a cmi5 AU, an authoring tool's package) may
    call the LRS. Any origin is allowed because the credentials travel in the Authorization header, never in
    cookies, so a page elsewhere can do nothing the holder of the key could not do anyway."""
    response = HttpResponse(status=204)
    allowed = methods + (("HEAD",) if "GET" in methods else ())
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ", ".join((*allowed, "OPTIONS"))
    response["Access-Control-Allow-Headers"] = (
        "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match"
    )
    response["Access-Control-Max-Age"] = "600"
    return response


def xapi_view(
    methods: tuple[str, ...], *, authenticated: bool = True, consistent_through: bool = False
) -> Callable[[Callable[[XapiRequest], HttpResponse]], Callable[[HttpRequest], HttpResponse]]:
    """Wrap a resource view: parse, negotiate the version, authenticate, and answer errors as the spec says."""

    def decorate(view: Callable[[XapiRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest) -> HttpResponse:
            if request.method == "OPTIONS":
                return _preflight(methods)
            # Errors before a version is agreed are answered as the newest version this LRS speaks.
            version = SUPPORTED_VERSIONS[0] if authenticated else "1.0.3"
            xreq_credential: LrsCredential | None = None
            try:
                xreq = _from_django(request)
                if authenticated:
                    asked = xreq.header("x-experience-api-version")
                    try:
                        version = negotiate_version(asked)
                    except XapiError:
                        version = SUPPORTED_VERSIONS[0]
                    who = authenticate(xreq.header("authorization"))
                    if isinstance(who, SessionGrant):
                        xreq.grant, who = who, who.credential
                    xreq.credential = xreq_credential = credential = who
                    try:
                        xreq.version = negotiate_version(asked)
                    except XapiError:
                        # Without a version to go by, answer in the one this integration last spoke.
                        version = credential.last_version or version
                        raise
                    if credential.last_version != version:
                        lrs_credential_note_version(credential=credential, version=version)
                    if xreq.alternate and version.startswith("2"):
                        raise XapiError(400, _("xAPI 2.0 has no alternate request syntax."))
                allowed = methods + (("HEAD",) if "GET" in methods else ())
                if xreq.method not in allowed:
                    raise XapiError(405, _("%(method)s is not allowed here.") % {"method": xreq.method})
                response = view(xreq)
                if xreq.method == "HEAD":
                    response.content = b""
            except XapiError as error:
                response = _error_response(error)
            response["X-Experience-API-Version"] = version
            if consistent_through and "X-Experience-API-Consistent-Through" not in response:
                # What is sent is readable once answered; Kizuna's own statements once the mirror copied them.
                through = mirror_consistent_through(timezone.now(), xreq_credential).astimezone(UTC)
                response["X-Experience-API-Consistent-Through"] = through.isoformat(timespec="milliseconds").replace(
                    "+00:00", "Z"
                )
            if version.startswith("2") and "Last-Modified" not in response:
                response["Last-Modified"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = (
                "ETag, Last-Modified, X-Experience-API-Version, X-Experience-API-Consistent-Through"
            )
            return response

        return wrapped

    return decorate
