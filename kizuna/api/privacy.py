"""API's part of a person's data: the integration tokens issued to them (never the secret's hash)."""

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, Part, register

from .models import ApiToken

register(
    Contribution(
        app="api",
        parts=(
            Part(
                "api_tokens",
                ApiToken,
                "user",
                Erasure.DELETE,
                fields=("name", "prefix", "created_at", "last_used_at", "revoked_at"),
            ),
        ),
        excluded=(Excluded(ApiToken, "created_by", STAFF_ACTION),),
    )
)
