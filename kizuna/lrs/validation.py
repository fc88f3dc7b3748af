"""Validation of xAPI statements and of the agent/activity parameters of the resources, by the 1.0.3 rules.

Every refusal is an `XapiError(400, _("<where>: <what>"))`; nothing is corrected silently. Extensions are free
JSON (their keys must be IRIs); everywhere else a `null` is refused, as the specification demands.
"""

import re
import uuid
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from .http import XapiError

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
_MAILTO = re.compile(r"^mailto:[^@\s:]+@[^@\s]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_LANG = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z\d]{2,8})+)*(?:-x(?:-[A-Za-z\d]{1,8})+)?$"
    r"|^x(?:-[A-Za-z\d]{1,8})+$"
)
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$", re.IGNORECASE
)
_DURATION = re.compile(
    r"^P(?:(?=\d|T\d)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?|\d+(?:\.\d+)?W)$"
)
_VERSION = re.compile(r"^(1\.0(\.\d+)?|2\.0(\.\d+)?)$")
INTERACTION_TYPES = {
    "true-false": (),
    "choice": ("choices",),
    "fill-in": (),
    "long-fill-in": (),
    "matching": ("source", "target"),
    "performance": ("steps",),
    "sequencing": ("choices",),
    "likert": ("scale",),
    "numeric": (),
    "other": (),
}
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
# Whether the request speaks xAPI 2.0, whose statements may carry context agents and groups.
_version_2: ContextVar[bool] = ContextVar("kizuna_lrs_xapi_2", default=False)


def fail(where: str, what: str) -> None:
    raise XapiError(400, f"{where}: {what}")


