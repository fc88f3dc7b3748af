"""The JSON shapes of the API app's own endpoints: the caller, and problems. Field names follow GLOSSARY.md's code column.

Each app's shapes live with its endpoints (`<app>/api.py`, `<app>/schemas.py`).
"""

import uuid

from ninja import Field, Schema

from kizuna.orgs.schemas import OrganizationOut, TeamOut


class MeOut(Schema):
    id: int
    public_id: uuid.UUID = Field(description="The opaque id used as the xAPI actor's account name.")
    name: str
    email: str
    language: str = Field(description="ja, en, or empty for the browser's setting")
    role: str | None = Field(description="admin, author, coach, manager or rep")
    organization: OrganizationOut | None
    team: TeamOut | None


class ProblemTypeOut(Schema):
    type: str
    title: str
    status: int
    detail: str


class ProblemFieldError(Schema):
    loc: list[str | int] = Field(description="where: body, query or path, then the field (and list index)")
    msg: str


class ProblemOut(Schema):
    """An RFC 7807 problem document (`application/problem+json`)."""

    type: str = Field(description="a URL under /api/v1/problems/ describing this kind of problem")
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemFieldError] | None = Field(None, description="validation problems: each field to fix")
