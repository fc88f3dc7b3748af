"""Background work of people management: invitation e-mails."""

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from .services import invitation_send

logger = logging.getLogger(__name__)


@task()
def invitations_send_task(user_ids: list[int], invited_by_id: int | None) -> None:
    """E-mail each still-active person their invitation; one failure does not stop the others."""
    User = get_user_model()
    invited_by = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    people = User.objects.filter(pk__in=user_ids, is_active=True).select_related("membership__organization")
    for user in people.iterator(chunk_size=200):
        try:
            invitation_send(user=user, invited_by=invited_by)
        except Exception:
            logger.exception("Could not send the invitation to user %s", user.pk)
