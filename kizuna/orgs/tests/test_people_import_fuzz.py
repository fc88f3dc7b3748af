"""Hypothesis: whatever bytes are uploaded as people, the import refuses them with problems, never a crash."""

import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.accounts.models import User
from kizuna.orgs import services

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER = b"name,email,partner,team,role\n"


def _import(data: bytes, cast: Any) -> Any:
    return services.people_import_csv(file=io.BytesIO(data), invited_by=cast.admin, send_invitations=False)


@FAST
@given(data=st.binary(max_size=3000))
def test_any_bytes_are_refused_with_problems(cast: Any, data: bytes) -> None:
    before = User.objects.count()
    result = _import(data, cast)
    assert result.problems or result.created
    if result.problems:
        assert User.objects.count() == before


@FAST
@given(body=st.binary(max_size=2000))
def test_any_bytes_under_a_good_header_are_imported_or_refused_whole(cast: Any, body: bytes) -> None:
    before = User.objects.count()
    result = _import(HEADER + body, cast)
    if result.problems:
        assert User.objects.count() == before


@FAST
@given(rows=st.lists(st.lists(st.text(max_size=40), min_size=0, max_size=7), max_size=5))
def test_any_text_cells_are_imported_or_refused_whole(cast: Any, rows: list[list[str]]) -> None:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows([["name", "email", "partner", "team", "role"], *rows])
    before = User.objects.count()
    result = _import(out.getvalue().encode(), cast)
    if result.problems:
        assert User.objects.count() == before
