import base64
from typing import Any

import pytest
from django.test import Client

from kizuna.lrs.services import lrs_credential_create


class LrsClient:
    """A django test Client that speaks to /xapi/ with one credential and the 1.0.3 version header."""

    def __init__(self, key: str, secret: str, version: str = "1.0.3") -> None:
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.version = version
        self.client = Client()

    def _headers(self, extra: dict[str, str]) -> dict[str, str]:
        headers = {"Authorization": self.auth, "X-Experience-API-Version": self.version}
        headers.update(extra)
        return headers

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(path, params or {}, headers=self._headers(headers))

    def post(self, path: str, data: Any, content_type: str = "application/json", **headers: str) -> Any:
        return self.client.post(path, data, content_type=content_type, headers=self._headers(headers))

    def put(self, path: str, data: Any, content_type: str = "application/json", **headers: str) -> Any:
        return self.client.put(path, data, content_type=content_type, headers=self._headers(headers))

    def delete(self, path: str, **headers: str) -> Any:
        return self.client.delete(path, headers=self._headers(headers))


@pytest.fixture
def principal_lrs(cast: Any) -> LrsClient:
    credential, secret = lrs_credential_create(name="company LRS")
    return LrsClient(credential.key, secret)


@pytest.fixture
def partner_a_lrs(cast: Any) -> LrsClient:
    credential, secret = lrs_credential_create(name="A's tool", partner_code="partner-a")
    return LrsClient(credential.key, secret)


@pytest.fixture
def partner_b_lrs(cast: Any) -> LrsClient:
    credential, secret = lrs_credential_create(name="B's tool", partner_code="partner-b")
    return LrsClient(credential.key, secret)
