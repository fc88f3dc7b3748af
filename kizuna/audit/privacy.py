"""Audit's part of a person's data: none exported; the trail is the organisation's record of staff actions."""

from kizuna.accounts.personal_data import Contribution, Excluded, register

from .models import AuditEntry

register(
    Contribution(
        app="audit",
        excluded=(
            Excluded(
                AuditEntry,
                "actor",
                "the append-only record of changes made by staff and managers, kept for accountability; "
                "an erased person appears in it only under their anonymised account",
            ),
        ),
    )
)
