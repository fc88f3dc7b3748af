"""The LRS resources at /xapi/ (thin: parse the xAPI request, call one service or selector, answer)."""

import json
import uuid
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _

from . import validation
from .attachments import attachments_keep, check_attachments, multipart_response_body, read_statement_body
from .documents import DocumentKey, document_delete, document_get, document_ids, document_save
from .formats import accept_languages, shape
from .http import SUPPORTED_VERSIONS, XapiError, XapiRequest, json_response, xapi_view
from .models import LrsDocument
from .selectors import activity_object, consistent_through, person_object
from .statements import (
    agent_key,
    format_time,
    more_read,
    more_token,
    parse_query,
    statement_get,
    statements_query,
    statements_store,
)


@xapi_view(("GET",), authenticated=False)
def about(xreq: XapiRequest) -> HttpResponse:
    """The About resource: the versions this LRS speaks (no credentials needed)."""
    return json_response({"version": SUPPORTED_VERSIONS, "extensions": {}})


def _consistent_headers(xreq: XapiRequest) -> dict[str, str]:
    # What other systems send is readable once answered; Kizuna's own statements once the mirror copied them.
    return {"X-Experience-API-Consistent-Through": format_time(consistent_through(timezone.now(), xreq.credential))}


@xapi_view(("GET", "PUT", "POST"), consistent_through=True)
def statements(xreq: XapiRequest) -> HttpResponse:
    """The Statements resource: PUT one with statementId, POST one or many, GET one or a filtered page."""
    credential = xreq.credential
    assert credential is not None
    if xreq.method == "GET" or xreq.method == "HEAD":
        return _statements_get(xreq)
    payload, parts = read_statement_body(xreq)
    if xreq.method == "PUT":
        statement_id = validation.uuid_param(xreq.params.get("statementId"), "statementId")
        if statement_id is None:
            raise XapiError(400, _("PUT needs the statementId parameter."))
        if set(xreq.params) - {"statementId"}:
            raise XapiError(400, _("PUT takes only the statementId parameter."))
        if not isinstance(payload, dict):
            raise XapiError(400, _("PUT takes one statement (a JSON object)."))
        if "id" in payload and (not validation.is_uuid(payload["id"]) or uuid.UUID(payload["id"]) != statement_id):
            raise XapiError(400, _("The statement's id differs from the statementId parameter."))
        payload = {**payload, "id": payload.get("id", str(statement_id))}
        batch = [payload]
    else:
        if xreq.params:
            raise XapiError(400, _("POST to statements takes no parameters."))
        batch = payload if isinstance(payload, list) else [payload]
        if not all(isinstance(st, dict) for st in batch):
            raise XapiError(400, _("Send a statement or an array of statements (JSON objects)."))
    for st in batch:
        validation.statement(st, xreq.version)
    check_attachments(batch, parts)
    if xreq.grant is not None:
        # A session grant's issuer checks its rules, stores through the LRS and follows up, in one transaction.
        ids = xreq.grant.store(
            batch, lambda checked: statements_store(credential=credential, statements=checked, version=xreq.version)
        )
    else:
        ids = statements_store(credential=credential, statements=batch, version=xreq.version, validated=True)
    attachments_keep(parts)
    response = HttpResponse(status=204) if xreq.method == "PUT" else json_response(ids)
    response["X-Experience-API-Consistent-Through"] = _consistent_headers(xreq)["X-Experience-API-Consistent-Through"]
    return response


