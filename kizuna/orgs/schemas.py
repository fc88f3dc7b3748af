"""The JSON shapes of organizations and teams, shared by the endpoints that show people."""

from ninja import Field, Schema


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str = Field(description="principal or partner")


class TeamOut(Schema):
    id: int
    name: str
