"""The check every app's per-partner rebuild passes (`rebuild_projections --partner`).

State is built through the real services for two agencies; a full rebuild gives the reference rows. Then agency
A's rows are deleted and A is rebuilt, one rep per pass: A's rows must be exactly the full rebuild's, and agency B's rows must be
the very same rows as before (same primary keys and values: not deleted, not rewritten).
"""

from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from typing import Any
from unittest.mock import patch

from django.core.management import call_command
from django.db.models import Model, Q


@dataclass(frozen=True)
class Table:
    """A projection table: its columns to compare (no primary key) and which rows are an agency's."""

    model: type[Model]
    fields: tuple[str, ...]
    of: Callable[[Any], Q]


def rep_rows(path: str = "rep") -> Callable[[Any], Q]:
    """An agency's rows are its reps' (the row's person, by `path`, belongs to it)."""
    return lambda partner: Q(**{f"{path}__membership__organization": partner})


def partner_rows(partner: Any) -> Q:
    """An agency's rows are those it keeps for all its reps together (the row names the agency)."""
    return Q(partner=partner)


def _rows(table: Table, partner: Any, *, with_pk: bool = False) -> list[tuple[Any, ...]]:
    fields = ("pk", *table.fields) if with_pk else table.fields
    return sorted(table.model.objects.filter(table.of(partner)).values_list(*fields), key=repr)


def assert_partner_rebuild(cast: Any, names: tuple[str, ...], tables: list[Table]) -> None:
    """Delete agency A's rows of these tables, rebuild A, and compare with a full rebuild (see the module)."""
    a, b = cast.partner_a, cast.partner_b
    call_command("rebuild_projections", stdout=StringIO())
    whole = [_rows(t, a) for t in tables]
    others = [_rows(t, b, with_pk=True) for t in tables]
    empty = [t.model.__name__ for t, w, o in zip(tables, whole, others, strict=True) if not (w and o)]
    assert not empty, f"both agencies have rows in every table, not in {empty}"
    for table in tables:
        table.model.objects.filter(table.of(a)).delete()
    out = StringIO()
    with patch("kizuna.records.projections.REPS_PER_PASS", 1):  # a pass per rep: the passes' sums must add up
        call_command("rebuild_projections", "--partner", a.slug, stdout=out)
    rebuilt, _, not_rebuilt = out.getvalue().partition("Not rebuilt")
    for name in names:  # the app's projections, rebuilt for the agency
        assert f"{name}: " in rebuilt
        assert name not in not_rebuilt.replace(",", " ").split()
    assert [_rows(t, a) for t in tables] == whole
    assert [_rows(t, b, with_pk=True) for t in tables] == others
