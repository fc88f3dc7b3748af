"""Statements with attachments: multipart/mixed requests (statements first, then one part per attachment,
each with its SHA-2 in X-Experience-API-Hash), the checks the specification demands, and multipart responses.
"""

import base64
import binascii
import hashlib
import json
import uuid
from email import policy
from email.parser import BytesParser
from typing import Any

import jwt
import orjson
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils.translation import gettext as _

from .http import XapiError, XapiRequest
from .models import LrsAttachment
from .validation import comparable_durations

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
_HASHES = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}


def read_statement_body(xreq: XapiRequest) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    """The JSON of a statement request and its attachment parts by SHA-2 (none unless multipart/mixed)."""
    if xreq.content_type == "multipart/mixed":
        return _read_multipart(xreq)
    if xreq.content_type != "application/json":
        raise XapiError(400, _("Send statements as application/json (or multipart/mixed with attachments)."))
    return _json(xreq.body), {}


def _json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass  # what orjson refuses (an integer beyond 64 bits, say) the standard library may still read, or refuse
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise XapiError(400, _("The body is not valid JSON.")) from None


def _read_multipart(xreq: XapiRequest) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    header = xreq.header("content-type") or ""
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + header.encode("latin-1") + b"\r\n\r\n" + xreq.body
    )
    if not message.is_multipart():
        raise XapiError(400, _("The multipart/mixed body could not be read (is the boundary right?)."))
    parts = list(message.iter_parts())
    if not parts:
        raise XapiError(400, _("The multipart/mixed body has no parts."))
    first = parts[0]
    if first.get_content_type() != "application/json":
        raise XapiError(400, _("The first part of a multipart/mixed statement request must be application/json."))
    payload = _json(first.get_payload(decode=True) or b"")
    found: dict[str, tuple[str, bytes]] = {}
    for part in parts[1:]:
        sha2 = (part.get("X-Experience-API-Hash") or "").strip().lower()
        if not sha2:
            raise XapiError(400, _("Every attachment part needs an X-Experience-API-Hash header."))
        if (part.get("Content-Transfer-Encoding") or "").strip().lower() != "binary":
            raise XapiError(400, _("Every attachment part needs Content-Transfer-Encoding: binary."))
        content = part.get_payload(decode=True) or b""
        hasher = _HASHES.get(len(sha2))
        if hasher is None or hasher(content).hexdigest() != sha2:
            raise XapiError(400, _("An attachment part does not match its X-Experience-API-Hash."))
        found[sha2] = (part.get_content_type(), content)
    return payload, found


def _declared(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    declared = []
    for st in statements:
        declared += st.get("attachments", [])
        if st.get("object", {}).get("objectType") == "SubStatement":
            declared += st["object"].get("attachments", [])
    return declared


def check_attachments(statements: list[dict[str, Any]], parts: dict[str, tuple[str, bytes]]) -> None:
    """Each attachment without fileUrl has its part, each part is declared, signatures are well formed."""
    declared = _declared(statements)
    wanted = {a["sha2"].lower() for a in declared}
    for a in declared:
        if "fileUrl" not in a and a["sha2"].lower() not in parts:
            raise XapiError(400, _("An attachment without fileUrl needs its content in a multipart/mixed part."))
    if set(parts) - wanted:
        raise XapiError(400, _("A multipart part is not declared by any statement's attachments."))
    for st in statements:
        for a in st.get("attachments", []):
            if a["usageType"] == SIGNATURE:
                _check_signature(st, a, parts.get(a["sha2"].lower()))


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _check_signature(st: dict[str, Any], attachment: dict[str, Any], part: tuple[str, bytes] | None) -> None:
    if attachment["contentType"] != "application/octet-stream":
        raise XapiError(400, _("A signature attachment must have contentType application/octet-stream."))
    if part is None:
        raise XapiError(400, _("A signature attachment needs its JWS in a multipart part."))
    try:
        header_b64, payload_b64, _signature = part[1].decode("ascii").strip().split(".")
        header = json.loads(_b64(header_b64))
        payload = json.loads(_b64(payload_b64))
    except (ValueError, UnicodeDecodeError):
        raise XapiError(400, _("The signature is not a JWS in compact serialization.")) from None
    if header.get("alg") not in ("RS256", "RS384", "RS512"):
        raise XapiError(400, _("A statement signature must use RS256, RS384 or RS512."))
    if "x5c" in header:
        _verify_x5c(part[1].decode("ascii").strip(), header)
    if not isinstance(payload, dict) or not _same_signed(payload, st):
        raise XapiError(400, _("The signed statement does not match the statement sent."))


def _verify_x5c(token: str, header: dict[str, Any]) -> None:
    """A signature whose header carries its X.509 certificate must verify against that certificate's key."""
    chain = header["x5c"]
    if not isinstance(chain, list) or not chain or not all(isinstance(c, str) for c in chain):
        raise XapiError(400, _("The signature's x5c header must be an array of certificates in base64."))
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
        key = certificate.public_key()
    except (ValueError, binascii.Error):
        raise XapiError(400, _("The first certificate of the signature's x5c header cannot be read.")) from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise XapiError(400, _("The certificate of an RS256, RS384 or RS512 signature must hold an RSA key."))
    try:
        jwt.api_jws.PyJWS().decode(token, key=key, algorithms=[header["alg"]])
    except jwt.InvalidSignatureError:
        raise XapiError(400, _("The signature does not verify with the certificate in its x5c header.")) from None
    except jwt.PyJWTError:
        raise XapiError(400, _("The signature is not a JWS in compact serialization.")) from None


def _same_signed(payload: dict[str, Any], st: dict[str, Any]) -> bool:
    ignore = ("authority", "stored", "version", "attachments", "id", "timestamp")
    for key in ("id", "timestamp"):
        if key in payload and key in st and _norm(payload[key], key) != _norm(st[key], key):
            return False

    def strip(d: dict[str, Any]) -> dict[str, Any]:
        return comparable_durations({k: v for k, v in d.items() if k not in ignore})

    return strip(payload) == strip(st)


def _norm(value: Any, key: str) -> Any:
    if key == "id" and isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            return value
    return value


def attachments_keep(parts: dict[str, tuple[str, bytes]]) -> None:
    for sha2, (content_type, content) in parts.items():
        LrsAttachment.objects.get_or_create(sha2=sha2, defaults={"content_type": content_type, "content": content})


def multipart_response_body(document: Any, statements: list[dict[str, Any]]) -> tuple[bytes, str]:
    """The statements result followed by the content of every attachment they hold here."""
    boundary = uuid.uuid4().hex
    wanted = {a["sha2"].lower() for a in _declared(statements)}
    rows = {row.sha2: row for row in LrsAttachment.objects.filter(sha2__in=wanted)}
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(document, ensure_ascii=False).encode(),
        b"\r\n",
    ]
    for sha2, row in rows.items():
        chunks += [
            f"--{boundary}\r\nContent-Type: {row.content_type}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {sha2}\r\n\r\n".encode(),
            bytes(row.content),
            b"\r\n",
        ]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'
