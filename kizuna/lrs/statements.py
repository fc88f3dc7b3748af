"""The Statements resource's writes and reads: store statements (validated, once, with authority and stored),
void, and query with the xAPI filters and `more` paging. Partner-scoped credentials see only their partner's.
"""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.records.projections import reps_hold

from . import inserts, validation
from .feed import statements_feed
from .forwarding import forward_enqueue
from .http import XapiError
from .models import LrsActivity, LrsCredential, LrsStatement, LrsStatementKey
from .people import partner_id_of, people_for_agents
from .selectors import forwarding_exists

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
# Statements per page when the client asks for none (or 0), and the most it may ask for.
PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
_MORE_SALT = "kizuna.lrs.more"
# Properties an LRS sets itself: two statements that differ only in these are the same statement.
_LRS_SET = ("id", "authority", "stored", "version")


def format_time(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def authority_for(credential: LrsCredential) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": credential.name,
        "account": {"homePage": f"{settings.SITE_URL}/xapi/", "name": credential.key},
    }


# --- keys of agents and activities, for the filters -------------------------------------------------------


def agent_key(agent: dict[str, Any]) -> str | None:
    if "mbox" in agent:
        return "mbox:" + agent["mbox"]
    if "mbox_sha1sum" in agent:
        return "sha1:" + agent["mbox_sha1sum"].lower()
    if "openid" in agent:
        return "openid:" + agent["openid"]
    if "account" in agent:
        return "account:" + agent["account"]["homePage"] + "|" + agent["account"]["name"]
    return None


def _agent_keys(agent: Any) -> list[str]:
    if not isinstance(agent, dict):
        return []
    keys = [key for key in [agent_key(agent)] if key]
    for member in agent.get("member", []) if agent.get("objectType") == "Group" else []:
        keys += _agent_keys(member)
    return keys


def _context_keys(context: dict[str, Any]) -> tuple[list[str], list[str]]:
    agents = _agent_keys(context.get("instructor")) + _agent_keys(context.get("team"))
    for entry in context.get("contextAgents", []):
        agents += _agent_keys(entry.get("agent"))
    for entry in context.get("contextGroups", []):
        agents += _agent_keys(entry.get("group"))
    activities = []
    for items in context.get("contextActivities", {}).values():
        for item in items if isinstance(items, list) else [items]:
            activities.append(item["id"])
    return agents, activities


