"""The screens: each role's roleplay home, writing and assigning a roleplay, the record page, the review page."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kizuna.coaching import services
from kizuna.coaching.models import Roleplay

from .helpers import hand_in, review_all, roleplay_for


@pytest.mark.django_db
def test_a_coach_writes_publishes_and_assigns_a_roleplay(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.coach)
    assert client.get(reverse("coaching:roleplay_new")).status_code == 200
    form = {
        "title": "値上げの説明",
        "situation": "既存顧客に値上げを伝えます。",
        "persona": "長年の取引先の購買担当者。",
        "goal": "納得して継続してもらう。",
        "pass_threshold": "70",
        "review_by_coach": "on",
        "peer_count": "2",
        "review_days": "3",
        "due_at": "",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "10",
        "criteria-0-title": "理由の説明",
        "criteria-0-weight": "2",
        "criteria-0-levels": "説明がない\n理由を説明した\n顧客の利益に結びつけた",
        "criteria-1-title": "",
        "criteria-1-weight": "1",
        "criteria-1-levels": "",
    }
    bad = client.post(reverse("coaching:roleplay_new"), {**form, "criteria-0-levels": "一つだけ"})
    assert bad.status_code == 200 and not Roleplay.objects.exists()
    response = client.post(reverse("coaching:roleplay_new"), form)
    roleplay = Roleplay.objects.get()
    assert response.url == reverse("coaching:roleplay_detail", args=[roleplay.pk])
    assert [(c.title, c.weight, len(c.levels)) for c in roleplay.criteria.all()] == [("理由の説明", 2, 3)]
    client.post(reverse("coaching:roleplay_publish", args=[roleplay.pk]))
    client.post(reverse("coaching:roleplay_assign", args=[roleplay.pk]), {"team": cast.team_a1.pk})
    client.post(reverse("coaching:roleplay_assign_rep", args=[roleplay.pk]), {"email": cast.rep_a2.email})
    roleplay.refresh_from_db()
    assert roleplay.is_published
    assert {(t.team_id, t.rep_id) for t in roleplay.targets.all()} == {(cast.team_a1.pk, None), (None, cast.rep_a2.pk)}
    assert signed_in(cast.rep_a1).get(reverse("coaching:roleplay_detail", args=[roleplay.pk])).status_code == 200
    assert signed_in(cast.rep_b1).get(reverse("coaching:roleplay_detail", args=[roleplay.pk])).status_code == 404


@pytest.mark.django_db
def test_reps_and_managers_cannot_write_roleplays(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast)
    for person in (cast.rep_a1, cast.manager_a):
        client = signed_in(person)
        assert client.get(reverse("coaching:roleplay_new")).status_code == 404
        assert client.get(reverse("coaching:roleplay_edit", args=[roleplay.pk])).status_code == 404
        assert client.post(reverse("coaching:roleplay_publish", args=[roleplay.pk])).status_code == 404


@pytest.mark.django_db
def test_every_role_has_a_roleplay_home(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=1)
    hand_in(cast.rep_a1, roleplay)
    rep_page = signed_in(cast.rep_a1).get(reverse("coaching:roleplay_home")).content.decode()
    assert roleplay.title in rep_page
    peer_page = signed_in(cast.rep_a2).get(reverse("coaching:roleplay_home")).content.decode()
    assert reverse("coaching:roleplay_take", args=[roleplay.submissions.get().pk]) in peer_page
    for person in (cast.admin, cast.author, cast.coach, cast.manager_a, cast.manager_b, cast.rep_b1):
        assert signed_in(person).get(reverse("coaching:roleplay_home")).status_code == 200
    assert roleplay.title not in signed_in(cast.rep_b1).get(reverse("coaching:roleplay_home")).content.decode()
    record = signed_in(cast.rep_a1).get(reverse("coaching:roleplay_record", args=[roleplay.pk]))
    assert record.status_code == 200 and b"recorder.js" in record.content
    assert signed_in(cast.rep_b1).get(reverse("coaching:roleplay_record", args=[roleplay.pk])).status_code == 404


@pytest.mark.django_db
def test_the_review_page_with_fifty_comments_runs_a_fixed_number_of_queries(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=1)
    take = hand_in(cast.rep_a1, roleplay)
    review_all(take, [2, 2])
    first = take.comments.create(author=cast.coach, body="最初", at_second=0)
    for n in range(49):
        parent = take.comments.create(author=cast.rep_a2 if n % 2 else cast.coach, body=f"コメント{n}", at_second=n % 2)
        take.comments.create(author=cast.rep_a1, body="返信", at_second=parent.at_second, parent=parent)
    first.replies.create(submission=take, author=cast.rep_a1, body="了解です", at_second=0)
    client = signed_in(cast.coach)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("coaching:roleplay_take", args=[take.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="card comment"') == 50
    assert len(queries) <= 11, [q["sql"] for q in queries]  # 10 today, whatever the number of comments


@pytest.mark.django_db
def test_the_calibration_pages(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=0)
    take = hand_in(cast.rep_a1, roleplay, consent=True)
    review_all(take, [3, 2])  # the coach's reference scores
    services.submission_reference_set(submission=take, reference=True)
    client = signed_in(cast.rep_a2)
    assert (
        reverse("coaching:roleplay_take", args=[take.pk])
        in client.get(reverse("coaching:roleplay_calibration")).content.decode()
    )
    client.post(reverse("coaching:roleplay_take_calibrate", args=[take.pk]))
    review = take.reviews.get(reviewer=cast.rep_a2)
    assert review.role == "calibration"
    ids = list(roleplay.criteria.values_list("pk", flat=True))
    services.review_submit(review=review, levels={ids[0]: 2, ids[1]: 2}, reasons={i: "x" for i in ids}, feedback="x")
    mine = client.get(reverse("coaching:roleplay_calibration")).context["mine"]
    assert mine.deviation == 0.25 and mine.agreement == 0.75
    overview = signed_in(cast.coach).get(reverse("coaching:roleplay_calibration"))
    assert [row.reviewer for row in overview.context["rows"]] == [cast.rep_a2]
    # Partner B does not see partner A's reference take.
    assert signed_in(cast.rep_b1).get(reverse("coaching:roleplay_take", args=[take.pk])).status_code == 404


@pytest.mark.django_db
def test_the_review_page_speaks_english_to_a_rep_who_chose_it(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=0)
    take = hand_in(cast.rep_a1, roleplay)
    cast.rep_a1.language = "en"
    cast.rep_a1.save(update_fields=["language"])
    page = signed_in(cast.rep_a1).get(reverse("coaching:roleplay_take", args=[take.pk])).content.decode()
    assert "Take 1" in page and "Waiting for reviews" in page and "Record a new take" in page
    japanese = signed_in(cast.rep_a2).get(reverse("coaching:roleplay_home")).content.decode()
    assert "自分のロープレ" in japanese
