"""Orgs' part of a person's data: their membership (agency, team, role)."""

from kizuna.accounts.personal_data import Contribution, Erasure, Part, register

from .models import Membership

register(
    Contribution(
        app="orgs",
        parts=(
            Part(
                "membership",
                Membership,
                "user",
                Erasure.KEEP,
                fields=("organization__name", "team__name", "role", "created_at"),
            ),
        ),
    )
)
