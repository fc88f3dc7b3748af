"""query_int reads a query-string integer, or falls back to the default, whatever was typed."""

import pytest

from kizuna.ops.bounds import INT_MAX, column_range, query_int


@pytest.mark.parametrize("raw", [None, "", "abc", "1.5", "²", "1_000", str(2**63), "9" * 5000, "-1", "0"])
def test_query_int_falls_back_to_the_default_for_what_is_not_in_range(raw):
    assert query_int(raw, lo=1, hi=INT_MAX, default=7) == 7


def test_query_int_reads_a_number_in_range():
    assert query_int(" 42 ", lo=1, hi=100) == 42


def test_column_range_is_postgresqls_whatever_the_database():
    from kizuna.kpis.models import SalesFigure

    assert column_range(SalesFigure._meta.get_field("calls")) == (0, 2**31 - 1)
    assert column_range(SalesFigure._meta.get_field("revenue")) == (0, 2**63 - 1)
