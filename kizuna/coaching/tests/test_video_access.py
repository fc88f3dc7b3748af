"""Private videos: signed, expiring links for one viewer, checked against the access rule on every request.

On local files the app serves the video itself; in a bucket (STORAGE_URL, KIZUNA_TEST_STORAGE=s3) it answers a
viewer it let in with a redirect to a short-lived signed URL of the bucket, and the bytes come from there. Either
way the access check comes first: someone refused gets a 404, never a redirect.
"""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from django.core import signing
from django.test import Client

from kizuna.coaching import selectors, services
from kizuna.orgs.sharing import partner_sharing_set

from .helpers import hand_in, roleplay_for


@pytest.fixture
def ready_take(cast: Any, django_capture_on_commit_callbacks: Any) -> Any:
    roleplay = roleplay_for(cast, peer_count=1)
    with django_capture_on_commit_callbacks(execute=True):
        take = hand_in(cast.rep_a1, roleplay)
    take.video.refresh_from_db()
    assert take.video.is_ready
    return take


def _get(user: Any, url: str, **headers: Any) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url, headers=headers)


class Watched:
    """What a viewer finally got: the app's own answer on local files, the bucket's after its signed redirect."""

    def __init__(self, answer: Any) -> None:
        self.app = answer
        if settings.STORAGE_URL and answer.status_code == 302:
            location = answer["Location"]
            endpoint = parse_qs(urlsplit(settings.STORAGE_URL).query)["endpoint_url"][0]
            assert location.startswith(endpoint + "/"), location  # straight from the bucket, not an app page
            query = parse_qs(urlsplit(location).query)
            assert "X-Amz-Signature" in query and int(query["X-Amz-Expires"][0]) <= 600
            assert "no-store" in answer["Cache-Control"]  # the signed URL is not kept by a browser or proxy
            fetched = requests.get(location, headers=answer.request_headers, timeout=10)
            self.status_code, self.headers, self.content = fetched.status_code, fetched.headers, fetched.content
        else:
            assert not settings.STORAGE_URL or answer.status_code >= 400, answer.status_code  # no bucket bytes via us
            self.status_code, self.headers = answer.status_code, answer
            self.content = b"".join(answer.streaming_content) if answer.streaming else answer.content


def _watch(user: Any, url: str, **headers: Any) -> Watched:
    answer = _get(user, url, **headers)
    answer.request_headers = headers
    return Watched(answer)


@pytest.mark.django_db
def test_the_rep_their_manager_the_coach_and_the_asked_peer_can_watch(cast: Any, ready_take: Any) -> None:
    for person in (cast.rep_a1, cast.manager_a, cast.coach, cast.admin, cast.rep_a2):
        url = selectors.video_url(ready_take, person)
        response = _watch(person, url, Range="bytes=0-99")
        assert response.status_code == 206, person
        assert response.headers["Content-Type"] == "video/mp4"
        assert len(response.content) == 100
        assert "no-store" in response.app["Cache-Control"]
        poster = _watch(person, selectors.video_url(ready_take, person, poster=True))
        assert poster.status_code == 200 and poster.content[:3] == b"\xff\xd8\xff"  # a JPEG


@pytest.mark.django_db
def test_partner_b_cannot_open_partner_as_video_even_with_the_link(cast: Any, ready_take: Any) -> None:
    link = selectors.video_url(ready_take, cast.rep_a1)
    for outsider in (cast.rep_b1, cast.manager_b, cast.author):
        assert _get(outsider, link).status_code == 404
    anonymous = Client().get(link)
    assert anonymous.status_code == 404
    # Nor with a link made out to themselves: they may not see the take at all.
    for outsider in (cast.rep_b1, cast.manager_b, cast.author):
        assert _get(outsider, selectors.video_url(ready_take, outsider)).status_code == 404
        assert _get(outsider, f"/roleplay/takes/{ready_take.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_link_expires_and_a_tampered_link_is_refused(cast: Any, ready_take: Any, monkeypatch: Any) -> None:
    link = selectors.video_url(ready_take, cast.rep_a1)
    assert _watch(cast.rep_a1, link).status_code == 200
    assert _get(cast.rep_a1, link[:-3] + "abc").status_code == 404
    monkeypatch.setattr(selectors, "VIDEO_URL_SECONDS", -1)
    assert _get(cast.rep_a1, link).status_code == 404


@pytest.mark.django_db
def test_access_is_checked_again_on_every_request(cast: Any, ready_take: Any) -> None:
    peer_review = ready_take.reviews.get(role="peer")
    link = selectors.video_url(ready_take, cast.rep_a2)
    assert _watch(cast.rep_a2, link).status_code == 200
    peer_review.delete()  # no longer asked to review it
    assert _get(cast.rep_a2, link).status_code == 404


@pytest.mark.django_db
def test_peers_of_another_agency_are_asked_only_when_both_agencies_share_reviews(cast: Any) -> None:
    roleplay = roleplay_for(cast, peer_count=2, review_by_coach=False)
    services.roleplay_target_add(roleplay=roleplay, assigned_by=cast.coach, partner=cast.partner_b)
    take = hand_in(cast.rep_a1, roleplay)
    assert set(take.reviews.values_list("reviewer", flat=True)) == {cast.rep_a2.pk}
    partner_sharing_set(partner=cast.partner_a, rankings=False, reviews=True, community=True)
    partner_sharing_set(partner=cast.partner_b, rankings=False, reviews=True, community=True)
    second = hand_in(cast.rep_a1, roleplay)
    assert set(second.reviews.values_list("reviewer", flat=True)) == {cast.rep_a2.pk, cast.rep_b1.pk}
    # The asked peer of partner B sees the take, under the name the principal chose; partner B's manager does not.
    assert _get(cast.rep_b1, f"/roleplay/takes/{second.pk}/").status_code == 200
    assert _get(cast.manager_b, f"/roleplay/takes/{second.pk}/").status_code == 404
    assert _get(cast.rep_b1, f"/roleplay/takes/{take.pk}/").status_code == 404


@pytest.mark.django_db
def test_deleting_a_take_deletes_its_video_files(
    cast: Any, ready_take: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from pathlib import PurePosixPath

    from django.core.files.storage import default_storage

    folder = str(PurePosixPath(ready_take.video.mp4.name).parent)  # local files, or the bucket (KIZUNA_TEST_STORAGE)
    assert default_storage.exists(f"{folder}/video.mp4")
    link = selectors.video_url(ready_take, cast.rep_a1)
    client = Client()
    client.force_login(cast.rep_a1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/roleplay/takes/{ready_take.pk}/delete")
    assert response.status_code == 302
    try:
        left = default_storage.listdir(folder)
    except FileNotFoundError:  # local files: the folder is gone too
        left = ([], [])
    assert left == ([], [])
    assert client.get(link).status_code == 404


def test_tokens_name_the_viewer() -> None:
    token = signing.TimestampSigner(salt="kizuna.coaching.video").sign("5.9")
    assert signing.TimestampSigner(salt="kizuna.coaching.video").unsign(token) == "5.9"
