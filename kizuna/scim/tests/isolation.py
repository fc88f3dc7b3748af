"""The SCIM routes answer only to an agency's provisioning token, never to a browser session: they are walked
with partner B's token by `test_isolation.test_every_scim_route_with_an_id_answers_404_to_another_agencys_token`."""

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
    return {}
