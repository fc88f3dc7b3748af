"""A flash update as a rollout kind (`catalog.rollouts`): rolled out as an experiment, it is published to nobody
but the reps it is given to one by one (`Recipient`), wave by wave.

- **give**: the rep becomes a recipient (and gets the publication e-mail);
- **withhold**: at the start the draft is published with the experiment's audience (no partner, no team);
- **contamination**: a withheld rep reached before their month by the update's audience (all partners, their
  agency or team, since it was published) or by a recipient row the experiment did not make, or who opened it
  before their month; "finished" is acknowledging it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from kizuna.catalog.rollouts import RolloutKind

from .models import FlashUpdate, Receipt, Recipient


class UpdateReach:
    """Who the update reaches other than through the experiment's own recipients: (handle or None, since when)."""

    def __init__(self, update: FlashUpdate | None) -> None:
        self.audience: list[tuple[int | None, datetime]] = []
        self.partners: set[int] = set()
        self.teams: set[int] = set()
        self.everyone = False
        self.recipients: dict[int, list[tuple[int | None, datetime]]] = {}
        if update is None:
            return
        if update.is_published and update.published_at is not None:
            since = update.published_at
            self.everyone = update.audience == FlashUpdate.Audience.ALL
            if update.audience == FlashUpdate.Audience.SELECTED:
                self.partners = set(update.partners.values_list("pk", flat=True))
                self.teams = set(update.teams.values_list("pk", flat=True))
            self.audience = [(None, since)]
        for pk, rep_id, added_at in Recipient.objects.filter(update=update).values_list("pk", "rep_id", "added_at"):
            self.recipients.setdefault(rep_id, []).append((pk, added_at))

    def reaching(self, *, partner_id: int, team_id: int | None, rep_id: int) -> list[tuple[int | None, datetime]]:
        found = list(self.recipients.get(rep_id, ()))
        if self.everyone or partner_id in self.partners or (team_id is not None and team_id in self.teams):
            found += self.audience
        return found


def _update(content_id: int) -> FlashUpdate | None:
    return FlashUpdate.objects.filter(pk=content_id).first()


def _choices() -> list[tuple[int, str]]:
    drafts = FlashUpdate.objects.filter(status=FlashUpdate.Status.DRAFT).order_by("-created_at", "-pk")
    return list(drafts.values_list("pk", "title")[:200])


def _title(content_id: int) -> str | None:
    return FlashUpdate.objects.filter(pk=content_id).values_list("title", flat=True).first()


def _problem(content_id: int) -> str:
    from .services import update_experiment_problem

    return update_experiment_problem(_update(content_id))


def _reach(content_id: int, partner_ids: list[int]) -> UpdateReach:
    return UpdateReach(_update(content_id))


def _exposure(content_id: int, reps: Iterable[int] | Any) -> dict[int, tuple[datetime, datetime | None]]:
    rows = Receipt.objects.filter(update_id=content_id, rep_id__in=reps).order_by()
    return {
        rep: (seen, acknowledged)
        for rep, seen, acknowledged in rows.values_list("rep_id", "seen_at", "acknowledged_at")
    }


def _prepare(content_id: int, by: Any, partner_ids: list[int]) -> None:
    from .services import update_experiment_prepare

    update = _update(content_id)
    assert update is not None  # checked by `problem` in the same transaction
    update_experiment_prepare(update=update, by=by)


def _give(content_id: int, rep: Any, by: Any, due_at: datetime) -> int:
    from .services import update_recipient_add

    update = FlashUpdate.objects.get(pk=content_id)
    before = Recipient.objects.filter(update=update, rep=rep).exists()
    given = update_recipient_add(update=update, rep=rep, by=by)
    return 0 if before else given.pk  # given outside the experiment already: not its own (stays contamination)


UPDATE_ROLLOUT = RolloutKind(
    kind="update",
    label=_("Flash update"),
    choices=_choices,
    title=_title,
    problem=_problem,
    reach=_reach,
    exposure=_exposure,
    prepare=_prepare,
    give=_give,
)
