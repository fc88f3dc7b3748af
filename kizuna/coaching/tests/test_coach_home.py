"""Each role starts its day on its own work: the coach on the reviews due to them and the new field voice."""

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.feedback.services import field_voice_record
from kizuna.orgs.access import Role
from kizuna.orgs.menu import START_PAGES, start_page_for

from .helpers import hand_in, roleplay_for


@pytest.mark.parametrize(
    ("person", "start"),
    [
        ("rep_a1", None),  # the rep's home itself: what to learn next
        ("manager_a", "analytics:partner_dashboard"),  # their agency's team
        ("coach", "coaching:coach_home"),  # reviews due and new field voice
        ("author", "catalog:studio"),
        ("admin", "analytics:principal_dashboard"),  # the agencies compared
    ],
)
def test_each_role_lands_on_its_own_start_page(cast: Any, person: str, start: str | None) -> None:
    client = Client()
    client.force_login(getattr(cast, person))
    response = client.get(reverse("learning:home"))
    if start is None:
        assert response.status_code == 200 and "next_up" in response.context
    else:
        assert response.status_code == 302 and response.url == reverse(start)
        assert client.get(response.url).status_code == 200


def test_every_role_has_a_start_page() -> None:
    assert set(START_PAGES) == set(Role.values)
    assert start_page_for(Role.COACH) == "coaching:coach_home"


def test_the_coach_sees_the_reviews_due_to_them_and_the_new_field_voice(cast: Any, signed_in: Any) -> None:
    roleplay = roleplay_for(cast)
    take = hand_in(cast.rep_a1, roleplay)
    field_voice_record(rep=cast.rep_b1, kind="objection", text="価格が高いと言われました。", submission_id=uuid.uuid4())
    body = signed_in(cast.coach).get(reverse("coaching:coach_home")).content.decode()
    assert reverse("coaching:roleplay_take", args=[take.pk]) in body
    assert "初回訪問のヒアリング" in body
    assert "価格が高いと言われました。" in body
    assert reverse("feedback:field_voice_inbox") in body


def test_the_coach_home_says_when_there_is_nothing_to_do(cast: Any, signed_in: Any) -> None:
    body = signed_in(cast.coach).get(reverse("coaching:coach_home")).content.decode()
    assert "レビューの依頼はありません。" in body
    assert "新しい現場の声はありません。" in body


@pytest.mark.parametrize("person", ["manager_a", "manager_b", "rep_a1", "author"])
def test_the_coach_home_is_not_found_for_other_roles(cast: Any, signed_in: Any, person: str) -> None:
    assert signed_in(getattr(cast, person)).get(reverse("coaching:coach_home")).status_code == 404


def test_the_coach_home_takes_a_fixed_number_of_queries(
    cast: Any, signed_in: Any, django_assert_max_num_queries: Any
) -> None:
    roleplay = roleplay_for(cast)
    for rep in (cast.rep_a1, cast.rep_a2):
        hand_in(rep, roleplay)
    for n in range(3):
        field_voice_record(rep=cast.rep_a1, kind="question", text=f"質問{n}", submission_id=uuid.uuid4())
    client = signed_in(cast.coach)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("coaching:coach_home")).status_code == 200
