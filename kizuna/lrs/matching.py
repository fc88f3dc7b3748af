"""Which of our published things a statement from outside is about: the activity ids Kizuna publishes.

A lesson (`<site>/xapi/activities/lesson/<key>/v<n>`), a SCO of a package lesson (`…/v<n>/sco/<identifier>`, as
our package player names it), a course (`<site>/xapi/activities/course/<key>`), and whatever an app that owns
content registers here (cmi5 registers its LMS ids `<site>/xapi/cmi5/<key>[/au/<n>]` and the publisher's ids in
cmi5.xml): the LRS sits above the catalog but below cmi5, so cmi5 fills this slot instead of being imported.
Matching only names the thing; whether the person may open it, and what counts, is kizuna.lrs.feed's.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from kizuna.catalog.selectors import course_id_for_activity_iri, lesson_id_for_activity_iri

LESSON, SCO, COURSE, CONTENT = "lesson", "sco", "course", "content"


@dataclass(frozen=True)
class Target:
    """What an activity id names: a lesson, a SCO of a package lesson, a course, or a content of some kind (its
    id in the owning app), which reaches the rep through the published lesson showing it."""

    kind: str
    id: int
    # A SCO's identifier in the manifest; for a content, which part of it ("course", "au").
    part: str = ""
    content_kind: str = ""
    # The short verbs that meet this part's goal on their own (a cmi5 AU: its moveOn, in a course of one AU).
    meets: frozenset[str] = field(default_factory=frozenset)


# (the object's activity id, the whole statement) -> a Target, or None when the resolver does not know it.
Resolver = Callable[[str, dict[str, Any]], Target | None]
_RESOLVERS: list[Resolver] = []


def register_activity_resolver(resolver: Resolver) -> None:
    """Add a content app's resolver (call it from the app's AppConfig.ready())."""
    if resolver not in _RESOLVERS:
        _RESOLVERS.append(resolver)


def target_for(iri: str, statement: dict[str, Any]) -> Target | None:
    """Return what this activity id names, or None (the statement is then only stored)."""
    sco_at = iri.find("/sco/")
    if sco_at >= 0:
        identifier = iri[sco_at + len("/sco/") :]
        if not identifier or "/" in identifier:  # an interaction of the SCO, or nothing
            return None
        lesson_id = lesson_id_for_activity_iri(iri[:sco_at])
        return Target(SCO, lesson_id, part=unquote(identifier)) if lesson_id is not None else None
    lesson_id = lesson_id_for_activity_iri(iri)
    if lesson_id is not None:
        return Target(LESSON, lesson_id)
    course_id = course_id_for_activity_iri(iri)
    if course_id is not None:
        return Target(COURSE, course_id)
    for resolver in _RESOLVERS:
        target = resolver(iri, statement)
        if target is not None:
            return target
    return None


def match_key(iri: str, statement: dict[str, Any]) -> tuple[str, ...]:
    """What target_for reads of a statement, so a batch resolves each distinct one once: the object's id, and the
    grouping's ids (where a cmi5 LMS puts the publisher's id of the AU, block or course)."""
    grouping = statement.get("context", {}).get("contextActivities", {}).get("grouping") or []
    ids = [item.get("id", "") for item in grouping if isinstance(item, dict)] if isinstance(grouping, list) else []
    return (iri, *ids)
