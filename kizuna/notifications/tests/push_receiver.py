"""A push service on loopback for the tests: it checks each message's VAPID signature (RFC 8292) and decrypts its
payload (RFC 8291, aes128gcm) with the browser's keys, as a real push service and browser together would."""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """What a browser keeps for one push subscription: its ECDH key pair and auth secret."""

    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)


def verify_vapid(authorization: str, audience: str) -> tuple[dict[str, Any], str]:
    """Check a `vapid t=<JWT>, k=<key>` header; return the JWT's claims and the signing public key."""
    scheme, _space, rest = authorization.partition(" ")
    assert scheme == "vapid", authorization
    params = dict(part.strip().split("=", 1) for part in rest.split(","))
    token, key = params["t"], params["k"]
    header_b64, claims_b64, signature_b64 = token.split(".")
    assert json.loads(unb64url(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = unb64url(signature_b64)
    assert len(signature) == 64
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    claims = json.loads(unb64url(claims_b64))
    assert claims["aud"] == audience, claims
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600, claims
    return claims, key


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]  # names in lower case
    claims: dict[str, Any]
    vapid_key: str
    message: dict[str, Any]


class PushReceiver:
    """An HTTP server on 127.0.0.1 that takes pushes for registered browsers (by path), answering `status`."""

    def __init__(self) -> None:
        self.browsers: dict[str, Browser] = {}
        self.deliveries: list[Delivery] = []
        self.errors: list[str] = []
        self.status = 201
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    receiver.take(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    status = receiver.status
                except (AssertionError, InvalidSignature, KeyError, ValueError) as exc:
                    receiver.errors.append(repr(exc))
                    status = 400
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def new_browser(self, name: str) -> tuple[str, Browser]:
        browser = self.browsers[f"/push/{name}"] = Browser()
        return f"{self.origin}/push/{name}", browser

    def take(self, path: str, headers: dict[str, str], body: bytes) -> None:
        browser = self.browsers[path]
        assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0, headers
        claims, key = verify_vapid(headers["authorization"], self.origin)
        plain = http_ece.decrypt(body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm")
        self.deliveries.append(Delivery(path, headers, claims, key, json.loads(plain)))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
