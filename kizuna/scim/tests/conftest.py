"""A SCIM client per agency: partner A's directory and partner B's, each with its own token."""

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from kizuna.scim.services import scim_token_create

SCIM = "application/scim+json"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


@dataclass
class Directory:
    """An identity provider's SCIM client, as Entra ID or Okta calls us: bearer token, scim+json bodies."""

    raw_token: str

    def _call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        client = Client()
        headers = {"Authorization": f"Bearer {self.raw_token}"}
        url = "/scim/v2" + path
        if method == "GET":
            return client.get(url, params, headers=headers)
        data = json.dumps(body) if body is not None else ""
        return client.generic(method, url, data, content_type=SCIM, headers=headers)

    def get(self, path: str, **params: Any) -> Any:
        return self._call("GET", path, **params)

    def post(self, path: str, body: Any) -> Any:
        return self._call("POST", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self._call("PUT", path, body)

    def patch(self, path: str, operations: list[dict[str, Any]]) -> Any:
        return self._call("PATCH", path, {"schemas": [PATCH_OP], "Operations": operations})

    def delete(self, path: str) -> Any:
        return self._call("DELETE", path)


@pytest.fixture
def directory_a(cast: Any) -> Directory:
    _token, raw = scim_token_create(organization=cast.partner_a, name="Entra ID")
    return Directory(raw)


@pytest.fixture
def directory_b(cast: Any) -> Directory:
    _token, raw = scim_token_create(organization=cast.partner_b, name="Okta")
    return Directory(raw)
