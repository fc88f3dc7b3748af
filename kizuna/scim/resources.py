"""Kizuna's people and teams as SCIM 2.0 resources (RFC 7643), and SCIM filters as database queries.

The SCIM shapes, their parsing, PATCH application and filter grammar come from `scim2-models`; this module
only says which Kizuna field each SCIM attribute is.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _
from scim2_models import (
    Email,
    EnterpriseUser,
    Group,
    GroupMember,
    GroupMembership,
    InvalidFilterException,
    Meta,
    ScimFilter,
    ScimPolicy,
)
from scim2_models import User as ScimUserResource
from scim2_models.path.expressions import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)

UserResource = ScimUserResource[EnterpriseUser]
# How much of the directories' departures from the RFCs is accepted: attributes we do not know are dropped
# (custom directory attributes), a `remove` with a `value` selects what to remove and a path filter that
# matches nothing adds the entry (both as Microsoft Entra ID sends them).
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)
ENTERPRISE_MANAGER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"
BASE_PATH = "/scim/v2"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:user"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:group"
# The role values a directory may send in `roles` to make someone a partner manager; anyone else is a rep.
MANAGER_ROLE_VALUES = frozenset({"manager", "partner_manager", "partner manager", "パートナー管理者"})


def location(kind: str, resource_id: str) -> str:
    return f"{settings.SITE_URL}{BASE_PATH}/{kind}/{resource_id}"


def user_resource(person: Any) -> UserResource:
    """Return the person as a SCIM User: what Kizuna holds wins over what the directory last sent."""
    link = getattr(person, "scim", None)
    stored = dict(link.attributes) if link is not None and link.attributes else {}
    resource = UserResource.model_validate(stored) if stored else UserResource(user_name=person.email)
    resource.id = str(person.public_id)
    resource.user_name = (link.user_name if link is not None and link.user_name else "") or person.email
    resource.display_name = person.name
    resource.active = person.is_active
    resource.external_id = (link.external_id or None) if link is not None else None
    emails = [e for e in (resource.emails or []) if e.value and e.value.lower() != person.email]
    resource.emails = [Email(value=person.email, type="work", primary=True), *emails]
    for email in resource.emails[1:]:
        email.primary = False
    team = person.membership.team
    resource.groups = (
        [GroupMembership(value=str(team.pk), display=team.name, ref=location("Groups", str(team.pk)))]
        if team is not None
        else None
    )
    resource.meta = Meta(
        resource_type="User",
        created=person.date_joined,
        last_modified=link.updated_at if link is not None else person.date_joined,
        location=location("Users", str(person.public_id)),
    )
    return resource


def group_resource(team: Any, members: list[Any] | None) -> Group:
    """Return the team as a SCIM Group; ``members`` None leaves them out (excludedAttributes=members)."""
    link = getattr(team, "scim", None)
    group = Group(
        id=str(team.pk),
        display_name=team.name,
        external_id=(link.external_id or None) if link is not None else None,
        meta=Meta(
            resource_type="Group",
            created=team.created_at,
            last_modified=link.updated_at if link is not None else team.created_at,
            location=location("Groups", str(team.pk)),
        ),
    )
    if members is not None:
        group.members = [
            GroupMember(value=str(p.public_id), display=p.name, ref=location("Users", str(p.public_id)), type="User")
            for p in members
        ] or None
    return group


def patch_normalized(data: dict[str, Any]) -> dict[str, Any]:
    """Return a User PATCH body with Entra ID's manager operations in RFC 7643's shape.

    Entra ID sends the manager as a bare id (`"value": "<id>"`), or under the path `manager` as a list
    (`[{"value": "<id>"}]`); the enterprise extension's manager is a complex attribute `{"value": "<id>"}`.
    """
    operations = data.get("Operations")
    if not isinstance(operations, list):
        return data
    for operation in operations:
        if not isinstance(operation, dict) or not isinstance(operation.get("path"), str):
            continue
        if operation["path"].lower() not in ("manager", ENTERPRISE_MANAGER.lower()):
            continue
        operation["path"] = ENTERPRISE_MANAGER
        value = operation.get("value")
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("value")
        if isinstance(value, str) and value:
            operation["value"] = {"value": value}
        elif "value" in operation:
            operation["op"], operation["value"] = "remove", None
            del operation["value"]
    return data


def user_email(resource: UserResource) -> str:
    """Return the address the person signs in with: the userName, or else their primary e-mail."""
    candidates = [resource.user_name or ""]
    emails = resource.emails or []
    candidates += [e.value for e in emails if e.primary] + [e.value for e in emails]
    for candidate in candidates:
        candidate = (candidate or "").strip().lower()
        try:
            validate_email(candidate)
        except ValidationError:
            continue
        return candidate
    return ""


def user_name(resource: UserResource, email: str) -> str:
    """Return the name shown on screen: displayName, else the formatted name, else family then given name (姓 名)."""
    name = resource.name
    parts = [name.family_name, name.given_name] if name is not None else []
    for candidate in (
        resource.display_name,
        name.formatted if name is not None else None,
        " ".join(p for p in parts if p),
        email.split("@")[0],
    ):
        if candidate and candidate.strip():
            return " ".join(candidate.split())[:150]
    return email


def user_role(resource: UserResource) -> str:
    """Return "manager" when the directory's roles say so, else "rep"."""
    for role in resource.roles or []:
        for value in (role.value, role.display, role.type):
            if value and value.strip().lower() in MANAGER_ROLE_VALUES:
                return "manager"
    return "rep"


# --- Filters ---------------------------------------------------------------------------------------------

