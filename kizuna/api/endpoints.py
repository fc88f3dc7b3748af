"""The API app's own endpoints: who the caller is, and what each problem type means.

Every other endpoint lives in its app's `api.py` (catalog, records, analytics, kpis, …), registered in api.py.
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from kizuna.orgs.access import membership_of

from . import schemas
from .problems import PROBLEM_TYPES, problem_type_iri

# Two routers, so that the OpenAPI document keeps /me first and the problem types after the apps' endpoints.
me_router = Router()
problems_router = Router()


@me_router.get("/me", response=schemas.MeOut, tags=["me"], summary="The caller")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    m = membership_of(user)
    return {
        "id": user.pk,
        "public_id": user.public_id,
        "name": user.name,
        "email": user.email,
        "language": user.language,
        "role": m.role if m else None,
        "organization": (
            {"id": m.organization.pk, "name": m.organization.name, "kind": m.organization.kind} if m else None
        ),
        "team": {"id": m.team.pk, "name": m.team.name} if m and m.team else None,
    }


@problems_router.get(
    "/problems/{slug}", response=schemas.ProblemTypeOut, auth=None, tags=["problems"], summary="A problem type"
)
def problem_type(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Describe one of the `type` URLs that error responses carry."""
    kind = PROBLEM_TYPES.get(slug)
    if kind is None:
        raise Http404
    return {"type": problem_type_iri(slug), "title": str(kind.title), "status": kind.status, "detail": str(kind.detail)}
