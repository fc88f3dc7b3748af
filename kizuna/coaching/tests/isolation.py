"""Partner A's coaching objects for the isolation walk (kizuna/tests/test_isolation.py)."""

import uuid
from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    """A roleplay assigned to partner A only, a take of partner A's rep, its signed video link (made out to the admin), and an open upload."""
    from kizuna.coaching import selectors, services
    from kizuna.coaching.models import RoleplayTarget
    from kizuna.media.services import video_transcode

    from .helpers import hand_in, roleplay_for

    roleplay = roleplay_for(cast, peer_count=1)
    take = hand_in(cast.rep_a1, roleplay)
    video_transcode(video=take.video)
    upload = services.upload_start(rep=cast.rep_a1, roleplay=roleplay, size=10, statement_id=uuid.uuid4())
    return {
        "roleplay_id": roleplay.pk,
        "target_id": RoleplayTarget.objects.filter(roleplay=roleplay).first().pk,
        "submission_id": take.pk,
        "upload_key": upload.key,
        # A link made out to the principal's admin (the walk may deactivate partner A's rep before it gets here):
        # partner B's people must get 404 with it.
        "video_token": selectors.video_token(take, cast.admin),
    }
