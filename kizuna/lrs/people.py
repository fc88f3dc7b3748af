"""Which of our people an xAPI agent names: by account (our site and the person's public id), mbox or mbox_sha1sum."""

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError


def person_for_agent(agent: dict[str, Any]) -> Any | None:
    """Return the active person the agent identifies, or None (unknown agents are simply stored)."""
    if not isinstance(agent, dict) or agent.get("objectType", "Agent") != "Agent":
        return None
    people = get_user_model().objects.filter(is_active=True).select_related("membership__organization")
    if "mbox" in agent:
        return people.filter(email__iexact=agent["mbox"][len("mailto:") :]).first()
    if "account" in agent:
        account = agent["account"]
        if account.get("homePage", "").rstrip("/") != settings.SITE_URL.rstrip("/"):
            return None
        try:
            return people.filter(public_id=account.get("name")).first()
        except ValidationError:
            return None
    if "mbox_sha1sum" in agent:
        wanted = agent["mbox_sha1sum"].lower()
        for pk, email in people.values_list("pk", "email").iterator():
            if hashlib.sha1(f"mailto:{email}".encode()).hexdigest() == wanted:  # noqa: S324 (the xAPI IFI is SHA-1)
                return people.get(pk=pk)
    return None


def partner_id_of(person: Any) -> int | None:
    """The partner agency of a person (None for the principal's staff or someone without an organization)."""
    membership = getattr(person, "membership", None)
    if membership is None or membership.organization.kind != "partner":
        return None
    return membership.organization_id


def people_for_agents(agents: list[dict[str, Any]]) -> list[Any | None]:
    """person_for_agent for many agents at once: one query per kind of identifier, not one per agent."""
    emails, public_ids, sha1s = set(), set(), set()
    site = settings.SITE_URL.rstrip("/")
    for agent in agents:
        if not isinstance(agent, dict) or agent.get("objectType", "Agent") != "Agent":
            continue
        if "mbox" in agent:
            emails.add(agent["mbox"][len("mailto:") :].lower())
        elif "account" in agent and agent["account"].get("homePage", "").rstrip("/") == site:
            public_ids.add(agent["account"].get("name"))
        elif "mbox_sha1sum" in agent:
            sha1s.add(agent["mbox_sha1sum"].lower())
    by_email: dict[str, Any] = {}
    by_public_id: dict[str, Any] = {}
    by_sha1: dict[str, Any] = {}
    if emails:
        # E-mail addresses are stored lower-cased (accounts.UserManager).
        by_email = {p.email.lower(): p for p in _active_people_by("email", sorted(emails))}
    if public_ids:
        valid = set()
        for value in public_ids:
            try:
                valid.add(str(uuid.UUID(str(value))))
            except ValueError:
                continue
        by_public_id = {str(p.public_id): p for p in _active_people_by("public_id", sorted(valid))} if valid else {}
    if sha1s:
        people = get_user_model().objects.filter(is_active=True).select_related("membership__organization")
        for pk, email in people.values_list("pk", "email").iterator():
            digest = hashlib.sha1(f"mailto:{email}".encode()).hexdigest()  # noqa: S324 (the xAPI IFI is SHA-1)
            if digest in sha1s:
                by_sha1[digest] = pk
        found = {p.pk: p for p in people.filter(pk__in=by_sha1.values())} if by_sha1 else {}
        by_sha1 = {digest: found[pk] for digest, pk in by_sha1.items() if pk in found}
    results: list[Any | None] = []
    for agent in agents:
        person = None
        if isinstance(agent, dict) and agent.get("objectType", "Agent") == "Agent":
            if "mbox" in agent:
                person = by_email.get(agent["mbox"][len("mailto:") :].lower())
            elif "account" in agent:
                person = by_public_id.get(str(agent["account"].get("name")))
            elif "mbox_sha1sum" in agent:
                person = by_sha1.get(agent["mbox_sha1sum"].lower())
        results.append(person)
    return results


def _active_people_by(field_name: str, values: list[Any]) -> list[Any]:
    """The active people whose `field_name` is one of `values`, each with its membership and organization, as
    `filter(is_active=True, <field>__in=values).select_related("membership__organization")` gives them, in one
    query written once here: building that query through the ORM cost more CPU than a statement's whole insert
    (the LRS asks it on every POST, and mostly finds nobody). The SQL and the columns' converters are worked out
    once per database connection alias and field (the LRS's hot path asks it on every POST)."""
    from django.db import connection

    plan = _people_plans.get((connection.alias, field_name))
    if plan is None:
        plan = _people_plans[(connection.alias, field_name)] = _people_plan(connection, field_name)
    sql, lookup, groups = plan
    prepared = [lookup.get_db_prep_value(value, connection) for value in values]
    found = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter: the SQL's text stays the same whatever the number of values, so psycopg
            # parses it once (a list of placeholders as long as the batch was re-parsed on every POST).
            cursor.execute(f"{sql} = ANY(%s)", [prepared])
        else:
            cursor.execute(f"{sql} IN ({', '.join(['%s'] * len(prepared))})", prepared)
        rows = cursor.fetchall()
    for row in rows:
        instances: list[Any] = []
        start = 0
        for model, names, pk_index, group in groups:
            values_ = list(row[start : start + len(group)])
            start += len(group)
            for i, (col, funcs) in enumerate(group):
                for func in funcs:
                    values_[i] = func(values_[i], col, connection)
            instances.append(None if values_[pk_index] is None else model.from_db(connection.alias, names, values_))
        user, membership, organization = instances
        assert user is not None
        user._state.fields_cache["membership"] = membership
        if membership is not None:
            membership._state.fields_cache["user"] = user
            membership._state.fields_cache["organization"] = organization
        found.append(user)
    return found


_people_plans: dict[tuple[str, str], Any] = {}


def _people_plan(connection: Any, field_name: str) -> Any:
    """The SQL (up to the looked-up column), the looked-up field and, per model, its columns' names and converters."""
    from kizuna.orgs.models import Membership, Organization

    user_model = get_user_model()
    models: tuple[Any, ...] = (user_model, Membership, Organization)
    fields = [[f for f in model._meta.concrete_fields] for model in models]
    quote = connection.ops.quote_name
    tables = [quote(model._meta.db_table) for model in models]
    columns = ", ".join(f"{alias}.{quote(f.column)}" for alias, group in zip("umo", fields, strict=True) for f in group)
    lookup: Any = user_model._meta.get_field(field_name)
    sql = (
        f"SELECT {columns} FROM {tables[0]} u "  # noqa: S608 (names from the models)
        f"LEFT JOIN {tables[1]} m ON m.{quote('user_id')} = u.{quote(user_model._meta.pk.column)} "
        f"LEFT JOIN {tables[2]} o ON o.{quote(Organization._meta.pk.column)} = m.{quote('organization_id')} "
        f"WHERE u.{quote('is_active')} AND u.{quote(lookup.column)}"
    )
    groups = []
    for model, group in zip(models, fields, strict=True):
        cols = [f.get_col(f.model._meta.db_table) for f in group]
        converters = [(c, connection.ops.get_db_converters(c) + c.get_db_converters(connection)) for c in cols]
        names = [c.target.attname for c in cols]
        groups.append((model, names, names.index(model._meta.pk.attname), converters))
    return sql, lookup, groups
