"""The SCIM routes answer only to an agency's provisioning token, never to a browser session: they are walked
with partner B's token by `test_isolation.test_every_scim_route_with_an_id_answers_404_to_another_agencys_token`.
The principal admin's token page (/settings/scim/<id>/revoke/) is a browser route: walked with A's token."""

from typing import Any

WALKED_BY = "kizuna/scim/tests/test_isolation.py::test_every_scim_route_with_an_id_answers_404_to_another_agencys_token"
TOKEN_ROUTES = {
    "scim:user": WALKED_BY,
    "scim:group": WALKED_BY,
    # The descriptions of SCIM itself (resource types, schemas): the same for every agency.
    "scim:resource_type": WALKED_BY,
    "scim:schema": WALKED_BY,
}


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.scim.services import scim_token_create

    token, _raw = scim_token_create(organization=cast.partner_a, name="Entra ID of A")
    return {"scim_token_id": token.pk}
