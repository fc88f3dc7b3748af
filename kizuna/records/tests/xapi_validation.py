"""Check statements against xAPI 1.0.3 with a well-kept validator, and the xAPI Video Profile where it applies.

The validator is Ralph's (``ralph-malph``, France Université Numérique's LRS): its pydantic models of an xAPI
statement (types, IRIs, RFC 5646 language tags, no empty value outside extensions, platform only with an
Activity) and of the Video Profile's statements (verbs, the profile's category, the result and context
extensions each template requires). On top of it, what xAPI demands and Ralph does not check: no null value
anywhere, ids and registrations (and the Video Profile's session-id) RFC 4122 UUIDs, no empty list outside
extensions, an authority on every statement.
"""

import uuid
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.video.statements import (
    VideoCompleted,
    VideoInitialized,
    VideoPaused,
    VideoPlayed,
    VideoSeeked,
    VideoTerminated,
)

VIDEO_TYPE = "https://w3id.org/xapi/video/activity-type/video"
SESSION_ID = "https://w3id.org/xapi/video/extensions/session-id"
VIDEO_MODELS = {
    "http://adlnet.gov/expapi/verbs/initialized": VideoInitialized,
    "https://w3id.org/xapi/video/verbs/played": VideoPlayed,
    "https://w3id.org/xapi/video/verbs/paused": VideoPaused,
    "https://w3id.org/xapi/video/verbs/seeked": VideoSeeked,
    "http://adlnet.gov/expapi/verbs/completed": VideoCompleted,
    "http://adlnet.gov/expapi/verbs/terminated": VideoTerminated,
}


def _empties(value: Any, path: str, *, in_extension: bool = False) -> Iterator[str]:
    if value is None:
        yield f"{path} is null"
    elif isinstance(value, dict):
        if not value and not in_extension:
            yield f"{path} is an empty object"
        for key, item in value.items():
            yield from _empties(item, f"{path}.{key}", in_extension=in_extension or key == "extensions")
    elif isinstance(value, list):
        if not value and not in_extension:
            yield f"{path} is an empty list"
        for index, item in enumerate(value):
            yield from _empties(item, f"{path}[{index}]", in_extension=in_extension)


def _not_rfc4122(text: Any) -> bool:
    try:
        return uuid.UUID(str(text)).variant != uuid.RFC_4122
    except ValueError:
        return True


def _errors(model: Any, data: dict[str, Any], label: str) -> list[str]:
    try:
        model.model_validate(data)
    except ValidationError as error:
        return [f"{label} {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
    return []


def is_video_statement(statement: dict[str, Any]) -> bool:
    definition = statement.get("object", {}).get("definition", {})
    return definition.get("type") == VIDEO_TYPE and statement["verb"]["id"] in VIDEO_MODELS


def xapi_problems(statement: dict[str, Any], *, video_profile: bool = True) -> list[str]:
    """Return what makes the statement invalid xAPI 1.0.3 (or break the Video Profile); empty when valid.

    ``video_profile=False`` for statements stored before Kizuna spoke the Video Profile: valid xAPI, but a
    video's ``completed`` of then is not the profile's."""
    problems = _errors(BaseXapiStatement, statement, "xAPI")
    problems += list(_empties(statement, "statement"))
    context = statement.get("context", {})
    for where, value in (("id", statement.get("id")), ("context.registration", context.get("registration"))):
        if value is not None and _not_rfc4122(value):
            problems.append(f"{where} {value} is not an RFC 4122 UUID")
    if "authority" not in statement:
        problems.append("no authority")
    if video_profile and is_video_statement(statement):
        session_id = context.get("extensions", {}).get(SESSION_ID)
        if session_id is not None and _not_rfc4122(session_id):
            problems.append(f"session-id {session_id} is not an RFC 4122 UUID")
        # Ralph's profile models accept only an en-US display of the verb, narrower than xAPI: check the rest.
        bare = {**statement, "verb": {"id": statement["verb"]["id"]}}
        problems += _errors(VIDEO_MODELS[statement["verb"]["id"]], bare, "Video Profile")
    return problems