def _object(value: Any, where: str, allowed: set[str], required: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(value, dict):
        fail(where, _("must be a JSON object"))
    unknown = set(value) - allowed
    if unknown:
        fail(
            where,
            _("has properties the specification does not define: %(names)s") % {"names": ", ".join(sorted(unknown))},
        )
    for key, item in value.items():
        if item is None:
            fail(f"{where}.{key}", _("must not be null"))
    for key in required:
        if key not in value:
            fail(where, _("needs %(name)s") % {"name": key})
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        fail(where, _("must be a string"))
    return value


def _iri(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _IRI.match(value):
        fail(where, _("must be an absolute IRI (with a scheme)"))
    return value


def _bool(value: Any, where: str) -> None:
    if not isinstance(value, bool):
        fail(where, _("must be true or false"))


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(where, _("must be a number"))
    return float(value)


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def _uuid(value: Any, where: str) -> str:
    if not is_uuid(value):
        fail(where, _("must be a UUID"))
    return value


def language_map(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        fail(where, _("must be a language map (an object of language tags)"))
    for tag, text in value.items():
        if not _LANG.match(tag):
            fail(where, _("%(tag)s is not an RFC 5646 language tag") % {"tag": repr(tag)})
        if not isinstance(text, str):
            fail(f"{where}.{tag}", _("must be a string"))


def extensions(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        fail(where, _("must be an object whose keys are IRIs"))
    for key in value:
        _iri(key, f"{where} key {key!r}")


def timestamp(value: Any, where: str) -> datetime:
    if not isinstance(value, str) or not _TIMESTAMP.match(value):
        fail(where, _("must be an ISO 8601 timestamp"))
    text = value.upper()
    if text.endswith("-00:00") or text.endswith("-0000") or text.endswith("-00"):
        fail(where, _("must not use the offset -00:00 (RFC 3339)"))
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        fail(where, _("must be an ISO 8601 timestamp"))
    return parsed


def agent(value: Any, where: str, *, object_type_required: bool = False) -> None:
    """An Agent: an optional objectType "Agent", an optional name and exactly one inverse functional identifier."""
    obj = _object(value, where, {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
    if object_type_required and obj.get("objectType") != "Agent":
        fail(where, _('needs objectType "Agent"'))
    if "objectType" in obj and obj["objectType"] != "Agent":
        fail(where, _('objectType must be "Agent"'))
    if "name" in obj:
        _string(obj["name"], f"{where}.name")
    if _ifi_count(obj, where) != 1:
        fail(where, _("needs exactly one of mbox, mbox_sha1sum, openid, account"))


def _ifi_count(obj: dict[str, Any], where: str) -> int:
    count = 0
    if "mbox" in obj:
        count += 1
        if not isinstance(obj["mbox"], str) or not _MAILTO.match(obj["mbox"]):
            fail(f"{where}.mbox", _('must be "mailto:" and an e-mail address'))
    if "mbox_sha1sum" in obj:
        count += 1
        if not isinstance(obj["mbox_sha1sum"], str) or not _SHA1.match(obj["mbox_sha1sum"]):
            fail(f"{where}.mbox_sha1sum", _("must be a SHA-1 in hexadecimal"))
    if "openid" in obj:
        count += 1
        _iri(obj["openid"], f"{where}.openid")
    if "account" in obj:
        count += 1
        account = _object(obj["account"], f"{where}.account", {"homePage", "name"}, ("homePage", "name"))
        _iri(account["homePage"], f"{where}.account.homePage")
        _string(account["name"], f"{where}.account.name")
    return count


def group(value: Any, where: str) -> None:
    obj = _object(value, where, {"objectType", "name", "member", "mbox", "mbox_sha1sum", "openid", "account"})
    if obj.get("objectType") != "Group":
        fail(where, _('needs objectType "Group"'))
    if "name" in obj:
        _string(obj["name"], f"{where}.name")
    count = _ifi_count(obj, where)
    if count > 1:
        fail(where, _("must have at most one of mbox, mbox_sha1sum, openid, account"))
    if "member" in obj:
        if not isinstance(obj["member"], list):
            fail(f"{where}.member", _("must be an array of Agents"))
        for i, member in enumerate(obj["member"]):
            agent(member, f"{where}.member[{i}]")
    elif count == 0:
        fail(where, _("an anonymous Group needs member"))


def actor(value: Any, where: str) -> None:
    if isinstance(value, dict) and value.get("objectType") == "Group":
        group(value, where)
    else:
        agent(value, where)


def verb(value: Any, where: str) -> None:
    obj = _object(value, where, {"id", "display"}, ("id",))
    _iri(obj["id"], f"{where}.id")
    if "display" in obj:
        language_map(obj["display"], f"{where}.display")


def _components(value: Any, where: str) -> None:
    if not isinstance(value, list):
        fail(where, _("must be an array of interaction components"))
    seen = set()
    for i, item in enumerate(value):
        comp = _object(item, f"{where}[{i}]", {"id", "description"}, ("id",))
        if not isinstance(comp["id"], str) or not comp["id"].strip():
            fail(f"{where}[{i}].id", _("must be a non-empty string"))
        if comp["id"] in seen:
            fail(f"{where}[{i}].id", _("repeats another component's id"))
        seen.add(comp["id"])
        if "description" in comp:
            language_map(comp["description"], f"{where}[{i}].description")


def activity_definition(value: Any, where: str) -> None:
    allowed = {"name", "description", "type", "moreInfo", "extensions", "interactionType", "correctResponsesPattern"}
    obj = _object(value, where, allowed | set(COMPONENT_LISTS))
    for key in ("name", "description"):
        if key in obj:
            language_map(obj[key], f"{where}.{key}")
    if "type" in obj:
        _iri(obj["type"], f"{where}.type")
    if "moreInfo" in obj:
        _iri(obj["moreInfo"], f"{where}.moreInfo")
    if "extensions" in obj:
        extensions(obj["extensions"], f"{where}.extensions")
    lists = [key for key in COMPONENT_LISTS if key in obj]
    if "interactionType" in obj:
        kind = obj["interactionType"]
        if not isinstance(kind, str) or kind not in INTERACTION_TYPES:
            fail(f"{where}.interactionType", _("must be one of %(names)s") % {"names": ", ".join(INTERACTION_TYPES)})
        for key in lists:
            if key not in INTERACTION_TYPES[kind]:
                fail(where, _("%(name)s is not allowed with interactionType %(kind)s") % {"name": key, "kind": kind})
    elif lists or "correctResponsesPattern" in obj:
        fail(where, _("interaction properties need interactionType"))
    for key in lists:
        _components(obj[key], f"{where}.{key}")
    if "correctResponsesPattern" in obj:
        pattern = obj["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern):
            fail(f"{where}.correctResponsesPattern", _("must be an array of strings"))


def activity(value: Any, where: str) -> None:
    obj = _object(value, where, {"objectType", "id", "definition"}, ("id",))
    if "objectType" in obj and obj["objectType"] != "Activity":
        fail(f"{where}.objectType", _('must be "Activity"'))
    _iri(obj["id"], f"{where}.id")
    if "definition" in obj:
        activity_definition(obj["definition"], f"{where}.definition")


def statement_ref(value: Any, where: str) -> None:
    obj = _object(value, where, {"objectType", "id"}, ("objectType", "id"))
    if obj["objectType"] != "StatementRef":
        fail(f"{where}.objectType", _('must be "StatementRef"'))
    _uuid(obj["id"], f"{where}.id")


def statement_object(value: Any, where: str, *, in_substatement: bool = False) -> None:
    if not isinstance(value, dict):
        fail(where, _("must be a JSON object"))
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        activity(value, where)
    elif kind == "Agent":
        agent(value, where, object_type_required=True)
    elif kind == "Group":
        group(value, where)
    elif kind == "StatementRef":
        statement_ref(value, where)
    elif kind == "SubStatement":
        if in_substatement:
            fail(where, _("a SubStatement cannot contain another SubStatement"))
        _statement_body(value, where, substatement=True)
    else:
        fail(f"{where}.objectType", _("must be Activity, Agent, Group, StatementRef or SubStatement"))


def result(value: Any, where: str) -> None:
    obj = _object(value, where, {"score", "success", "completion", "response", "duration", "extensions"})
    if "score" in obj:
        score = _object(obj["score"], f"{where}.score", {"scaled", "raw", "min", "max"})
        nums = {key: _number(score[key], f"{where}.score.{key}") for key in score}
        if "scaled" in nums and not -1 <= nums["scaled"] <= 1:
            fail(f"{where}.score.scaled", _("must be between -1 and 1"))
        if "min" in nums and "max" in nums and nums["min"] > nums["max"]:
            fail(f"{where}.score", _("min must not be above max"))
        if "raw" in nums:
            if "min" in nums and nums["raw"] < nums["min"]:
                fail(f"{where}.score.raw", _("must not be below min"))
            if "max" in nums and nums["raw"] > nums["max"]:
                fail(f"{where}.score.raw", _("must not be above max"))
    for key in ("success", "completion"):
        if key in obj:
            _bool(obj[key], f"{where}.{key}")
    if "response" in obj:
        _string(obj["response"], f"{where}.response")
    if "duration" in obj and (not isinstance(obj["duration"], str) or not _DURATION.match(obj["duration"])):
        fail(f"{where}.duration", _("must be an ISO 8601 duration such as PT3M12S"))
    if "extensions" in obj:
        extensions(obj["extensions"], f"{where}.extensions")


def _activities(value: Any, where: str) -> None:
    items = value if isinstance(value, list) else [value]
    for i, item in enumerate(items):
        activity(item, f"{where}[{i}]" if isinstance(value, list) else where)


def context(value: Any, where: str, object_kind: str) -> None:
    allowed = {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
    if _version_2.get():
        allowed |= {"contextAgents", "contextGroups"}
    obj = _object(value, where, allowed)
    for key, kind, inner in (("contextAgents", "contextAgent", "agent"), ("contextGroups", "contextGroup", "group")):
        if key in obj:
            if not isinstance(obj[key], list):
                fail(f"{where}.{key}", _("must be an array"))
            for i, item in enumerate(obj[key]):
                here = f"{where}.{key}[{i}]"
                entry = _object(item, here, {"objectType", inner, "relevantTypes"}, ("objectType", inner))
                if entry["objectType"] != kind:
                    fail(f"{here}.objectType", _('must be "%(kind)s"') % {"kind": kind})
                (agent if inner == "agent" else group)(entry[inner], f"{here}.{inner}")
                if "relevantTypes" in entry:
                    types = entry["relevantTypes"]
                    if not isinstance(types, list) or not types:
                        fail(f"{here}.relevantTypes", _("must be a non-empty array of IRIs"))
                    for j, iri in enumerate(types):
                        _iri(iri, f"{here}.relevantTypes[{j}]")
    if "registration" in obj:
        _uuid(obj["registration"], f"{where}.registration")
    if "instructor" in obj:
        actor(obj["instructor"], f"{where}.instructor")
    if "team" in obj:
        group(obj["team"], f"{where}.team")
    if "contextActivities" in obj:
        ca = _object(
            obj["contextActivities"], f"{where}.contextActivities", {"parent", "grouping", "category", "other"}
        )
        for key, item in ca.items():
            _activities(item, f"{where}.contextActivities.{key}")
    for key in ("revision", "platform"):
        if key in obj:
            _string(obj[key], f"{where}.{key}")
            if object_kind != "Activity":
                fail(f"{where}.{key}", _("is allowed only when the object is an Activity"))
    if "language" in obj and (not isinstance(obj["language"], str) or not _LANG.match(obj["language"])):
        fail(f"{where}.language", _("must be an RFC 5646 language tag"))
    if "statement" in obj:
        statement_ref(obj["statement"], f"{where}.statement")
    if "extensions" in obj:
        extensions(obj["extensions"], f"{where}.extensions")


def attachment(value: Any, where: str) -> None:
    allowed = {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
    obj = _object(value, where, allowed, ("usageType", "display", "contentType", "length", "sha2"))
    _iri(obj["usageType"], f"{where}.usageType")
    language_map(obj["display"], f"{where}.display")
    if "description" in obj:
        language_map(obj["description"], f"{where}.description")
    _string(obj["contentType"], f"{where}.contentType")
    if isinstance(obj["length"], bool) or not isinstance(obj["length"], int) or obj["length"] < 0:
        fail(f"{where}.length", _("must be a whole number of octets"))
    if not isinstance(obj["sha2"], str) or not re.match(r"^[0-9a-fA-F]{56,128}$", obj["sha2"]):
        fail(f"{where}.sha2", _("must be a SHA-2 hash in hexadecimal"))
    if "fileUrl" in obj:
        _iri(obj["fileUrl"], f"{where}.fileUrl")


def _statement_body(value: Any, where: str, *, substatement: bool) -> None:
    top = {"actor", "verb", "object", "result", "context", "timestamp", "attachments"}
    if substatement:
        obj = _object(value, where, top | {"objectType"}, ("actor", "verb", "object"))
    else:
        obj = _object(value, where, top | {"id", "stored", "authority", "version"}, ("actor", "verb", "object"))
        if "id" in obj:
            _uuid(obj["id"], f"{where}.id")
        if "stored" in obj:
            timestamp(obj["stored"], f"{where}.stored")
        if "authority" in obj:
            _authority(obj["authority"], f"{where}.authority")
        if "version" in obj and (not isinstance(obj["version"], str) or not _VERSION.match(obj["version"])):
            fail(f"{where}.version", _("must be 1.0.x (or 2.0.x)"))
    actor(obj["actor"], f"{where}.actor")
    verb(obj["verb"], f"{where}.verb")
    statement_object(obj["object"], f"{where}.object", in_substatement=substatement)
    if "result" in obj:
        result(obj["result"], f"{where}.result")
    if "context" in obj:
        kind = obj["object"].get("objectType", "Activity")
        context(obj["context"], f"{where}.context", kind)
    if "timestamp" in obj:
        timestamp(obj["timestamp"], f"{where}.timestamp")
    if "attachments" in obj:
        if not isinstance(obj["attachments"], list):
            fail(f"{where}.attachments", _("must be an array"))
        for i, item in enumerate(obj["attachments"]):
            attachment(item, f"{where}.attachments[{i}]")
    voiding = obj["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided" and not substatement
    if voiding and obj["object"].get("objectType") != "StatementRef":
        fail(f"{where}.object", _("a voiding statement's object must be a StatementRef"))


def _authority(value: Any, where: str) -> None:
    if isinstance(value, dict) and value.get("objectType") == "Group":
        group(value, where)
        if any(key in value for key in ("mbox", "mbox_sha1sum", "openid", "account")):
            fail(where, _("a Group authority must be anonymous (an OAuth consumer and user)"))
        if len(value.get("member", [])) != 2:
            fail(where, _("a Group authority must have exactly two members (OAuth consumer and user)"))
    else:
        agent(value, where)


def statement(value: Any, version: str = "1.0.3") -> None:
    """Refuse (400) anything that is not a valid xAPI statement (of this version of the specification)."""
    token = _version_2.set(version.startswith("2"))
    try:
        _statement_body(value, "statement", substatement=False)
    finally:
        _version_2.reset(token)


def agent_param(text: str | None, name: str = "agent", *, group_allowed: bool = True) -> dict[str, Any]:
    """Parse and check an Agent (or Group) given as JSON in a query parameter."""
    import json

    if text is None:
        raise XapiError(400, _("The %(name)s parameter is required.") % {"name": name})
    try:
        value = json.loads(text)
    except ValueError:
        raise XapiError(400, _("The %(name)s parameter must be an Agent as JSON.") % {"name": name}) from None
    if group_allowed and isinstance(value, dict) and value.get("objectType") == "Group":
        group(value, name)
    else:
        agent(value, name)
    return value


def iri_param(text: str | None, name: str) -> str:
    if text is None:
        raise XapiError(400, _("The %(name)s parameter is required.") % {"name": name})
    return _iri(text, name)


def uuid_param(text: str | None, name: str) -> uuid.UUID | None:
    if text is None:
        return None
    if not is_uuid(text):
        raise XapiError(400, _("The %(name)s parameter must be a UUID.") % {"name": name})
    return uuid.UUID(text)


_SECONDS = re.compile(r"(\d+)(?:\.(\d+))?S$")


def comparable_durations(st: dict[str, Any]) -> dict[str, Any]:
    """A copy whose result durations keep only hundredths of a second (statements compare at that precision)."""

    def truncate(duration: str) -> str:
        return _SECONDS.sub(lambda m: f"{m.group(1)}.{(m.group(2) or '').ljust(2, '0')[:2]}S", duration)

    def fix(holder: dict[str, Any]) -> dict[str, Any]:
        result = holder.get("result")
        if isinstance(result, dict) and isinstance(result.get("duration"), str):
            holder = {**holder, "result": {**result, "duration": truncate(result["duration"])}}
        return holder

    data = fix(st)
    obj = data.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        data = {**data, "object": fix(obj)}
    return data
