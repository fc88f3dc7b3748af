"""Drafts and their published versions: the fields and the one rule every publishable kind shares.

An author edits a draft (a course, quiz, scenario or survey); publishing copies it into a new
version row, which learners' statements, attempts and responses refer to. So a version never
changes once it is stored: saving it again, or updating it through a queryset, is refused. Only
forgetting who published it (their account deleted: `published_by` set to null) is allowed.
Deleting stays possible: deleting a draft takes its versions with it where its owner allows.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImmutableVersionError(ValueError):
    """Code tried to change a published version: a programming error, never a person's."""


class PublishedVersionQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        # Django's deletion collector sets published_by to null through update() when that account goes.
        if kwargs.keys() == {"published_by"} and kwargs["published_by"] is None:
            return super().update(**kwargs)
        raise ImmutableVersionError(f"A published {self.model._meta.verbose_name} is immutable.")


class Draft(models.Model):
    """The author's working copy; its model adds `latest_version`, a foreign key to its version model."""

    # Set whenever the draft changes; compared with the latest version's publish time.
    draft_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def has_unpublished_changes(self) -> bool:
        return self.latest_version is None or self.draft_changed_at > self.latest_version.published_at  # type: ignore[attr-defined]


class PublishedVersion(models.Model):
    """An immutable published snapshot of a draft; its model adds the foreign key to the draft and the content."""

    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = PublishedVersionQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Attempts, responses and statements refer to a version: once stored it never changes.
        if not self._state.adding:
            raise ImmutableVersionError(f"A published {self._meta.verbose_name} is immutable.")
        super().save(*args, **kwargs)
