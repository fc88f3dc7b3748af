"""A "please review" notification says, in the list, when the review was sent since."""

from typing import Any

import pytest
from django.urls import reverse

from .helpers import hand_in, review_all, roleplay_for


@pytest.mark.django_db
def test_a_review_request_shows_it_was_reviewed_since(cast: Any, client: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=0)
    take = hand_in(cast.rep_a1, roleplay)
    client.force_login(cast.coach)
    url = reverse("notifications:notifications")
    assert "レビュー済み" not in client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    review_all(take, [3, 2])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert page.count("にレビュー済み") == 1
