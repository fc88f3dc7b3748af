"""An agency's SCIM token never sees or touches another agency's people or teams, nor the principal's."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import get_resolver

from kizuna.tests.test_isolation import walk

from .conftest import GROUP, USER, Directory

User = get_user_model()


def test_every_scim_route_with_an_id_answers_404_to_another_agencys_token(
    cast: Any, directory_a: Directory, directory_b: Directory
) -> None:
    a_ids = {"resource_id": {"user": str(cast.rep_a1.public_id), "group": str(cast.team_a1.pk)}}
    # The SCIM protocol's routes; the admin's token page (/settings/scim/…) is a browser route, in the main walk.
    routes = [
        (name, p)
        for name, p in walk(get_resolver().url_patterns)
        if name and name.startswith("scim:") and str(p.pattern).startswith("scim/v2/")
    ]
    assert {"scim:user", "scim:group"} <= {name for name, _p in routes}
    for name, pattern in routes:
        if name in ("scim:resource_type", "scim:schema"):
            continue  # the descriptions of SCIM itself, the same for every agency
        assert set(pattern.pattern.converters) == {"resource_id"}, f"{name}: add its parameter to this walk"
        kind = name.split(":")[1]
        path = "/" + ("Users" if kind == "user" else "Groups") + "/" + a_ids["resource_id"][kind]
        assert directory_a.get(path).status_code == 200, path
        body = {"schemas": [USER if kind == "user" else GROUP], "userName": "x@example.com", "displayName": "x"}
        responses = [
            directory_b.get(path),
            directory_b.put(path, body),
            directory_b.patch(path, [{"op": "replace", "path": "active", "value": False}]),
            directory_b.delete(path),
        ]
        assert [r.status_code for r in responses] == [404] * 4, (path, [r.content for r in responses])
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.is_active and cast.rep_a1.name == "営業 一子"
    assert cast.rep_a1.membership.team == cast.team_a1


def test_a_listing_shows_only_the_tokens_agency(cast: Any, directory_b: Directory) -> None:
    emails = {r["userName"] for r in directory_b.get("/Users").json()["Resources"]}
    assert emails == {cast.manager_b.email, cast.rep_b1.email}
    teams = {r["displayName"] for r in directory_b.get("/Groups").json()["Resources"]}
    assert teams == set(cast.partner_b.teams.values_list("name", flat=True))


@pytest.mark.parametrize(
    "expression",
    ['userName eq "rep1@partner-a.example"', 'emails.value co "partner-a"', 'userName sw "admin@"', "userName pr"],
)
def test_a_filter_never_reaches_into_another_agency(cast: Any, directory_b: Directory, expression: str) -> None:
    found = {r["userName"] for r in directory_b.get("/Users", filter=expression).json()["Resources"]}
    assert not found - {cast.manager_b.email, cast.rep_b1.email}


def test_it_refuses_to_put_another_agencys_person_into_a_team(cast: Any, directory_b: Directory) -> None:
    team_b = cast.partner_b.teams.create(name="B1")
    response = directory_b.patch(
        f"/Groups/{team_b.pk}", [{"op": "add", "path": "members", "value": [{"value": str(cast.rep_a1.public_id)}]}]
    )
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"
    cast.rep_a1.membership.refresh_from_db()
    assert cast.rep_a1.membership.team == cast.team_a1


def test_creating_an_address_another_agency_uses_is_a_conflict_that_changes_nothing(
    cast: Any, directory_b: Directory
) -> None:
    response = directory_b.post("/Users", {"schemas": [USER], "userName": cast.rep_a1.email, "active": False})
    assert response.status_code == 409
    assert "partner" not in response.json()["detail"].lower()
    cast.rep_a1.refresh_from_db()
    assert cast.rep_a1.is_active and cast.rep_a1.membership.organization == cast.partner_a


def test_a_new_person_lands_in_the_tokens_agency_whatever_the_body_says(cast: Any, directory_b: Directory) -> None:
    body = {
        "schemas": [USER],
        "userName": "new@partner-b.example",
        "groups": [{"value": str(cast.team_a1.pk)}],
        "roles": [{"value": "admin"}],
    }
    assert directory_b.post("/Users", body).status_code == 201
    person = User.objects.get(email="new@partner-b.example")
    assert (person.membership.organization, person.membership.role, person.membership.team) == (
        cast.partner_b,
        "rep",
        None,
    )


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer nope", "Basic a2l6dW5hOmtpenVuYQ==", "Bearer kz_not-a-scim-token"]
)
def test_it_refuses_a_missing_or_wrong_token_with_401(client: Any, cast: Any, header: str) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/scim/v2/Users", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_a_signed_in_browser_gets_nothing_without_a_token(client: Any, cast: Any) -> None:
    client.force_login(cast.admin)
    assert client.get("/scim/v2/Users").status_code == 401


def test_a_revoked_token_is_refused(cast: Any, directory_a: Directory) -> None:
    from django.utils import timezone

    from kizuna.scim.models import ScimToken

    ScimToken.objects.filter(organization=cast.partner_a).update(revoked_at=timezone.now())
    assert directory_a.get("/Users").status_code == 401
