"""The calibration page draws each reviewer's (or criterion's) agreement with the coaches beside the table."""

from typing import Any

import pytest
from django.urls import reverse

from kizuna.coaching import services

from .helpers import hand_in, review_all, roleplay_for


@pytest.fixture
def compared(cast: Any) -> Any:
    roleplay = roleplay_for(cast, peer_count=0)
    take = hand_in(cast.rep_a1, roleplay, consent=True)
    review_all(take, [3, 2])  # the coach's reference scores
    services.submission_reference_set(submission=take, reference=True)
    review = services.calibration_review_start(submission=take, reviewer=cast.rep_a2)
    ids = list(roleplay.criteria.values_list("pk", flat=True))
    services.review_submit(review=review, levels={ids[0]: 2, ids[1]: 2}, reasons={i: "x" for i in ids}, feedback="x")
    return take


@pytest.mark.django_db
def test_the_coach_sees_each_reviewers_agreement_as_a_bar_with_the_full_weight_line(
    cast: Any, signed_in: Any, compared: Any
) -> None:
    page = signed_in(cast.coach).get(reverse("coaching:roleplay_calibration")).content.decode()
    assert 'role="img" aria-label="レビュアーごとのコーチとの一致度"' in page
    assert f"<g><title>{cast.rep_a2.name}: 75%</title>" in page
    assert "<title>一致度90%以上で評価がそのまま反映されます</title>" in page


@pytest.mark.django_db
def test_a_reviewer_sees_their_agreement_per_criterion(cast: Any, signed_in: Any, compared: Any) -> None:
    page = signed_in(cast.rep_a2).get(reverse("coaching:roleplay_calibration")).content.decode()
    assert 'role="img" aria-label="評価基準ごとのあなたとコーチの一致度"' in page
    assert page.count("<rect") == 2  # one bar per criterion


@pytest.mark.django_db
def test_nobody_compared_yet_draws_no_chart(cast: Any, signed_in: Any) -> None:
    page = signed_in(cast.coach).get(reverse("coaching:roleplay_calibration")).content.decode()
    assert 'aria-label="レビュアーごとのコーチとの一致度"' not in page
