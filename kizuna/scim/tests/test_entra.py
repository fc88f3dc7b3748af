"""Microsoft Entra ID's provisioning, request by request as its SCIM validator and provisioning service send them
(learn.microsoft.com, "Develop and plan provisioning for a SCIM endpoint": user and group operations)."""

from typing import Any

from django.contrib.auth import get_user_model

from .conftest import ENTERPRISE, GROUP, USER

User = get_user_model()

ENTRA_USER = {
    "schemas": [USER, ENTERPRISE],
    "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    # Entra's userName is the UPN; its validator sends one that is not an address, with the address in emails.
    "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
    "active": True,
    "emails": [{"primary": True, "type": "work", "value": "Test_User_fd0ea19b@testuser.com"}],
    "meta": {"resourceType": "User"},
    "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
    "roles": [],
    ENTERPRISE: {"department": "Sales", "employeeNumber": "E-1"},
}


def _create(directory_a: Any) -> dict[str, Any]:
    found = directory_a.get("/Users", filter='userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"')
    assert found.status_code == 200 and found.json()["totalResults"] == 0
    response = directory_a.post("/Users", ENTRA_USER)
    assert response.status_code == 201, response.content
    return response.json()


def test_it_creates_a_rep_in_the_tokens_agency_from_entras_create_user(cast: Any, directory_a: Any) -> None:
    body = _create(directory_a)
    person = User.objects.get(email="test_user_fd0ea19b@testuser.com")
    assert person.membership.organization == cast.partner_a
    assert person.membership.role == "rep"
    assert person.name == "givenName familyName"
    assert body["id"] == str(person.public_id)
    assert body["externalId"] == ENTRA_USER["externalId"]
    assert body["active"] is True
    assert body[ENTERPRISE]["department"] == "Sales"
    assert body["meta"]["location"].endswith(f"/scim/v2/Users/{person.public_id}")


def test_it_finds_the_user_by_externalid_and_by_email(directory_a: Any) -> None:
    body = _create(directory_a)
    for expression in (
        f'externalId eq "{ENTRA_USER["externalId"]}"',
        'emails[type eq "work" and value eq "TEST_USER_FD0EA19B@testuser.com"]',
        'userName eq "test_user_fd0ea19b@testuser.com"',
    ):
        listing = directory_a.get("/Users", filter=expression).json()
        assert [r["id"] for r in listing["Resources"]] == [body["id"]], expression


def test_it_answers_a_second_create_of_the_same_address_with_a_uniqueness_conflict(directory_a: Any) -> None:
    _create(directory_a)
    response = directory_a.post("/Users", ENTRA_USER)
    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"
    assert response["Content-Type"].startswith("application/scim+json")


def test_it_applies_entras_multi_valued_and_single_valued_updates(directory_a: Any) -> None:
    user_id = _create(directory_a)["id"]
    response = directory_a.patch(
        f"/Users/{user_id}",
        [
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "updatedEmail@example.com"},
            {"op": "Replace", "path": 'emails[type eq "work"].primary', "value": True},
            {"op": "Replace", "path": 'addresses[type eq "work"].streetAddress', "value": "1 Main St"},
            {"op": "Replace", "path": "name.familyName", "value": "山田"},
            {"op": "Replace", "path": "displayName", "value": "山田 太郎"},
        ],
    )
    assert response.status_code == 200, response.content
    person = User.objects.get(public_id=user_id)
    # userName is not an address, so the primary work address is the one people sign in with.
    assert person.email == "updatedemail@example.com"
    assert person.name == "山田 太郎"
    assert response.json()["addresses"][0]["streetAddress"] == "1 Main St"

    response = directory_a.patch(
        f"/Users/{user_id}", [{"op": "Replace", "path": "userName", "value": "taro@example.com"}]
    )
    assert response.status_code == 200
    assert User.objects.get(public_id=user_id).email == "taro@example.com"


def test_it_takes_entras_manager_as_a_bare_id(directory_a: Any) -> None:
    user_id = _create(directory_a)["id"]
    response = directory_a.patch(
        f"/Users/{user_id}",
        [{"op": "Add", "path": f"{ENTERPRISE}:manager", "value": "26118915-6090-4610-87a4-0a0f1a7b4b2c"}],
    )
    assert response.status_code == 200, response.content
    assert response.json()[ENTERPRISE]["manager"]["value"] == "26118915-6090-4610-87a4-0a0f1a7b4b2c"


def test_it_disables_a_user_with_entras_replace_active_false_as_a_string(directory_a: Any) -> None:
    user_id = _create(directory_a)["id"]
    # Entra's provisioning sends booleans as strings unless the app opts into the 2020 behaviour.
    response = directory_a.patch(f"/Users/{user_id}", [{"op": "Replace", "path": "active", "value": "False"}])
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert User.objects.get(public_id=user_id).is_active is False


def test_it_deletes_a_user_by_deactivating_and_then_answers_404(directory_a: Any) -> None:
    user_id = _create(directory_a)["id"]
    assert directory_a.delete(f"/Users/{user_id}").status_code == 204
    assert directory_a.get(f"/Users/{user_id}").status_code == 404
    person = User.objects.get(public_id=user_id)
    assert person.is_active is False  # kept: their records follow the agreement's retention rule
    # Provisioned again later, the same person comes back with their history.
    response = directory_a.post("/Users", ENTRA_USER)
    assert response.status_code == 201
    assert response.json()["id"] == user_id
    assert User.objects.get(public_id=user_id).is_active is True


def test_it_runs_entras_group_sequence_on_teams(cast: Any, directory_a: Any) -> None:
    user_id = _create(directory_a)["id"]
    found = directory_a.get("/Groups", excludedAttributes="members", filter='displayName eq "Tokyo 3"')
    assert found.json()["totalResults"] == 0
    response = directory_a.post(
        "/Groups",
        {
            "schemas": [GROUP],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "Tokyo 3",
            "meta": {"resourceType": "Group"},
        },
    )
    assert response.status_code == 201, response.content
    group_id = response.json()["id"]
    team = cast.partner_a.teams.get(name="Tokyo 3")
    assert group_id == str(team.pk)

    response = directory_a.patch(
        f"/Groups/{group_id}", [{"op": "Replace", "path": "displayName", "value": "Tokyo 3 (new)"}]
    )
    assert response.status_code == 200
    team.refresh_from_db()
    assert team.name == "Tokyo 3 (new)"

    response = directory_a.patch(
        f"/Groups/{group_id}", [{"op": "Add", "path": "members", "value": [{"value": user_id}]}]
    )
    assert response.status_code == 200, response.content
    person = User.objects.get(public_id=user_id)
    assert person.membership.team == team
    listing = directory_a.get("/Groups", filter=f'id eq "{group_id}" and members[value eq "{user_id}"]').json()
    assert listing["totalResults"] == 1
    assert "members" not in directory_a.get(f"/Groups/{group_id}", excludedAttributes="members").json()

    response = directory_a.patch(
        f"/Groups/{group_id}", [{"op": "Remove", "path": "members", "value": [{"value": user_id}]}]
    )
    assert response.status_code == 200, response.content
    person.membership.refresh_from_db()
    assert person.membership.team is None

    assert directory_a.delete(f"/Groups/{group_id}").status_code == 204
    assert directory_a.get(f"/Groups/{group_id}").status_code == 404