def statement_keys(st: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(kind, key, related) of every agent and activity the statement names."""
    keys: list[tuple[str, str, bool]] = []
    obj = st["object"]
    kind = obj.get("objectType", "Activity")
    keys += [("agent", k, False) for k in _agent_keys(st["actor"])]
    if kind in ("Agent", "Group"):
        keys += [("agent", k, False) for k in _agent_keys(obj)]
    if kind == "Activity":
        keys.append(("activity", obj["id"], False))
    related_agents = _agent_keys(st.get("authority"))
    related_activities: list[str] = []
    agents, activities = _context_keys(st.get("context", {}))
    related_agents += agents
    related_activities += activities
    if kind == "SubStatement":
        related_agents += _agent_keys(obj["actor"])
        sub_obj = obj["object"]
        if sub_obj.get("objectType", "Activity") == "Activity":
            related_activities.append(sub_obj["id"])
        else:
            related_agents += _agent_keys(sub_obj)
        agents, activities = _context_keys(obj.get("context", {}))
        related_agents += agents
        related_activities += activities
    keys += [("agent", k, True) for k in related_agents]
    keys += [("activity", k, True) for k in related_activities]
    return list(dict.fromkeys(keys))


# --- writes ------------------------------------------------------------------------------------------------


def _comparable(st: dict[str, Any], *, keep_timestamp: bool) -> str:
    data = validation.comparable_durations({k: v for k, v in st.items() if k not in _LRS_SET})
    if not keep_timestamp:
        data.pop("timestamp", None)
    return json.dumps(data, sort_keys=True)


def _scope_partner(credential: LrsCredential, person: Any) -> tuple[int | None, Any]:
    """Whose statement this is, and the person it is about if known; a partner credential writes only its own."""
    person_partner = partner_id_of(person) if person is not None else None
    if credential.partner_id is not None:
        if person is not None and person_partner != credential.partner_id:
            raise XapiError(403, _("This credential may not write statements about people of another organization."))
        return credential.partner_id, person
    return person_partner, person


def _merged(old: dict[str, Any], definition: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    for key, value in definition.items():
        if key in ("name", "description") and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _merge_activities(activities: list[dict[str, Any]]) -> None:
    """Fold the definitions these statements give into the canonical ones (activities without one add nothing)."""
    definitions: dict[str, dict[str, Any]] = {}
    for activity in activities:
        if activity.get("definition"):
            definitions[activity["id"]] = _merged(definitions.get(activity["id"], {}), activity["definition"])
    if not definitions:
        return
    if inserts.fast():
        _merge_activities_fast(definitions)
        return
    rows = {
        row.activity_id: row
        for row in LrsActivity.objects.select_for_update().filter(activity_id__in=list(definitions))
    }
    new = [LrsActivity(activity_id=i, definition=d) for i, d in definitions.items() if i not in rows]
    # Two requests defining the same new activity at once: the second one's insert is ignored, not an error.
    LrsActivity.objects.bulk_create(new, ignore_conflicts=True)
    for activity_id, row in rows.items():
        merged = _merged(row.definition, definitions[activity_id])
        if merged != row.definition:
            row.definition = merged
            row.save(update_fields=["definition", "updated_at"])


def _merge_activities_fast(definitions: dict[str, dict[str, Any]]) -> None:
    """The same on PostgreSQL, without a row lock when nothing changes (the usual case: a tool sends the same
    definition with every statement): read, insert the new ones, and lock and merge again only those to change."""
    now = timezone.now()
    stored = inserts.activities_read(list(definitions), lock=False)
    new = {i: d for i, d in definitions.items() if i not in stored}
    if new:
        inserts.activities_insert(new, now)
    changing = [i for i, old in stored.items() if _merged(old, definitions[i]) != old]
    if changing:
        locked = inserts.activities_read(changing, lock=True)
        merged = {i: _merged(old, definitions[i]) for i, old in locked.items()}
        inserts.activities_update({i: d for i, d in merged.items() if d != locked[i]}, now)


def _activities_of(st: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for holder in (st, st["object"] if st["object"].get("objectType") == "SubStatement" else {}):
        obj = holder.get("object", {})
        if obj and obj.get("objectType", "Activity") == "Activity":
            found.append(obj)
        for items in holder.get("context", {}).get("contextActivities", {}).values():
            found += items if isinstance(items, list) else [items]
    return found


def statements_store(
    *, credential: LrsCredential, statements: list[dict[str, Any]], version: str = "1.0.3", validated: bool = False
) -> list[str]:
    """Validate and store statements (all or none); return their ids in order.

    A statement whose id is stored already is skipped when it is the same statement and refused with 409 when
    it is not. The authority is the credential's; `stored`, a missing `timestamp`, `id` and `version` are set here.

    The queries do not grow with the batch: the people the actors name (one per kind of identifier), one
    INSERT … ON CONFLICT DO NOTHING of the rows (an id stored already is found by what it did not insert, and
    only then read back to compare), one of their filter keys, the activity definitions, and the forwarders'
    outbox when any forwarder exists.
    """
    if not statements:
        raise XapiError(400, _("Send a statement or a non-empty array of statements."))
    if not validated:  # validated=True: the caller has just validated these statements for this version
        for st in statements:
            validation.statement(st, version)
    ids = [st.get("id") or str(uuid.uuid4()) for st in statements]
    as_uuids = [uuid.UUID(i) for i in ids]
    if len(set(as_uuids)) != len(as_uuids):
        raise XapiError(400, _("The same statement id appears twice in this batch."))
    now = timezone.now()
    stored_text = format_time(now)
    authority = authority_for(credential)
    with transaction.atomic():
        targets = _voiding_targets(statements, credential)
        people = people_for_agents([st["actor"] for st in statements])
        # Our reps among the actors, before anything is locked: a rebuild of theirs ends first (their statements
        # are projected below), and no other batch waits behind this one on an activity's definition meanwhile.
        reps_hold(*(person.pk for person in people if person is not None))
        rows, feeds = [], []
        for st, sid, suid, found in zip(statements, ids, as_uuids, people, strict=True):
            partner_id, person = _scope_partner(credential, found)
            data = _with_arrays(st)
            data["id"] = sid
            data["authority"] = authority
            data["stored"] = stored_text
            data.setdefault("timestamp", stored_text)
            data.setdefault("version", "2.0.0" if version.startswith("2") else "1.0.0")
            obj = st["object"]
            refers_to = uuid.UUID(obj["id"]) if obj.get("objectType") == "StatementRef" else None
            voids = refers_to if st["verb"]["id"] == VOIDED else None
            row = LrsStatement(
                statement_id=suid,
                data=data,
                partner_id=partner_id,
                credential_id=credential.pk,
                verb=st["verb"]["id"],
                registration=st.get("context", {}).get("registration"),
                stored=now,
                voids=voids,
                refers_to=refers_to,
            )
            rows.append(row)
            feeds.append((person, data))
        inserted = statement_rows_insert(rows, forwarding=forwarding_exists(credential))
        if len(inserted) != len(rows):
            _check_repeats(credential, statements, ids, rows, {row.statement_id for row in inserted})
        if targets:
            _scoped(LrsStatement.objects.all(), credential).filter(statement_id__in=targets).update(voided=True)
        fresh = {row.statement_id for row in inserted}
        statements_feed(
            [
                (person, data)
                for (person, data), row in zip(feeds, rows, strict=True)
                if person is not None and row.statement_id in fresh
            ]
        )
    return ids


def _check_repeats(
    credential: LrsCredential,
    statements: list[dict[str, Any]],
    ids: list[str],
    rows: list[LrsStatement],
    inserted: set[uuid.UUID],
) -> None:
    """The statements whose id was stored already: the same statement is skipped, anything else is a conflict."""
    repeated = [
        (st, sid, row) for st, sid, row in zip(statements, ids, rows, strict=True) if row.statement_id not in inserted
    ]
    existing = {
        row.statement_id: row
        for row in LrsStatement.objects.filter(statement_id__in=[row.statement_id for _st, _sid, row in repeated]).only(
            "statement_id", "partner_id", "data"
        )
    }
    for st, sid, row in repeated:
        old = existing.get(row.statement_id)
        if old is None or (credential.partner_id is not None and old.partner_id != credential.partner_id):
            # Stored by another partner's credential: never say what it holds.
            raise XapiError(409, _("A statement with this id exists already."))
        keep = "timestamp" in st
        if _comparable(old.data, keep_timestamp=keep) != _comparable(st, keep_timestamp=keep):
            raise XapiError(409, _("Statement %(id)s exists already with different content.") % {"id": sid})


def statement_rows_insert(rows: list[LrsStatement], *, forwarding: bool | None = None) -> list[LrsStatement]:
    """Insert statements (their `data` complete) unless their id is stored already, with the agent and activity
    keys the filters read, the activities' merged definitions and the forwarders' outbox rows; inside the
    caller's transaction. Return the rows inserted (with their seq). `forwarding=False`: no forwarder existed
    when the request began (read with its credential), so the outbox is not looked at."""
    inserted = _insert_new(rows)
    if not inserted:
        return []
    _keys_insert(
        [
            (row.seq, kind, key[:1000], related, row.verb)
            for row in inserted
            for kind, key, related in statement_keys(row.data)
        ]
    )
    _merge_activities([a for row in inserted for a in _activities_of(row.data)])
    if forwarding is not False:
        forward_enqueue(inserted)
    return inserted


_STATEMENT_FIELDS = [f for f in LrsStatement._meta.concrete_fields if f.name != "seq"]


def _rows_per_query(fields: int) -> int:
    """How many rows one INSERT may carry: PostgreSQL takes 65,535 parameters, SQLite 32,766 since 3.32."""
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 32):
        return max(1, 999 // fields)
    return max(1, 30000 // fields)


def _insert_new(rows: list[LrsStatement]) -> list[LrsStatement]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING seq, statement_id: the rows whose id was new, with their seq."""
    if inserts.fast():
        seqs = inserts.statements_insert(rows)
        for row in rows:
            if row.statement_id in seqs:
                row.seq = seqs[row.statement_id]
                row._state.adding = False
        return sorted((row for row in rows if row.statement_id in seqs), key=lambda row: row.seq)
    inserted: list[LrsStatement] = []
    by_id = {row.statement_id: row for row in rows}
    id_field = LrsStatement._meta.get_field("statement_id")
    step = _rows_per_query(len(_STATEMENT_FIELDS))
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        # One row: RETURNING gives its seq or nothing. Several: the seq and id of each row inserted.
        returning = [LrsStatement._meta.pk] if len(chunk) == 1 else [LrsStatement._meta.pk, id_field]
        returned = LrsStatement._base_manager._insert(  # type: ignore[attr-defined]
            chunk, fields=_STATEMENT_FIELDS, returning_fields=returning, on_conflict=OnConflict.IGNORE
        )
        for values in returned or []:
            if values is None or values[0] is None:  # the one row was not inserted
                continue
            row = chunk[0] if len(chunk) == 1 else by_id[_as_uuid(values[1])]
            row.seq = values[0]
            row._state.adding = False
            inserted.append(row)
    inserted.sort(key=lambda row: row.seq)
    return inserted


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _keys_insert(keys: list[tuple[int | None, str, str, bool, str]]) -> None:
    """Insert the filter keys as plain multi-row VALUES: on PostgreSQL, Django's bulk_create sends them as
    UNNEST arrays, which psycopg quotes element by element in Python (a third of a batch's CPU time)."""
    if not keys:
        return
    if inserts.fast():
        inserts.keys_insert(keys)
        return
    from django.db import connection

    table = connection.ops.quote_name(LrsStatementKey._meta.db_table)
    step = _rows_per_query(5)
    with connection.cursor() as cursor:
        for start in range(0, len(keys), step):
            chunk = keys[start : start + step]
            cursor.execute(
                f"INSERT INTO {table} (statement_id, kind, key, related, verb) VALUES "  # noqa: S608 (names are ours)
                + ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk)),
                [value for key in chunk for value in key],
            )


