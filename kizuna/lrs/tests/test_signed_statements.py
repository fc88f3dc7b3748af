"""Signed statements (xAPI 1.0.3 Data 2.6): the JWS in the signature attachment must be well formed, sign the
statement sent, and, when its header carries an X.509 certificate (x5c), verify with that certificate's key."""

import base64
import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from kizuna.lrs.models import LrsStatement

from .test_statements import a_statement

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


def _certificate(key: Any) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Authoring tool")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


@pytest.fixture(scope="module")
def keys() -> tuple[Any, Any]:
    return (
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )


def _signed_request(statement: dict[str, Any], jws: str) -> tuple[bytes, str]:
    signature = jws.encode()
    sha2 = hashlib.sha256(signature).hexdigest()
    sent = dict(statement)
    sent["attachments"] = [
        {
            "usageType": SIGNATURE,
            "display": {"en-US": "Signature"},
            "contentType": "application/octet-stream",
            "length": len(signature),
            "sha2": sha2,
        }
    ]
    boundary = "kizunasigned"
    body = (
        (
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n{json.dumps(sent)}\r\n"
            f"--{boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {sha2}\r\n\r\n"
        ).encode()
        + signature
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f'multipart/mixed; boundary="{boundary}"'


def _sign(payload: dict[str, Any], key: Any, algorithm: str = "RS256", **header: Any) -> str:
    return jwt.api_jws.PyJWS().encode(json.dumps(payload).encode(), key, algorithm=algorithm, headers=header or None)


def _post(client: Any, statement: dict[str, Any], jws: str) -> Any:
    body, content_type = _signed_request(statement, jws)
    return client.post("/xapi/statements", body, content_type=content_type, **{"Accept-Language": "en"})


def test_a_statement_signed_with_the_certificate_in_its_header_is_stored(principal_lrs, keys):
    statement = a_statement(id=str(uuid.uuid4()))
    response = _post(principal_lrs, statement, _sign(statement, keys[0], x5c=[_certificate(keys[0])]))
    assert response.status_code == 200
    stored = LrsStatement.objects.get(statement_id=statement["id"]).data
    assert stored["attachments"][0]["usageType"] == SIGNATURE
    # RS384 and RS512 too, and a signature without a certificate (nothing to verify it with) is kept as sent.
    for algorithm in ("RS384", "RS512"):
        other = a_statement(id=str(uuid.uuid4()))
        signed = _sign(other, keys[0], algorithm, x5c=[_certificate(keys[0])])
        assert _post(principal_lrs, other, signed).status_code == 200
    plain = a_statement(id=str(uuid.uuid4()))
    assert _post(principal_lrs, plain, _sign(plain, keys[1])).status_code == 200


def test_a_signature_made_with_another_key_than_its_certificates_is_refused(principal_lrs, keys):
    statement = a_statement(id=str(uuid.uuid4()))
    response = _post(principal_lrs, statement, _sign(statement, keys[1], x5c=[_certificate(keys[0])]))
    assert response.status_code == 400
    assert response.json()["message"] == "The signature does not verify with the certificate in its x5c header."
    assert not LrsStatement.objects.exists()


def test_a_signature_of_another_statement_is_refused(principal_lrs, keys):
    statement = a_statement(id=str(uuid.uuid4()))
    signed = _sign({**statement, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}}, keys[0])
    response = _post(principal_lrs, statement, signed)
    assert response.status_code == 400
    assert response.json()["message"] == "The signed statement does not match the statement sent."


def test_malformed_signatures_are_refused_with_400(principal_lrs, keys):
    statement = a_statement(id=str(uuid.uuid4()))
    ec_key = ec.generate_private_key(ec.SECP256R1())
    cases = [
        "not a jws",
        jwt.api_jws.PyJWS().encode(
            json.dumps(statement).encode(), "a shared secret of thirty-two bytes!", algorithm="HS256"
        ),
        _sign(statement, keys[0], x5c="MIIB"),
        _sign(statement, keys[0], x5c=["not base64 der!"]),
        _sign(statement, keys[0], x5c=[_certificate(ec_key)]),
    ]
    for jws in cases:
        response = _post(principal_lrs, statement, jws)
        assert response.status_code == 400, jws
    assert not LrsStatement.objects.exists()
