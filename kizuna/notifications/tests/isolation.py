from typing import Any

from django.utils.translation import gettext_noop


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.notifications.services import notification_send

    notification = notification_send(
        recipient=cast.rep_a1, kind="test", title=gettext_noop("Notifications"), email=False
    )
    return {"notification_id": notification.pk}
