"""SCIM's part of a person's data: what their agency's directory says about them (its id, user name, attributes)."""

from kizuna.accounts.personal_data import Contribution, Erasure, Part, register

from .models import ScimUser

register(
    Contribution(
        app="scim",
        parts=(
            Part(
                "directory_record",
                ScimUser,
                "user",
                Erasure.DELETE,
                fields=("external_id", "user_name", "attributes", "deleted_at"),
            ),
        ),
    )
)
