"""Single sign-on's part of a person's data: the identities of their organization's provider linked to them."""

from allauth.socialaccount.models import SocialAccount

from kizuna.accounts.personal_data import Contribution, Erasure, Part, register

register(
    Contribution(
        app="sso",
        parts=(
            # Which provider and identity, and when; never the provider's tokens.
            Part(
                "sso_identities",
                SocialAccount,
                "user",
                Erasure.DELETE,
                fields=("provider", "uid", "date_joined", "last_login", "extra_data"),
            ),
        ),
    )
)
