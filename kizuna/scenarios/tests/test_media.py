"""A published version's pictures and videos: served to the people who may play it, 404 for everyone else."""

import uuid

import pytest
from django.urls import reverse

from conftest import publish_course
from kizuna.scenarios import services
from kizuna.scenarios.models import Attempt
from kizuna.tests.stored_support import fetched

from .helpers import png_bytes, ready_video, tiny_graph_with_media


@pytest.fixture
def media_lesson(cast):
    """A lesson of partner A's course playing a scenario with a picture, a video and a commentary video."""
    scenario = services.scenario_import(tiny_graph_with_media(slug="media"), author=cast.author)
    course = publish_course(
        cast,
        slug="media-course",
        title="メディア",
        lessons=[{"kind": "scenario", "title": "シナリオ", "content_id": scenario.pk}],
    )
    return course.latest_version.lessons.get()


def urls(lesson):
    from kizuna.scenarios.models import ScenarioVersion

    version = ScenarioVersion.objects.get(pk=lesson.content_id)
    first = version.graph["nodes"][0]
    query = f"?lesson={lesson.pk}"
    return {
        "image": reverse("scenarios:scenario_media_image", args=[version.pk, first["image"]]) + query,
        "video": reverse("scenarios:scenario_media_video", args=[version.pk, first["video"]]) + query,
        "poster": reverse("scenarios:scenario_media_poster", args=[version.pk, first["video"]]) + query,
    }


def test_a_rep_of_the_audience_gets_the_picture_and_the_video_with_ranges(cast, signed_in, media_lesson):
    client = signed_in(cast.rep_a1)
    found = urls(media_lesson)
    response = fetched(client, found["image"])
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.body.startswith(b"\x89PNG")
    response = fetched(client, found["video"], headers={"Range": "bytes=0-99"})
    assert response.status_code == 206 and response["Content-Type"] == "video/mp4"
    assert response["Content-Range"] == "bytes 0-99/2048" and len(response.body) == 100
    assert fetched(client, found["poster"]).status_code == 200


def test_partner_b_and_people_outside_the_lesson_get_404(cast, signed_in, media_lesson):
    found = urls(media_lesson)
    for outsider in (cast.rep_b1, cast.manager_b):
        client = signed_in(outsider)
        for url in found.values():
            assert client.get(url).status_code == 404, (outsider.email, url)
    client = signed_in(cast.rep_a1)
    for url in found.values():
        assert client.get(url.split("?")[0]).status_code == 404  # a rep plays only through the lesson


def test_media_the_version_does_not_show_is_404_even_for_its_players(cast, signed_in, media_lesson):
    from django.core.files.base import ContentFile

    from kizuna.scenarios.images import image_store

    other_image = image_store(ContentFile(png_bytes((200, 0, 0)), name="y.png"))
    other_video = ready_video("別の動画")
    version_id = media_lesson.content_id
    query = f"?lesson={media_lesson.pk}"
    client = signed_in(cast.rep_a1)
    assert (
        client.get(reverse("scenarios:scenario_media_image", args=[version_id, other_image]) + query).status_code == 404
    )
    assert (
        client.get(reverse("scenarios:scenario_media_video", args=[version_id, other_video.key]) + query).status_code
        == 404
    )
    assert (
        client.get(reverse("scenarios:scenario_media_image", args=[version_id, "..%2Fsecret.png"]) + query).status_code
        == 404
    )


def test_principal_staff_get_the_media_without_a_lesson(cast, signed_in, media_lesson):
    client = signed_in(cast.coach)
    for url in urls(media_lesson).values():
        assert fetched(client, url.split("?")[0]).status_code == 200


def test_the_player_shows_the_picture_the_video_and_the_commentary_video(cast, signed_in, media_lesson):
    client = signed_in(cast.rep_a1)
    found = urls(media_lesson)
    client.post(
        reverse("scenarios:scenario_play", args=[media_lesson.content_id]),
        {"statement_id": str(uuid.uuid4()), "lesson": media_lesson.pk},
    )
    attempt = Attempt.objects.get(rep=cast.rep_a1)
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk])).content.decode()
    assert f'src="{found["image"]}"' in page
    assert f'src="{found["video"]}"' in page
    client.post(
        reverse("scenarios:scenario_choose", args=[attempt.pk]),
        {"node": "a", "choice": "ask", "statement_id": str(uuid.uuid4())},
    )
    page = client.get(reverse("scenarios:scenario_attempt", args=[attempt.pk]) + "?after=0").content.decode()
    assert 'id="commentary"' in page and f'src="{found["video"]}"' in page
    assert "自分ならこう考えます。" in page
