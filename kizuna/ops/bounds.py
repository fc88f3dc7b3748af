"""Integer bounds shared by the API schemas, the forms and query-string parsing.

No number reaches the database that its column cannot hold, on any database: SQLite stores 64-bit
integers and overflows past them (a 500), PostgreSQL refuses an `integer` past 2^31−1 (a DataError, a 500).
Ranges here are PostgreSQL's, the narrower of the two, so a value accepted on SQLite is accepted on
PostgreSQL too. Domain ranges (pages, offsets, minutes, scores) are narrower still and named here once.
"""

import re
from typing import Annotated, Any

from django.db.backends.base.operations import BaseDatabaseOperations
from pydantic import Field

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # IntegerField
BIGINT_MAX = 2**63 - 1  # BigIntegerField, BigAutoField (every id)

# Lists: at most this many items a page, and offsets no list will ever reach but every database can hold.
MAX_PAGE_SIZE = 200
MAX_OFFSET = INT_MAX
MAX_PAGE_NUMBER = 1_000_000


def bounded_int(lo: int, hi: int, **field: Any) -> Any:
    """Return an int type for ninja/pydantic schemas that refuses values outside lo..hi (a 422 problem)."""
    return Annotated[int, Field(ge=lo, le=hi, **field)]


# An object's id in a path or a query: positive, and no larger than a BigAutoField can be.
Id = bounded_int(1, BIGINT_MAX)


_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,19}")


def column_range(model_field: Any) -> tuple[int, int]:
    """Return the values a model's integer field can hold on every supported database."""
    low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
    return low, high


def query_int(value: str | None, *, lo: int, hi: int, default: int | None = None) -> int | None:
    """Parse a query-string integer: the default when it is missing, not a whole number or outside lo..hi."""
    text = (value or "").strip()
    # int() also reads "1_000", "²" raises, and thousands of digits are slow: ASCII digits only, 19 at most.
    if not _WHOLE_NUMBER.fullmatch(text):
        return default
    number = int(text)
    return number if lo <= number <= hi else default


def bound_integer_fields(form: Any, **domain: tuple[int, int]) -> None:
    """Bound every integer field of a form: to its domain range if named here, else to what its column holds.

    A ModelForm's own bounds come from the connected database, so SQLite would take what PostgreSQL
    refuses; plain form fields have none. Out of range is then a form error in the person's language.
    """
    from django import forms
    from django.core.validators import MaxValueValidator, MinValueValidator

    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, field in form.fields.items():
        if not isinstance(field, forms.IntegerField) or isinstance(field, forms.FloatField | forms.DecimalField):
            continue
        if name in domain:
            low, high = domain[name]
        else:
            try:
                low, high = column_range(model._meta.get_field(name)) if model else (INT_MIN, INT_MAX)
            except Exception:  # noqa: BLE001 - a form-only field, or a model field that is not an integer
                low, high = INT_MIN, INT_MAX
        low = max(low, field.min_value if field.min_value is not None else low)
        high = min(high, field.max_value if field.max_value is not None else high)
        field.min_value, field.max_value = low, high
        field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)] + [
            MinValueValidator(low),
            MaxValueValidator(high),
        ]
        field.widget.attrs.update({"min": low, "max": high})
