"""Sign-in backend: the signed-in user comes with their membership, organization and team in one query."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections


class MembershipModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        # Every page reads the membership (navigation, access checks): join it instead of a second query.
        user = user_with_membership(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class _UserRead:
    """`User.objects.select_related("membership__organization", "membership__team").filter(pk=…).first()`, as one
    query written once per process: the ORM compiled the same three-join query again on every request, about
    half of the ~5 ms of CPU that reading the signed-in user cost on every page. The rows become model instances
    through `Model.from_db` with the fields' own database converters, and the relations are cached as
    `select_related` caches them (a missing membership or team reads as it does through the ORM)."""

    def __init__(self, alias: str) -> None:
        connection = connections[alias]
        user_model = get_user_model()
        # The related models through the relations select_related follows (accounts does not import orgs).
        membership_field: Any = user_model._meta.get_field("membership")
        Membership = membership_field.related_model
        Organization = Membership._meta.get_field("organization").related_model
        Team = Membership._meta.get_field("team").related_model
        self.alias = alias
        self.models: tuple[Any, ...] = (user_model, Membership, Organization, Team)
        fields: list[list[Any]] = [list(model._meta.concrete_fields) for model in self.models]
        quote = connection.ops.quote_name
        t_user, t_member, t_org, t_team = (quote(model._meta.db_table) for model in self.models)
        columns = ", ".join(f"{a}.{quote(f.column)}" for a, group in zip("umot", fields, strict=True) for f in group)
        user_pk = quote(user_model._meta.pk.column)
        self.sql = (
            f"SELECT {columns} FROM {t_user} u "  # noqa: S608 (names from the models)
            f"LEFT OUTER JOIN {t_member} m ON m.{quote(Membership._meta.get_field('user').column)} = u.{user_pk} "
            f"LEFT OUTER JOIN {t_org} o ON o.{quote(Organization._meta.pk.column)} = "
            f"m.{quote(Membership._meta.get_field('organization').column)} "
            f"LEFT OUTER JOIN {t_team} t ON t.{quote(Team._meta.pk.column)} = "
            f"m.{quote(Membership._meta.get_field('team').column)} "
            f"WHERE u.{user_pk} = %s"
        )
        self.groups: list[tuple[Any, list[str], int, int, list[tuple[int, list[Any], Any]]]] = []
        start = 0
        cls: Any
        for cls, group in zip(self.models, fields, strict=True):
            names = [f.attname for f in group]
            converters: list[tuple[int, list[Any], Any]] = []
            for i, f in enumerate(group):
                col = f.get_col(cls._meta.db_table)
                funcs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if funcs:
                    converters.append((i, funcs, col))
            self.groups.append((cls, names, start, names.index(cls._meta.pk.attname), converters))
            start += len(group)

    def read(self, user_id: Any) -> Any:
        connection = connections[self.alias]
        user_model = self.models[0]
        try:
            pk = user_model._meta.pk.get_db_prep_value(user_model._meta.pk.to_python(user_id), connection)
        except (ValidationError, TypeError, ValueError):  # no user id: nobody, as the ORM's lookup would say
            return None
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        instances: list[Any] = []
        for model, names, start, pk_index, converters in self.groups:
            if row[start + pk_index] is None:  # no membership, or no team
                instances.append(None)
                continue
            values = list(row[start : start + len(names)])
            for i, funcs, col in converters:
                for func in funcs:
                    values[i] = func(values[i], col, connection)
            instances.append(model.from_db(self.alias, names, values))
        user, membership, organization, team = instances
        user._state.fields_cache["membership"] = membership
        if membership is not None:
            membership._state.fields_cache["user"] = user
            membership._state.fields_cache["organization"] = organization
            membership._state.fields_cache["team"] = team
        return user


_READS: dict[tuple[str, str], _UserRead] = {}


def user_with_membership(user_id: Any) -> Any:
    """The user with this id, with their membership, organization and team (None if there is no such user)."""
    from django.db import DEFAULT_DB_ALIAS, router

    alias = router.db_for_read(get_user_model()) or DEFAULT_DB_ALIAS
    key = (alias, connections[alias].vendor)
    read = _READS.get(key)
    if read is None:
        read = _READS[key] = _UserRead(alias)
    return read.read(user_id)
