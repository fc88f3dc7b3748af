"""The roleplay results projection: rebuilding it from the statements gives what was kept live."""

from typing import Any

import pytest

from kizuna.coaching import projections
from kizuna.coaching.models import RoleplayResult

from .helpers import hand_in, review_all, roleplay_for

FIELDS = ("rep_id", "roleplay_id", "best_score", "passed", "attempts", "passed_at", "last_at")


def _rows() -> list[tuple[Any, ...]]:
    return sorted(RoleplayResult.objects.values_list(*FIELDS))


@pytest.mark.django_db
def test_rebuild_equals_the_live_projection(cast: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=0)
    other = roleplay_for(cast, peer_count=0)
    first = hand_in(cast.rep_a1, roleplay)
    review_all(first, [1, 1])
    second = hand_in(cast.rep_a1, roleplay)
    review_all(second, [3, 2])
    review_all(hand_in(cast.rep_a2, other), [2, 2])
    live = _rows()
    assert len(live) == 2
    assert projections.rebuild() == 2
    assert _rows() == live


@pytest.mark.django_db
def test_a_partners_rebuild_derives_its_reps_results_again_and_leaves_the_others(cast: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    roleplay = roleplay_for(cast, peer_count=0)
    review_all(hand_in(cast.rep_a1, roleplay), [3, 2])
    review_all(hand_in(cast.rep_a2, roleplay), [1, 1])
    live = _rows()
    assert len(live) == 2
    RoleplayResult.objects.update(attempts=99)
    assert projections.rebuild_reps([cast.rep_a1.pk]) == 1
    assert RoleplayResult.objects.get(rep=cast.rep_a2).attempts == 99  # not asked for: untouched
    out = StringIO()
    call_command("rebuild_projections", "--partner", cast.partner_a.slug, stdout=out)
    assert "coaching: 2" in out.getvalue()
    assert "coaching" not in out.getvalue().partition("Not rebuilt")[2]
    assert _rows() == live
