"""Reviews of a take: requests to a coach and peers, rubric scoring, the pass rule, statements and the selectors."""

from typing import Any

import pytest
from django.urls import reverse

from kizuna.coaching import services, vocab
from kizuna.coaching.models import Review, RoleplayResult
from kizuna.coaching.selectors import roleplay_choices, roleplays_passed
from kizuna.notifications.models import Notification
from kizuna.records import vocab as records_vocab
from kizuna.records.models import Statement

from .helpers import criteria_ids, hand_in, review_all, roleplay_for


@pytest.mark.django_db
def test_a_take_asks_a_coach_and_a_peer_of_another_team(cast: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=1, review_by_manager=True)
    take = hand_in(cast.rep_a1, roleplay)
    reviews = {r.role: r.reviewer for r in take.reviews.all()}
    assert reviews == {"coach": cast.coach, "manager": cast.manager_a, "peer": cast.rep_a2}
    assert Notification.objects.filter(recipient=cast.rep_a2, kind="coaching.review_requested").count() == 1
    st = Statement.objects.get(actor=cast.rep_a1, verb=vocab.SUBMITTED.iri)
    assert st.object_type == vocab.TYPE_SUBMISSION.iri


@pytest.mark.django_db
def test_reviews_decide_the_take_and_the_pass_is_a_statement(cast: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=1, pass_threshold=70)
    take = hand_in(cast.rep_a1, roleplay)
    ids = criteria_ids(roleplay)
    coach_review = take.reviews.get(role="coach")
    services.review_submit(
        review=coach_review, levels={ids[0]: 3, ids[1]: 2}, reasons={i: "良い" for i in ids}, feedback="完璧です"
    )
    take.refresh_from_db()
    assert take.decided_at is None  # the peer has not reviewed yet
    peer_review = take.reviews.get(role="peer")
    services.review_submit(
        review=peer_review, levels={ids[0]: 2, ids[1]: 1}, reasons={i: "普通" for i in ids}, feedback="もう少し"
    )
    take.refresh_from_db()
    # Coach 1.0, peer (3 × .5 + 0) / 4 = .375; mean .6875 < .70
    assert take.score == 0.6875 and take.passed is False
    reviewed = Statement.objects.get(actor=cast.coach, verb=vocab.REVIEWED.iri)
    assert reviewed.result["score"]["scaled"] == 1.0 and reviewed.object_type == vocab.TYPE_SUBMISSION.iri
    failed = Statement.objects.get(actor=cast.rep_a1, verb=records_vocab.FAILED.iri)
    assert failed.object_type == vocab.TYPE_ROLEPLAY.iri and failed.result["success"] is False
    assert roleplays_passed(rep_ids=[cast.rep_a1.pk]) == {cast.rep_a1.pk: set()}
    assert Notification.objects.filter(recipient=cast.rep_a1, kind="coaching.review_received").count() == 2

    second = hand_in(cast.rep_a1, roleplay)
    assert second.take == 2
    review_all(second, [3, 2])
    second.refresh_from_db()
    assert second.passed is True and second.score == 1.0
    assert roleplays_passed(rep_ids=[cast.rep_a1.pk, cast.rep_a2.pk]) == {
        cast.rep_a1.pk: {roleplay.pk},
        cast.rep_a2.pk: set(),
    }
    result = RoleplayResult.objects.get(rep=cast.rep_a1, roleplay=roleplay)
    assert (result.attempts, result.best_score, result.passed) == (2, 1.0, True)
    assert roleplay_choices() == [(roleplay.pk, roleplay.title)]


@pytest.mark.django_db
def test_a_review_needs_a_level_and_a_reason_for_every_criterion(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=0)
    take = hand_in(cast.rep_a1, roleplay)
    ids = criteria_ids(roleplay)
    client = signed_in(cast.coach)
    response = client.post(
        reverse("coaching:roleplay_take_review", args=[take.pk]),
        {f"level_{ids[0]}": "3", f"reason_{ids[0]}": "良い", "feedback": "まとめ"},
    )
    assert response.status_code == 200
    assert "レベルを選んでください" in response.content.decode()
    assert Review.objects.get(submission=take).status == "requested"
    response = client.post(
        reverse("coaching:roleplay_take_review", args=[take.pk]),
        {f"level_{ids[0]}": "3", f"reason_{ids[0]}": "良い", f"level_{ids[1]}": "1", f"reason_{ids[1]}": "弱い",
         "feedback": "まとめ"},
    )  # fmt: skip
    assert response.status_code == 302
    take.refresh_from_db()
    assert take.score == 0.75 and take.passed is True


@pytest.mark.django_db
def test_people_who_were_not_asked_cannot_send_a_review(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=0)
    take = hand_in(cast.rep_a1, roleplay)
    for person in (cast.manager_a, cast.rep_a2, cast.rep_b1, cast.manager_b, cast.author):
        response = signed_in(person).post(reverse("coaching:roleplay_take_review", args=[take.pk]), {"feedback": "x"})
        assert response.status_code == 404


@pytest.mark.django_db
def test_time_coded_comments_and_the_reps_reply(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=0)
    take = hand_in(cast.rep_a1, roleplay)
    coach = signed_in(cast.coach)
    coach.post(
        reverse("coaching:roleplay_take_comment", args=[take.pk]), {"body": "ここで沈黙が長いです", "at_second": 1}
    )
    comment = take.comments.get()
    assert comment.at_second == 1 and comment.author == cast.coach
    rep = signed_in(cast.rep_a1)
    # The rep replies; a reply keeps its comment's second.
    rep.post(
        reverse("coaching:roleplay_take_comment", args=[take.pk]),
        {"body": "意識します", "parent": comment.pk, "at_second": 0},
    )
    reply = comment.replies.get()
    assert reply.at_second == 1 and reply.author == cast.rep_a1
    # The rep cannot pin new comments on their own take, and a colleague who was not asked cannot comment.
    assert rep.post(reverse("coaching:roleplay_take_comment", args=[take.pk]), {"body": "独り言"}).status_code == 404
    other = signed_in(cast.rep_a2)
    assert other.post(reverse("coaching:roleplay_take_comment", args=[take.pk]), {"body": "x"}).status_code == 404
    page = signed_in(cast.rep_a1).get(reverse("coaching:roleplay_take", args=[take.pk])).content.decode()
    assert "ここで沈黙が長いです" in page and "意識します" in page and 'data-seek="1"' in page
