"""The small shared pieces of every app's JSON endpoints: ISO 8601 times in UTC, and limit/offset pages.

The API app (`kizuna.api`) sets up ninja, authentication and problems; each app's endpoints live in
its own `api.py` and take these from here, so no app needs to import the API app.
"""

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from .bounds import MAX_OFFSET, MAX_PAGE_SIZE

MAX_PAGE = MAX_PAGE_SIZE

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_8601_only(value: Any) -> Any:
    # pydantic also reads numbers as Unix times ("0.5"); the API documents, and takes, ISO 8601 only.
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise PydanticCustomError("datetime_parsing", "Input should be a valid datetime")
    return value


def _in_utc(value: datetime) -> datetime:
    # Databases bound a stored offset (PostgreSQL refuses "+23:11"), so compare in UTC; a naive time is UTC.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError("datetime_parsing", "Input should be a valid datetime") from None


IsoDatetime = Annotated[datetime, BeforeValidator(_iso_8601_only), AfterValidator(_in_utc)]


class Page(LimitOffsetPagination):
    """limit/offset pagination: {"items": [...], "count": total}; at most 200 items a page.

    Both numbers are bounded, so an offset past what the database can hold is a 422, never a 500.
    """

    class Input(Schema):
        limit: int = Field(min(ninja_settings.PAGINATION_PER_PAGE, MAX_PAGE), ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


class Mapped(Sequence):
    """A queryset paginated as usual whose items on the page are converted after they are fetched."""

    def __init__(self, queryset: Any, convert: Callable[[Any], Any]) -> None:
        self.queryset, self.convert = queryset, convert

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.convert(item) for item in self.queryset[index]]
        return self.convert(self.queryset[index])
