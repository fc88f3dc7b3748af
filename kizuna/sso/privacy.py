"""Single sign-on's part of a person's data: the identities of their organization's provider linked to them."""

from allauth.socialaccount.models import SocialAccount

from kizuna.accounts.personal_data import Contribution, Erasure, Part, register

from .models import SamlSession

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
            # The IdP's names of a sign-in, for Single Logout; never Kizuna's session key.
            Part(
                "sso_saml_sessions",
                SamlSession,
                "user",
                Erasure.DELETE,
                fields=("provider_id", "name_id", "session_index", "started_at", "keep_until"),
            ),
        ),
    )
)
