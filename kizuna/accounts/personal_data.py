"""What Kizuna holds about a person, app by app: the registry that the data export and erasure read.

Each app describes its own tables in a module ``<app>/privacy.py`` that calls ``register(...)``
(found by ``autodiscover()``), so the privacy app never reaches into another app's models. For every
foreign key to the user model, an app either exports it (a ``Part``) or says why not (an ``Excluded``);
a test walks all models and fails when a foreign key is neither, so a new model cannot be forgotten.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class Erasure(models.TextChoices):
    """What erasing a departed person does with one kind of their data."""

    KEEP = "keep", _("kept for the figures, tied only to the anonymous id")
    SCRUB = "scrub", _("kept, with the person's free texts and media removed")
    DELETE = "delete", _("deleted")


@dataclass(frozen=True)
class Part:
    """One table (or one slice of it) about the person: one JSON and one CSV file in their export."""

    name: str  # file name in the export, e.g. "community_questions"
    model: type[models.Model]
    # The lookup from the model to the person, e.g. "rep" or "attempt__rep".
    user_field: str
    erasure: Erasure
    # Columns (``values()`` lookups, so "team__name" works); empty means every concrete field but `omit`.
    fields: tuple[str, ...] = ()
    omit: tuple[str, ...] = ()
    # For Erasure.SCRUB: the field values written over the person's rows.
    scrub: dict[str, Any] = field(default_factory=dict)
    # False when the app exports these rows in another shape (statements as xAPI documents).
    table: bool = True

    def rows(self, user: Any) -> QuerySet[Any]:
        return self.model._default_manager.filter(**{self.user_field: user.pk}).order_by("pk")

    def columns(self) -> list[str]:
        if self.fields:
            return list(self.fields)
        return [f.attname for f in self.model._meta.concrete_fields if f.name not in self.omit]

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)


@dataclass(frozen=True)
class Excluded:
    """A foreign key to the user that is deliberately not exported, with the reason."""

    model: type[models.Model]
    user_field: str
    reason: str


@dataclass(frozen=True)
class ExportFile:
    """A file the person owns, copied into their export when the size allows."""

    archive_name: str
    open: Callable[[], Any]  # returns a binary file object
    size: int
    # What the export lists instead when the file is left out (its page, title, date…).
    metadata: dict[str, Any]


@dataclass(frozen=True)
class Contribution:
    app: str
    parts: tuple[Part, ...] = ()
    excluded: tuple[Excluded, ...] = ()
    # (user) -> the files the person owns (roleplay videos…).
    files: Callable[[Any], Iterable[ExportFile]] | None = None
    # (user) -> [(file name, rows as dicts)] for data that is not a plain table (statements as xAPI).
    documents: Callable[[Any], Iterable[tuple[str, Iterable[dict[str, Any]]]]] | None = None
    # (user) -> None: what erasure does beyond the parts' DELETE/SCRUB (files, derived texts…),
    # called inside the erasure's transaction.
    erase: Callable[[Any], None] | None = None
    # () -> a filter on records.Statement selecting the statements whose result.response is the person's
    # own free text (a post, a comment…), which erasure removes.
    free_text_statements: Callable[[], Q] | None = None


# The display name statements get when the activity they name was the erased person's own text.
ERASED_ACTIVITY_NAME = {"ja-JP": "（削除されました）", "en-US": "(erased)"}

_CONTRIBUTIONS: dict[str, Contribution] = {}

# The reason shared by every "who did this" column on content that belongs to the organisation.
STAFF_ACTION = "records who authored, published or administered shared content; the content is the organisation's"


def register(contribution: Contribution) -> None:
    _CONTRIBUTIONS[contribution.app] = contribution


def autodiscover() -> None:
    """Import every app's ``privacy`` module so that each registers its contribution."""
    autodiscover_modules("privacy")


def contributions() -> list[Contribution]:
    autodiscover()
    return sorted(_CONTRIBUTIONS.values(), key=lambda c: c.app)
