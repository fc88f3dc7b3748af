"""Sign-in backend: the signed-in user comes with their membership, organization and team in one query."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MembershipModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        # Every page reads the membership (navigation, access checks): join it instead of a second query.
        user = (
            get_user_model()
            ._default_manager.select_related("membership__organization", "membership__team")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
