"""The SCIM 2.0 service provider (RFC 7644) at /scim/v2/: Users, Groups (teams) and the discovery endpoints.

Every request carries `Authorization: Bearer kzscim_…`, a token of one partner agency (`manage.py scim_token`);
everything it reads or writes is that agency's. Bodies and answers are `application/scim+json`.
"""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    Error,
    ETag,
    Filter,
    Group,
    ListResponse,
    Patch,
    PatchOp,
    ResourceType,
    ResponseParameters,
    SCIMException,
    ServiceProviderConfig,
    Sort,
)

from . import services
from .resources import POLICY, UserResource, group_filter, group_resource, patch_normalized, user_filter, user_resource
from .selectors import scim_people, scim_person, scim_team, scim_team_members, scim_teams, scim_token_for_raw

CONTENT_TYPE = "application/scim+json; charset=utf-8"
MAX_BODY_BYTES = 1024 * 1024
DEFAULT_COUNT = 100
MAX_COUNT = 200


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, default=str)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def _error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    error = Error(status=status, scim_type=scim_type, detail=detail)
    response = _json(error.model_dump_json(), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="kizuna-scim"'
    return response


def _validation_detail(err: ValidationError) -> str:
    first = err.errors()[0] if err.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "__root__")
    message = str(first.get("msg", err))
    return f"{where}: {message}" if where else message