def _with_arrays(st: dict[str, Any]) -> dict[str, Any]:
    """A copy in which every contextActivities entry is an array (the form the LRS returns)."""
    data = dict(st)
    for holder in (data, data["object"] if data["object"].get("objectType") == "SubStatement" else None):
        if holder is None or "context" not in holder:
            continue
        ctx = dict(holder["context"])
        if "contextActivities" in ctx:
            ctx["contextActivities"] = {
                k: v if isinstance(v, list) else [v] for k, v in ctx["contextActivities"].items()
            }
        if holder is data:
            data["context"] = ctx
        else:
            data["object"] = {**data["object"], "context": ctx}
    return data


def _voiding_targets(statements: list[dict[str, Any]], credential: LrsCredential) -> list[uuid.UUID]:
    targets = [uuid.UUID(st["object"]["id"]) for st in statements if st["verb"]["id"] == VOIDED]
    if not targets:
        return []
    voiding = set(
        _scoped(LrsStatement.objects.all(), credential)
        .filter(statement_id__in=targets, voids__isnull=False)
        .values_list("statement_id", flat=True)
    )
    if voiding:
        raise XapiError(400, _("A voiding statement cannot be voided."))
    return targets


# --- reads -------------------------------------------------------------------------------------------------


def _scoped(statements: QuerySet[LrsStatement], credential: LrsCredential) -> QuerySet[LrsStatement]:
    if credential.partner_id is not None:
        return statements.filter(partner_id=credential.partner_id)
    return statements


