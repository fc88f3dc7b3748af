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
    people = get_user_model().objects.filter(is_active=True).select_related("membership__organization")
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
    (the LRS asks it on every POST, and mostly finds nobody)."""
    from django.db import connection

    from kizuna.orgs.models import Membership, Organization

    user_model = get_user_model()
    models: tuple[Any, ...] = (user_model, Membership, Organization)
    fields = [[f for f in model._meta.concrete_fields] for model in models]
    quote = connection.ops.quote_name
    tables = [quote(model._meta.db_table) for model in models]
    columns = ", ".join(f"{alias}.{quote(f.column)}" for alias, group in zip("umo", fields, strict=True) for f in group)
    lookup: Any = user_model._meta.get_field(field_name)
    prepared = [lookup.get_db_prep_value(value, connection) for value in values]
    sql = (
        f"SELECT {columns} FROM {tables[0]} u "  # noqa: S608 (names from the models)
        f"LEFT JOIN {tables[1]} m ON m.{quote('user_id')} = u.{quote(user_model._meta.pk.column)} "
        f"LEFT JOIN {tables[2]} o ON o.{quote(Organization._meta.pk.column)} = m.{quote('organization_id')} "
        f"WHERE u.{quote('is_active')} AND u.{quote(lookup.column)} IN ({', '.join(['%s'] * len(prepared))})"
    )
    cols = [[f.get_col(f.model._meta.db_table) for f in group] for group in fields]
    converters = [
        [(c, connection.ops.get_db_converters(c) + c.get_db_converters(connection)) for c in group] for group in cols
    ]
    found = []
    with connection.cursor() as cursor:
        cursor.execute(sql, prepared)
        for row in cursor.fetchall():
            instances: list[Any] = []
            start = 0
            for model, group in zip(models, converters, strict=True):
                values_ = list(row[start : start + len(group)])
                start += len(group)
                for i, (f, funcs) in enumerate(group):
                    for func in funcs:
                        values_[i] = func(values_[i], f, connection)
                names = [c.target.attname for c, _f in group]
                pk = values_[names.index(model._meta.pk.attname)]
                instances.append(None if pk is None else model.from_db(connection.alias, names, values_))
            user, membership, organization = instances
            assert user is not None
            user._state.fields_cache["membership"] = membership
            if membership is not None:
                membership._state.fields_cache["user"] = user
                membership._state.fields_cache["organization"] = organization
            found.append(user)
    return found
