"""Partner A's cmi5 lesson for the isolation walk (kizuna/tests/test_isolation.py): its files and AU launch."""

from typing import Any

# The fetch URL is the AU's credential (a one-time key, no session): test_launch walks it with partner B's
# people and keys (test_a_fetch_key_gives_one_token_and_only_to_its_session, test_a_session_token_reaches_only_its_own).
TOKEN_ROUTES = {"cmi5:fetch": "kizuna/cmi5/tests/test_launch.py"}


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from .conftest import cmi5_lesson_course

    _course, lesson, cmi5 = cmi5_lesson_course(cast, slug="a-only-cmi5", team=cast.team_a1)
    return {"cmi5_lesson_id": lesson.pk, "au_id": cmi5.aus.get().pk, "au_path": "au1/index.html"}