def statement_get(*, credential: LrsCredential, statement_id: uuid.UUID, voided: bool) -> LrsStatement | None:
    """The statement with this id if this credential may read it (voided ones only with voided=True)."""
    return _scoped(LrsStatement.objects.all(), credential).filter(statement_id=statement_id, voided=voided).first()


QUERY_PARAMS = {
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
}


def _flag(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise XapiError(400, _("The %(name)s parameter must be true or false.") % {"name": name})
    return value == "true"


def parse_query(params: dict[str, str]) -> dict[str, Any]:
    """Check the filter parameters of a statement query; return them in a form `statements_query` takes."""
    unknown = set(params) - QUERY_PARAMS
    if unknown:
        raise XapiError(400, _("Unknown parameters: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    query: dict[str, Any] = {}
    if "agent" in params:
        key = agent_key(validation.agent_param(params["agent"]))
        if key is None:
            raise XapiError(400, _("The agent parameter needs an identified Agent or Group."))
        query["agent"] = key
    if "verb" in params:
        query["verb"] = validation.iri_param(params["verb"], "verb")
    if "activity" in params:
        query["activity"] = validation.iri_param(params["activity"], "activity")
    if "registration" in params:
        query["registration"] = str(validation.uuid_param(params["registration"], "registration"))
    for name in ("since", "until"):
        if name in params:
            validation.timestamp(params[name], name)
            query[name] = params[name]
    query["related_activities"] = _flag(params, "related_activities")
    query["related_agents"] = _flag(params, "related_agents")
    query["ascending"] = _flag(params, "ascending")
    try:
        limit = int(params.get("limit", "0"))
    except ValueError:
        raise XapiError(400, _("The limit parameter must be a whole number.")) from None
    if limit < 0:
        raise XapiError(400, _("The limit parameter must not be negative."))
    query["limit"] = min(limit or PAGE_SIZE, MAX_PAGE_SIZE)
    return query


def statements_query(
    *, credential: LrsCredential, query: dict[str, Any], after: int | None = None
) -> tuple[list[LrsStatement], int | None]:
    """One page of the statements matching the query, and the seq to continue after (None on the last page).

    With an agent or an activity the page is read from that filter's key rows (with the verb, when one is
    asked, from the key index that has it), newest or oldest first, joined to the statements and stopped after
    a page: the cost does not grow with how many statements the agent or activity has.
    """
    scoped = _scoped(LrsStatement.objects.all(), credential)
    qs = scoped
    lead: dict[str, Any] = {}  # the conditions on the key rows the page is read along (one join)
    for name, kind, related in (
        ("agent", LrsStatementKey.Kind.AGENT, "related_agents"),
        ("activity", LrsStatementKey.Kind.ACTIVITY, "related_activities"),
    ):
        if name not in query:
            continue
        conditions: dict[str, Any] = {"kind": kind, "key": query[name]}
        if not query[related]:
            conditions["related"] = False
        if not lead:
            lead = {f"keys__{field}": value for field, value in conditions.items()}
            if "verb" in query:
                lead["keys__verb"] = query["verb"]
        else:
            qs = qs.filter(seq__in=LrsStatementKey.objects.filter(**conditions).values("statement_id"))
    if "verb" in query and "keys__verb" not in lead:
        qs = qs.filter(verb=query["verb"])
    if "registration" in query:
        qs = qs.filter(registration=query["registration"])
    ascending = query["ascending"]
    limit = query["limit"]
    found: dict[int, LrsStatement] = {}
    # A statement that targets a matching statement (StatementRef, voiding included) matches too. The two sets
    # are read apart, each one page in order, and merged: one query with an OR of both would walk the whole
    # store in seq order, testing each row, where each part alone uses its index.
    direct = qs.filter(voided=False)
    if "since" in query:
        direct = direct.filter(stored__gt=validation.timestamp(query["since"], "since"))
    if "until" in query:
        direct = direct.filter(stored__lte=validation.timestamp(query["until"], "until"))
    for row in _page_along(direct, lead, ascending=ascending, after=after, size=limit + 1):
        found[row.seq] = row
    matching = qs.filter(**lead) if lead else qs
    if matching is not scoped:
        # The referring statements are walked in stored order along their own index (statements with a
        # StatementRef only), each one's target looked up by id: the cost is the referring statements read, not
        # the matches nor the store. When the direct page is full, only those before its last one can join the
        # page, so the walk stops there too (a store holding many StatementRefs is not read to its end).
        refs = scoped.filter(voided=False, refers_to__isnull=False).filter(
            Exists(matching.filter(statement_id=OuterRef("refers_to")))
        )
        if "since" in query:
            refs = refs.filter(stored__gt=validation.timestamp(query["since"], "since"))
        if "until" in query:
            refs = refs.filter(stored__lte=validation.timestamp(query["until"], "until"))
        if len(found) > limit:
            last = max(found) if ascending else min(found)
            refs = refs.filter(**{f"seq__{'lte' if ascending else 'gte'}": last})
        for row in _page_along(refs, {}, ascending=ascending, after=after, size=limit + 1):
            found[row.seq] = row
    page = [found[seq] for seq in sorted(found, reverse=not ascending)][: limit + 1]
    if len(page) > limit:
        page = page[:limit]
        return page, page[-1].seq
    return page, None


def _page_along(
    part: QuerySet[LrsStatement], join: dict[str, Any], *, ascending: bool, after: int | None, size: int
) -> list[LrsStatement]:
    """Up to `size` statements of `part` in seq order after `after`. With key conditions (`join`), read along
    those key rows: the position bound is put on the key rows too (in the same join), so PostgreSQL starts the
    index range there; a statement naming the agent twice comes twice and is kept once (read on if needed).

    The key rows are indexed by (kind, key, verb, statement) only. Without a verb in the query, the page is read
    along each verb's range of the agent or activity and the ranges merged (`_verb_ranges`), so it stays one
    page of reading per verb however many statements the agent or activity has."""
    order = "seq" if ascending else "-seq"
    bound_field = "keys__statement" if join else "seq"
    verbs = _key_verbs(join) if join and "keys__verb" not in join else None
    rows: list[LrsStatement] = []
    seen: set[int] = set()
    while True:
        conditions = dict(join)
        if after is not None:
            conditions[f"{bound_field}__{'gt' if ascending else 'lt'}"] = after
        if verbs is not None:
            got = _verb_ranges(part, conditions, verbs, order=order, size=size)
        else:
            got = list(part.filter(**conditions).order_by(order)[:size])
        for row in got:
            if row.seq not in seen:
                seen.add(row.seq)
                rows.append(row)
        if len(got) < size or len(rows) >= size or not join:
            return rows[:size]
        after = got[-1].seq


# More verbs than this under one agent or activity, and its page is read as one range sorted (not merged).
_MAX_VERB_RANGES = 40


def _key_verbs(join: dict[str, Any]) -> list[str] | None:
    """The verbs of the key rows of this agent or activity, found by skipping along the (kind, key, verb,
    statement) index: one index descent per verb, however many rows each has. None where ranges cannot be merged
    in one query (SQLite: no LIMIT inside a UNION) or when there are too many verbs to merge."""
    from django.db import connection

    if not connection.features.supports_slicing_ordering_in_compound:
        return None
    table = connection.ops.quote_name(LrsStatementKey._meta.db_table)
    sql = (
        f"WITH RECURSIVE v(verb) AS ("  # noqa: S608 (the table name is ours)
        f"SELECT (SELECT min(verb) FROM {table} WHERE kind = %s AND key = %s) "
        f"UNION ALL SELECT (SELECT min(verb) FROM {table} WHERE kind = %s AND key = %s AND verb > v.verb) "
        f"FROM v WHERE v.verb IS NOT NULL) "
        f"SELECT verb FROM v WHERE verb IS NOT NULL LIMIT %s"
    )
    kind, key = join["keys__kind"], join["keys__key"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, key, kind, key, _MAX_VERB_RANGES + 1])
        verbs = [verb for (verb,) in cursor.fetchall()]
    return verbs if len(verbs) <= _MAX_VERB_RANGES else None


def _verb_ranges(
    part: QuerySet[LrsStatement], conditions: dict[str, Any], verbs: list[str], *, order: str, size: int
) -> list[LrsStatement]:
    """One page of `part` joined to its key rows, read as one ordered range per verb, merged in one query."""
    if not verbs:
        return []
    ranges = [part.filter(**conditions, keys__verb=verb).order_by(order)[:size] for verb in verbs]
    if len(ranges) == 1:
        return list(ranges[0])
    return list(ranges[0].union(*ranges[1:], all=True).order_by(order)[:size])


def more_token(*, credential: LrsCredential, params: dict[str, str], after: int) -> str:
    return signing.dumps({"c": credential.pk, "p": params, "a": after}, salt=_MORE_SALT, compress=True)


def more_read(*, credential: LrsCredential, token: str) -> tuple[dict[str, str], int]:
    try:
        data = signing.loads(token, salt=_MORE_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        raise XapiError(400, _("This more link is not valid (or has expired).")) from None
    if data.get("c") != credential.pk:
        raise XapiError(400, _("This more link belongs to another credential."))
    return data["p"], data["a"]