def scim_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Authenticate the agency's token and answer every refusal as a SCIM error, never a 500 or a page."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        scheme, _sep, raw = header.partition(" ")
        token = scim_token_for_raw(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
        if token is None:
            return _error(401, _("A valid provisioning token is required (Authorization: Bearer …)."))
        services.scim_token_touch(token=token)
        if len(request.body) > MAX_BODY_BYTES:
            return _error(413, _("The request is too large (at most 1 MB)."))
        try:
            with POLICY:
                return view(request, token.organization, *args, **kwargs)
        except services.ScimError as err:
            return _error(err.scim_status, err.message, err.scim_type)
        except SCIMException as err:
            return _error(int(err.status), err.detail or str(err), err.scim_type)
        except ValidationError as err:
            return _error(400, _validation_detail(err), "invalidValue")

    return wrapped


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise services.ScimError(_("The body is not valid JSON."), scim_type="invalidSyntax") from None
    if not isinstance(data, dict):
        raise services.ScimError(_("The body must be a JSON object."), scim_type="invalidSyntax")
    return data


def _attribute_list(request: HttpRequest, name: str) -> list[str] | None:
    value = request.GET.get(name, "").strip()
    return [a.strip() for a in value.split(",") if a.strip()] or None


def _response_parameters(request: HttpRequest) -> ResponseParameters[Any] | None:
    """Return the attributes and excludedAttributes the client asked for (RFC 7644 §3.4.2.5), if any."""
    attributes = _attribute_list(request, "attributes")
    excluded = _attribute_list(request, "excludedAttributes")
    if not attributes and not excluded:
        return None
    return ResponseParameters(attributes=attributes, excluded_attributes=excluded)


def _page(request: HttpRequest) -> tuple[int, int]:
    """Return (startIndex, count) from the query, 1-based, count at most MAX_COUNT (RFC 7644 §3.4.2.4)."""
    try:
        start = max(1, int(request.GET.get("startIndex", "1")))
        count = min(MAX_COUNT, max(0, int(request.GET.get("count", str(DEFAULT_COUNT)))))
    except ValueError:
        raise services.ScimError(_("startIndex and count must be whole numbers."), scim_type="invalidValue") from None
    return start, count


def _resource_response(resource: Any, request: HttpRequest, status: int = 200) -> HttpResponse:
    body = resource.model_dump_json(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE,
        response_parameters=_response_parameters(request),
    )
    headers = {"Location": resource.meta.location} if status == 201 and resource.meta else None
    return _json(body, status=status, headers=headers)


def _list_response(model: Any, resources: list[Any], total: int, start: int, request: HttpRequest) -> HttpResponse:
    listing = ListResponse[model](  # type: ignore[valid-type]
        total_results=total, start_index=start, items_per_page=len(resources), resources=resources
    )
    body = listing.model_dump_json(
        scim_ctx=Context.SEARCH_RESPONSE,
        response_parameters=_response_parameters(request),
    )
    return _json(body)


def _excludes_members(request: HttpRequest) -> bool:
    excluded = [a.lower() for a in _attribute_list(request, "excludedAttributes") or []]
    attributes = [a.lower() for a in _attribute_list(request, "attributes") or []]
    return "members" in excluded or bool(attributes and "members" not in attributes)


# --- Users -----------------------------------------------------------------------------------------------


def _not_found() -> HttpResponse:
    return _error(404, _("No such resource in this agency."))


@scim_endpoint
def users(request: HttpRequest, organization: Any) -> HttpResponse:
    if request.method == "POST":
        resource = UserResource.model_validate(_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        person, created = services.scim_user_create(organization=organization, resource=resource)
        person = scim_person(organization=organization, resource_id=str(person.public_id))
        return _resource_response(user_resource(person), request, status=201)
    if request.method != "GET":
        return _error(405, _("This method is not allowed here."))
    people = scim_people(organization=organization)
    if request.GET.get("filter", "").strip():
        people = people.filter(user_filter(request.GET["filter"])).distinct()
    start, count = _page(request)
    total = people.count()
    page = list(people[start - 1 : start - 1 + count]) if count else []
    return _list_response(UserResource, [user_resource(p) for p in page], total, start, request)


@scim_endpoint
def user(request: HttpRequest, organization: Any, resource_id: str) -> HttpResponse:
    person = scim_person(organization=organization, resource_id=resource_id)
    if person is None:
        return _not_found()
    if request.method == "GET":
        return _resource_response(user_resource(person), request)
    if request.method == "PUT":
        resource = UserResource.model_validate(_body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
        services.scim_user_replace(person=person, resource=resource)
    elif request.method == "PATCH":
        patch = PatchOp[UserResource].model_validate(
            patch_normalized(_body(request)), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        services.scim_user_patch(person=person, patch=patch)
    elif request.method == "DELETE":
        services.scim_user_delete(person=person)
        return HttpResponse(status=204)
    else:
        return _error(405, _("This method is not allowed here."))
    person = scim_person(organization=organization, resource_id=resource_id)
    return _resource_response(user_resource(person), request)


# --- Groups ----------------------------------------------------------------------------------------------


def _group_response(organization: Any, team: Any, request: HttpRequest, status: int = 200) -> HttpResponse:
    members = None if _excludes_members(request) else scim_team_members(organization=organization, teams=[team])
    return _resource_response(
        group_resource(team, None if members is None else members.get(team.pk, [])), request, status
    )


@scim_endpoint
def groups(request: HttpRequest, organization: Any) -> HttpResponse:
    if request.method == "POST":
        group = Group.model_validate(_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        team = services.scim_group_create(organization=organization, group=group)
        return _group_response(organization, team, request, status=201)
    if request.method != "GET":
        return _error(405, _("This method is not allowed here."))
    teams = scim_teams(organization=organization)
    if request.GET.get("filter", "").strip():
        teams = teams.filter(group_filter(request.GET["filter"])).distinct()
    start, count = _page(request)
    total = teams.count()
    page = list(teams[start - 1 : start - 1 + count]) if count else []
    members = None if _excludes_members(request) else scim_team_members(organization=organization, teams=page)
    resources = [group_resource(t, None if members is None else members.get(t.pk, [])) for t in page]
    return _list_response(Group, resources, total, start, request)


@scim_endpoint
def group(request: HttpRequest, organization: Any, resource_id: str) -> HttpResponse:
    team = scim_team(organization=organization, resource_id=resource_id)
    if team is None:
        return _not_found()
    if request.method == "GET":
        return _group_response(organization, team, request)
    if request.method == "PUT":
        group = Group.model_validate(_body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
        services.scim_group_replace(organization=organization, team=team, group=group)
    elif request.method == "PATCH":
        patch = PatchOp[Group].model_validate(_body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        services.scim_group_patch(organization=organization, team=team, patch=patch)
    elif request.method == "DELETE":
        services.scim_group_delete(team=team)
        return HttpResponse(status=204)
    else:
        return _error(405, _("This method is not allowed here."))
    team = scim_team(organization=organization, resource_id=resource_id)
    return _group_response(organization, team, request)


# --- Discovery (RFC 7644 §4) -----------------------------------------------------------------------------


def _service_provider_config() -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_COUNT),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A provisioning token of one agency, made with manage.py scim_token <partner-code>.",
                primary=True,
            )
        ],
    )


@scim_endpoint
def service_provider_config(request: HttpRequest, organization: Any) -> HttpResponse:
    return _json(_service_provider_config().model_dump_json(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _resource_types() -> list[ResourceType]:
    types = [ResourceType.from_resource(UserResource), ResourceType.from_resource(Group)]
    for resource_type in types:
        resource_type.endpoint = f"/{resource_type.name}s"
    return types


@scim_endpoint
def resource_types(request: HttpRequest, organization: Any, name: str = "") -> HttpResponse:
    types = _resource_types()
    if name:
        found = [t for t in types if t.id == name]
        if not found:
            return _not_found()
        return _json(found[0].model_dump_json(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    return _list_response(ResourceType, types, len(types), 1, request)


def _schemas() -> list[Any]:
    from scim2_models import EnterpriseUser
    from scim2_models import User as CoreUser

    return [CoreUser.to_schema(), EnterpriseUser.to_schema(), Group.to_schema()]


@scim_endpoint
def schemas(request: HttpRequest, organization: Any, schema_id: str = "") -> HttpResponse:
    from scim2_models import Schema

    found = _schemas()
    if schema_id:
        found = [s for s in found if s.id == schema_id]
        if not found:
            return _not_found()
        return _json(found[0].model_dump_json(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    return _list_response(Schema, found, len(found), 1, request)