def _statements_get(xreq: XapiRequest) -> HttpResponse:
    credential = xreq.credential
    assert credential is not None
    params = dict(xreq.params)
    fmt = params.get("format", "exact")
    if fmt not in ("exact", "ids", "canonical"):
        raise XapiError(400, _("format must be exact, ids or canonical."))
    with_attachments = params.get("attachments", "false").lower()
    if with_attachments not in ("true", "false"):
        raise XapiError(400, _("The attachments parameter must be true or false."))
    languages = accept_languages(xreq.header("accept-language"))
    single_ids = [name for name in ("statementId", "voidedStatementId") if name in params]
    if single_ids:
        if len(single_ids) > 1 or set(params) - {single_ids[0], "format", "attachments"}:
            raise XapiError(
                400, _("%(name)s may be combined only with format and attachments.") % {"name": single_ids[0]}
            )
        wanted = validation.uuid_param(params[single_ids[0]], single_ids[0])
        assert wanted is not None
        row = statement_get(credential=credential, statement_id=wanted, voided=single_ids[0] == "voidedStatementId")
        if row is not None and xreq.grant is not None and not _granted_agent(xreq, row.data.get("actor")):
            row = None
        if row is None:
            raise XapiError(404, _("No such statement."))
        document: Any = shape(row.data, fmt, languages)
        statements_out = [row.data]
        headers = {"Last-Modified": http_date(row.stored.timestamp())}
    else:
        after = None
        if "more" in params:
            if len(params) > 1:
                raise XapiError(400, _("A more link takes no other parameters."))
            params, after = more_read(credential=credential, token=params["more"])
        if xreq.grant is not None and "more" not in xreq.params:
            # A session grant reads only its own agent's statements.
            if "agent" not in params:
                params["agent"] = json.dumps(xreq.grant.agent)
            elif not _granted_agent(xreq, validation.agent_param(params["agent"])):
                raise XapiError(403, "These session credentials read only their own agent's statements.")
        query = parse_query(params)
        page, next_after = statements_query(credential=credential, query=query, after=after)
        more = ""
        if next_after is not None:
            token = more_token(credential=credential, params=params, after=next_after)
            more = f"/xapi/statements?{urlencode({'more': token})}"
        document = {"statements": [shape(row.data, fmt, languages) for row in page], "more": more}
        statements_out = [row.data for row in page]
        headers = {}
    headers.update(_consistent_headers(xreq))
    if with_attachments == "true":
        body, content_type = multipart_response_body(document, statements_out)
        response = HttpResponse(body, content_type=content_type)
        for name, value in headers.items():
            response[name] = value
        return response
    return json_response(document, headers=headers)


def _granted_agent(xreq: XapiRequest, agent: Any) -> bool:
    assert xreq.grant is not None
    return isinstance(agent, dict) and agent_key(agent) == agent_key(xreq.grant.agent)


def _check_grant(xreq: XapiRequest, key: DocumentKey, document_id: str | None) -> None:
    """A session grant reaches only its own agent's documents, in its own activity and registration."""
    grant = xreq.grant
    if grant is None:
        return
    if key.agent is not None and not _granted_agent(xreq, key.agent):
        raise XapiError(403, "These session credentials reach only their own agent's documents.")
    if key.kind != LrsDocument.Kind.AGENT_PROFILE and key.activity_id != grant.activity_id:
        raise XapiError(403, "These session credentials reach only their own activity's documents.")
    if key.kind == LrsDocument.Kind.STATE and key.registration != grant.registration:
        raise XapiError(403, "These session credentials reach only their own registration's documents.")
    if key.kind == LrsDocument.Kind.ACTIVITY_PROFILE and xreq.method not in ("GET", "HEAD"):
        raise XapiError(403, "These session credentials may only read activity profiles.")
    writing = xreq.method not in ("GET", "HEAD")
    if (
        writing
        and key.kind == LrsDocument.Kind.STATE
        and (document_id is None or document_id in grant.read_only_state_ids)
    ):
        raise XapiError(403, "This state document is the LMS's: it may be read, not changed.")


# --- documents ------------------------------------------------------------------------------------------


def _only(xreq: XapiRequest, allowed: set[str]) -> None:
    unknown = set(xreq.params) - allowed
    if unknown:
        raise XapiError(400, _("Unknown parameters: %(names)s.") % {"names": ", ".join(sorted(unknown))})


def _document_response(doc: LrsDocument) -> HttpResponse:
    response = HttpResponse(bytes(doc.content), content_type=doc.content_type)
    response["ETag"] = f'"{doc.etag}"'
    response["Last-Modified"] = http_date(doc.updated.timestamp())
    return response


