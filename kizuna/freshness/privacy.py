"""Freshness's part of a person's data: none of its own; it only records which staff member confirmed content."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Excluded, register

from .models import Freshness, ProductChange

register(
    Contribution(
        app="freshness",
        parts=(),
        excluded=(
            Excluded(Freshness, "confirmed_by", STAFF_ACTION),
            Excluded(ProductChange, "changed_by", STAFF_ACTION),
        ),
    )
)
