"""Okta's SCIM 2.0 provisioning, request by request as Okta documents them (developer.okta.com, "SCIM 2.0
protocol reference": users and Push Groups). Okta's examples use okta.local addresses, a reserved name that
no real directory sends; these use example.com."""

from typing import Any

from django.contrib.auth import get_user_model

from .conftest import GROUP, USER

User = get_user_model()

OKTA_USER = {
    "schemas": [USER],
    "userName": "test.user@example.com",
    "name": {"givenName": "Test", "familyName": "User"},
    "emails": [{"primary": True, "value": "test.user@example.com", "type": "work"}],
    "displayName": "Test User",
    "locale": "en-US",
    "externalId": "00ujl29u0le5T6Aj10h7",
    "groups": [],
    "password": "1mz050nq",
    "active": True,
}


def _create(directory: Any) -> dict[str, Any]:
    found = directory.get("/Users", filter='userName eq "test.user@example.com"', startIndex="1", count="100")
    assert found.json() == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 0,
        "startIndex": 1,
        "itemsPerPage": 0,
        "Resources": [],
    }
    response = directory.post("/Users", OKTA_USER)
    assert response.status_code == 201, response.content
    return response.json()


def test_it_creates_the_user_without_keeping_the_password_okta_sends(cast: Any, directory_a: Any) -> None:
    body = _create(directory_a)
    person = User.objects.get(email="test.user@example.com")
    assert person.name == "Test User"
    assert person.membership.organization == cast.partner_a
    assert not person.has_usable_password()  # they sign in by SSO or an invitation, never a directory's password
    assert "password" not in body
    assert person.scim.attributes.get("password") is None
    assert directory_a.get(f"/Users/{body['id']}").json()["userName"] == "test.user@example.com"


def test_it_replaces_the_profile_with_oktas_put(directory_a: Any) -> None:
    body = _create(directory_a)
    replaced = {
        **OKTA_USER,
        "id": body["id"],
        "name": {"givenName": "Another", "familyName": "User"},
        "displayName": "Another User",
    }
    response = directory_a.put(f"/Users/{body['id']}", replaced)
    assert response.status_code == 200, response.content
    assert response.json()["name"]["givenName"] == "Another"
    assert User.objects.get(public_id=body["id"]).name == "Another User"


def test_it_makes_a_manager_when_roles_say_so_and_keeps_the_role_on_a_put_without_roles(directory_a: Any) -> None:
    body = _create(directory_a)
    with_role = {**OKTA_USER, "roles": [{"value": "manager", "primary": True}]}
    assert directory_a.put(f"/Users/{body['id']}", with_role).status_code == 200
    assert User.objects.get(public_id=body["id"]).membership.role == "manager"
    assert directory_a.put(f"/Users/{body['id']}", OKTA_USER).status_code == 200
    assert User.objects.get(public_id=body["id"]).membership.role == "manager"


def test_it_deactivates_with_oktas_patch_without_a_path_and_reactivates(directory_a: Any) -> None:
    body = _create(directory_a)
    response = directory_a.patch(f"/Users/{body['id']}", [{"op": "replace", "value": {"active": False}}])
    assert response.status_code == 200
    assert response.json()["active"] is False
    # Okta reads deactivated users back in its imports.
    listing = directory_a.get("/Users", startIndex="1", count="100").json()
    assert {"id": body["id"], "active": False} in [{"id": r["id"], "active": r["active"]} for r in listing["Resources"]]
    response = directory_a.patch(f"/Users/{body['id']}", [{"op": "replace", "value": {"active": True}}])
    assert response.json()["active"] is True
    assert User.objects.get(public_id=body["id"]).is_active


def test_it_pages_the_import_with_startindex_and_count(cast: Any, directory_a: Any) -> None:
    everyone = directory_a.get("/Users").json()
    assert everyone["totalResults"] == 3  # partner A's manager and two reps
    page = directory_a.get("/Users", startIndex="2", count="1").json()
    assert (page["startIndex"], page["itemsPerPage"], page["totalResults"]) == (2, 1, 3)
    assert page["Resources"][0]["id"] == everyone["Resources"][1]["id"]
    assert directory_a.get("/Users", count="0").json()["Resources"] == []


def test_it_runs_oktas_push_groups_sequence(cast: Any, directory_a: Any) -> None:
    user_id = _create(directory_a)["id"]
    response = directory_a.post("/Groups", {"schemas": [GROUP], "displayName": "Test SCIMv2", "members": []})
    assert response.status_code == 201, response.content
    group_id = response.json()["id"]
    assert response["Location"].endswith(f"/scim/v2/Groups/{group_id}")
    assert directory_a.get(f"/Groups/{group_id}").json()["displayName"] == "Test SCIMv2"

    # Okta renames with a value holding the id too.
    response = directory_a.patch(
        f"/Groups/{group_id}", [{"op": "replace", "value": {"id": group_id, "displayName": "Renamed"}}]
    )
    assert response.status_code == 200, response.content
    response = directory_a.patch(
        f"/Groups/{group_id}",
        [{"op": "add", "path": "members", "value": [{"value": user_id, "display": "test.user@example.com"}]}],
    )
    assert response.status_code == 200, response.content
    assert [m["value"] for m in response.json()["members"]] == [user_id]
    assert User.objects.get(public_id=user_id).membership.team.name == "Renamed"

    response = directory_a.patch(f"/Groups/{group_id}", [{"op": "remove", "path": f'members[value eq "{user_id}"]'}])
    assert response.status_code == 200
    assert "members" not in response.json()

    # PUT replaces the members.
    response = directory_a.put(
        f"/Groups/{group_id}",
        {"schemas": [GROUP], "id": group_id, "displayName": "Renamed", "members": [{"value": user_id}]},
    )
    assert response.status_code == 200
    assert User.objects.get(public_id=user_id).membership.team_id == int(group_id)
    assert directory_a.delete(f"/Groups/{group_id}").status_code == 204
    assert User.objects.get(public_id=user_id).membership.team is None
    assert cast.partner_a.teams.filter(pk=group_id).exists()  # the team keeps its assignments and history