WORK_EMAIL = "<the work e-mail>"
# (attribute, sub-attribute) → (model field, case-insensitive?)
USER_FILTER_FIELDS: dict[tuple[str, str | None], tuple[str, bool]] = {
    ("id", None): ("public_id", False),
    ("username", None): ("email|scim__user_name", True),
    ("externalid", None): ("scim__external_id", False),
    ("displayname", None): ("name", True),
    ("name", "formatted"): ("name", True),
    ("emails", None): ("email", True),
    ("emails", "value"): ("email", True),
    # Kizuna keeps one address per person: the primary work one.
    ("emails", "type"): (WORK_EMAIL, True),
    ("emails", "primary"): (WORK_EMAIL, True),
    ("active", None): ("is_active", False),
}
GROUP_FILTER_FIELDS: dict[tuple[str, str | None], tuple[str, bool]] = {
    ("id", None): ("pk", False),
    ("displayname", None): ("name", True),
    ("externalid", None): ("scim__external_id", False),
    ("members", None): ("memberships__user__public_id", False),
    ("members", "value"): ("memberships__user__public_id", False),
}
_LOOKUPS = {
    CompareOperator.eq: "exact",
    CompareOperator.co: "contains",
    CompareOperator.sw: "startswith",
    CompareOperator.ew: "endswith",
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}


def _unsupported(text: str) -> InvalidFilterException:
    return InvalidFilterException(detail=text)


class _QBuilder:
    def __init__(self, fields: dict[tuple[str, str | None], tuple[str, bool]], schema: str) -> None:
        self.fields = fields
        self.schema = schema

    def field(self, path: AttrPath, parent: str | None = None) -> tuple[str, bool]:
        if path.uri and path.uri.lower() != self.schema:
            raise _unsupported(_("Filtering on %(attribute)s is not supported.") % {"attribute": str(path)})
        key = (parent, path.attr.lower()) if parent else (path.attr.lower(), (path.sub_attr or "").lower() or None)
        if key not in self.fields:
            raise _unsupported(_("Filtering on %(attribute)s is not supported.") % {"attribute": str(path)})
        return self.fields[key]

    def build(self, node: FilterNode, parent: str | None = None) -> Q:
        if isinstance(node, LogicalExpr):
            queries = [self.build(term, parent) for term in node.terms]
            combined = queries[0]
            for query in queries[1:]:
                combined = combined & query if node.op == LogicalOperator.and_ else combined | query
            return combined
        if isinstance(node, Not):
            return ~self.build(node.expr, parent)
        if isinstance(node, ValuePath):
            return self.build(node.val_filter, node.attr_path.attr.lower())
        if isinstance(node, Present):
            field, _ci = self.field(node.attr_path, parent)
            if field in ("is_active", WORK_EMAIL):
                return Q()
            present = Q(pk__in=[])
            for name in field.split("|"):
                present |= ~Q(**{f"{name}__isnull": True}) & ~Q(**{name: ""})
            return present
        if isinstance(node, Comparison):
            return self.compare(node, parent)
        raise _unsupported(_("This filter is not supported."))

    def compare(self, node: Comparison, parent: str | None) -> Q:
        field, case_insensitive = self.field(node.attr_path, parent)
        value = node.value
        if field == WORK_EMAIL:
            matches = str(value).lower() in ("work", "true") and node.op == CompareOperator.eq
            return Q() if matches else Q(pk__in=[])
        if field == "is_active":
            if not isinstance(value, bool) or node.op not in (CompareOperator.eq, CompareOperator.ne):
                raise _unsupported(_("active can only be compared with eq or ne and true or false."))
            query = Q(is_active=value)
            return ~query if node.op == CompareOperator.ne else query
        if value is None:
            return Q(pk__in=[])
        value = str(value)
        if field in ("public_id", "pk", "memberships__user__public_id"):
            # Ids are opaque: an id that is not one of ours matches nothing (it is not a bad filter).
            if node.op not in (CompareOperator.eq, CompareOperator.ne):
                raise _unsupported(_("Ids can only be compared with eq or ne."))
            query = Q(pk__in=[]) if not _valid_id(field, value) else Q(**{field: value})
            return ~query if node.op == CompareOperator.ne else query
        negate = node.op == CompareOperator.ne
        lookup = _LOOKUPS[CompareOperator.eq if negate else node.op]
        if case_insensitive and lookup in ("exact", "contains", "startswith", "endswith"):
            lookup = "i" + lookup
        query = Q(pk__in=[])
        for name in field.split("|"):  # a userName is the e-mail address, or the directory's own name for it
            query |= Q(**{f"{name}__{lookup}": value})
        return ~query if negate else query


def _valid_id(field: str, value: str) -> bool:
    import uuid

    if field == "pk":
        return value.isdigit() and len(value) < 12
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _parse(text: str, model: Any) -> FilterNode:
    try:
        return ScimFilter[model](text).ast  # type: ignore[valid-type]
    except InvalidFilterException:
        raise
    except Exception as exc:  # the grammar's own errors: a filter that cannot be read
        raise _unsupported(_("The filter cannot be read: %(error)s") % {"error": exc}) from None


def user_filter(text: str) -> Q:
    """Return the query for a SCIM filter on Users (userName, externalId, emails, displayName, active, id)."""
    return _QBuilder(USER_FILTER_FIELDS, USER_SCHEMA).build(_parse(text, UserResource))


def group_filter(text: str) -> Q:
    """Return the query for a SCIM filter on Groups (displayName, externalId, id, members)."""
    return _QBuilder(GROUP_FILTER_FIELDS, GROUP_SCHEMA).build(_parse(text, Group))