def _documents(
    xreq: XapiRequest, key: DocumentKey, id_param: str, *, concurrency_required: bool = False
) -> HttpResponse:
    """GET (one, or the ids), PUT, POST and DELETE of the documents under one key."""
    credential = xreq.credential
    assert credential is not None
    document_id = xreq.params.get(id_param)
    _check_grant(xreq, key, document_id)
    if xreq.method in ("GET", "HEAD"):
        if document_id is None:
            since = xreq.params.get("since")
            moment = validation.timestamp(since, "since") if since is not None else None
            return json_response(document_ids(credential=credential, key=key, since=moment))
        if "since" in xreq.params:
            raise XapiError(400, _("since may be used only without %(name)s.") % {"name": id_param})
        doc = document_get(credential=credential, key=key, document_id=document_id)
        if doc is None:
            raise XapiError(404, _("No such document."))
        return _document_response(doc)
    if "since" in xreq.params:
        raise XapiError(400, _("since may be used only with GET."))
    if xreq.method == "DELETE":
        if document_id is None and key.kind != LrsDocument.Kind.STATE:
            raise XapiError(400, _("DELETE needs %(name)s.") % {"name": id_param})
        document_delete(credential=credential, key=key, document_id=document_id, if_match=xreq.header("if-match"))
        return HttpResponse(status=204)
    if document_id is None:
        raise XapiError(400, _("%(method)s needs %(name)s.") % {"method": xreq.method, "name": id_param})
    content_type = (xreq.header("content-type") or "application/octet-stream").strip()
    doc = document_save(
        credential=credential,
        key=key,
        document_id=document_id,
        content=xreq.body,
        content_type=content_type,
        merge=xreq.method == "POST",
        if_match=xreq.header("if-match"),
        if_none_match=xreq.header("if-none-match"),
        concurrency_required=concurrency_required,
        # xAPI 2.0 extends the ETag rules to the State resource: no blind overwrite of an existing state.
        concurrency_required_to_change=key.kind == "state" and xreq.version.startswith("2"),
    )
    response = HttpResponse(status=204)
    response["ETag"] = f'"{doc.etag}"'
    return response


@xapi_view(("GET", "PUT", "POST", "DELETE"))
def activity_state(xreq: XapiRequest) -> HttpResponse:
    """The State resource: documents of one agent in one activity (and registration)."""
    _only(xreq, {"activityId", "agent", "registration", "stateId", "since"})
    activity_id = validation.iri_param(xreq.params.get("activityId"), "activityId")
    agent = validation.agent_param(xreq.params.get("agent"))
    registration = validation.uuid_param(xreq.params.get("registration"), "registration")
    key = DocumentKey(
        kind=LrsDocument.Kind.STATE,
        activity_id=activity_id,
        agent=agent,
        registration=str(registration) if registration else "",
    )
    return _documents(xreq, key, "stateId")


@xapi_view(("GET", "PUT", "POST", "DELETE"))
def activity_profile(xreq: XapiRequest) -> HttpResponse:
    """The Activity Profile resource: documents about one activity."""
    _only(xreq, {"activityId", "profileId", "since"})
    activity_id = validation.iri_param(xreq.params.get("activityId"), "activityId")
    key = DocumentKey(kind=LrsDocument.Kind.ACTIVITY_PROFILE, activity_id=activity_id)
    return _documents(xreq, key, "profileId", concurrency_required=True)


@xapi_view(("GET", "PUT", "POST", "DELETE"))
def agent_profile(xreq: XapiRequest) -> HttpResponse:
    """The Agent Profile resource: documents about one agent."""
    _only(xreq, {"agent", "profileId", "since"})
    agent = validation.agent_param(xreq.params.get("agent"))
    key = DocumentKey(kind=LrsDocument.Kind.AGENT_PROFILE, agent=agent)
    return _documents(xreq, key, "profileId", concurrency_required=True)


@xapi_view(("GET",))
def activities(xreq: XapiRequest) -> HttpResponse:
    """The Activities resource: the LRS's canonical definition of one activity."""
    _only(xreq, {"activityId"})
    activity_id = validation.iri_param(xreq.params.get("activityId"), "activityId")
    return json_response(activity_object(activity_id=activity_id))


@xapi_view(("GET",))
def agents(xreq: XapiRequest) -> HttpResponse:
    """The Agents resource: the Person object of an agent (every identity this LRS knows of it)."""
    _only(xreq, {"agent"})
    agent = validation.agent_param(xreq.params.get("agent"), group_allowed=False)
    return json_response(person_object(agent=agent))
