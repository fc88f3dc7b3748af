"""What every SCIM client relies on: the discovery endpoints, and a SCIM error (never a 500) for bad input."""

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from .conftest import SCIM, USER, Directory

User = get_user_model()


def test_the_service_provider_config_says_patch_and_filter_are_supported(directory_a: Directory) -> None:
    config = directory_a.get("/ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["filter"] == {"supported": True, "maxResults": 200}
    assert config["bulk"]["supported"] is False
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"


def test_the_resource_types_and_schemas_describe_users_and_groups(directory_a: Directory) -> None:
    types = directory_a.get("/ResourceTypes").json()
    assert {(r["id"], r["endpoint"]) for r in types["Resources"]} == {("User", "/Users"), ("Group", "/Groups")}
    assert directory_a.get("/ResourceTypes/User").json()["schema"] == USER
    schemas = directory_a.get("/Schemas").json()
    assert {s["id"] for s in schemas["Resources"]} >= {USER, "urn:ietf:params:scim:schemas:core:2.0:Group"}
    assert directory_a.get(f"/Schemas/{USER}").json()["name"] == "User"
    assert directory_a.get("/Schemas/urn:nope").status_code == 404


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        (b"{not json", "invalidSyntax"),
        (b"[1, 2]", "invalidSyntax"),
        (json.dumps({"schemas": [USER], "userName": "not an address"}).encode(), "invalidValue"),
        (json.dumps({"schemas": [USER], "userName": "a@example.com", "active": "maybe"}).encode(), "invalidValue"),
        (json.dumps({"schemas": [USER]}).encode(), "invalidValue"),
    ],
)
def test_it_refuses_a_bad_user_with_a_scim_error_and_creates_nobody(
    cast: Any, directory_a: Directory, body: bytes, scim_type: str
) -> None:
    before = User.objects.count()
    response = Client().generic(
        "POST", "/scim/v2/Users", body, content_type=SCIM, headers={"Authorization": f"Bearer {directory_a.raw_token}"}
    )
    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == scim_type
    assert User.objects.count() == before


@pytest.mark.parametrize(
    "expression", ['userName eq "unterminated', 'nickName eq "x"', 'title eq "x"', 'userName zz "x"', "("]
)
def test_it_refuses_a_filter_it_cannot_read_or_serve_with_invalid_filter(
    directory_a: Directory, expression: str
) -> None:
    response = directory_a.get("/Users", filter=expression)
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidFilter"


def test_it_ignores_a_patch_of_a_custom_attribute_it_does_not_keep(cast: Any, directory_a: Directory) -> None:
    # Directories send their own attributes (Okta's custom profile, Entra's extension attributes).
    response = directory_a.patch(
        f"/Users/{cast.rep_a1.public_id}", [{"op": "replace", "path": "urn:example:custom:costCenter", "value": "7"}]
    )
    assert response.status_code == 200
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.is_active and cast.rep_a1.name == "営業 一子"


def test_it_refuses_a_patch_with_an_unknown_operation(cast: Any, directory_a: Directory) -> None:
    response = directory_a.patch(f"/Users/{cast.rep_a1.public_id}", [{"op": "merge", "path": "active", "value": False}])
    assert response.status_code == 400
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.is_active


def test_it_refuses_bad_paging_and_unknown_ids(directory_a: Directory) -> None:
    assert directory_a.get("/Users", count="many").status_code == 400
    assert directory_a.get("/Users/not-a-uuid").status_code == 404
    assert directory_a.get("/Groups/99999999999999").status_code == 404


def test_renaming_a_team_to_another_teams_name_is_a_conflict(cast: Any, directory_a: Directory) -> None:
    response = directory_a.patch(
        f"/Groups/{cast.team_a1.pk}", [{"op": "replace", "path": "displayName", "value": cast.team_a2.name}]
    )
    assert response.status_code == 409
    cast.team_a1.refresh_from_db()
    assert cast.team_a1.name == "東京第1チーム"


def test_an_existing_person_is_found_by_address_and_linked_by_the_directorys_first_patch(
    cast: Any, directory_a: Directory
) -> None:
    listing = directory_a.get("/Users", filter=f'userName eq "{cast.rep_a1.email.upper()}"').json()
    assert [r["id"] for r in listing["Resources"]] == [str(cast.rep_a1.public_id)]
    response = directory_a.patch(
        f"/Users/{cast.rep_a1.public_id}", [{"op": "add", "path": "externalId", "value": "okta-123"}]
    )
    assert response.status_code == 200
    assert directory_a.get("/Users", filter='externalId eq "okta-123"').json()["totalResults"] == 1
