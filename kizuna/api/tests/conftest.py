"""Helpers for the API tests: calling with a token, and a published video course assigned to partner A."""

import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import publish_course
from kizuna.api.services import api_token_create

VIDEO_SECONDS = 100.0


class ApiCaller:
    """A test client that sends one person's integration token with every request."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, params)

    def post(self, path: str, data: Any) -> Any:
        return self.client.post("/api/v1" + path, data, content_type="application/json")


@pytest.fixture
def api_as(cast: Any) -> Any:
    def make(user: Any) -> ApiCaller:
        _token, raw = api_token_create(user=user, name="test", created_by=cast.admin)
        return ApiCaller(raw)

    return make


@pytest.fixture
def video_course(cast: Any) -> Any:
    """A published one-lesson video course (100 s video, ready) assigned to partner A only."""
    from kizuna.media.models import Video

    key = uuid.uuid4()
    video = Video.objects.create(
        key=key,
        title="トップ営業の商談",
        uploaded_by=cast.author,
        original=f"videos/{key}/original",
        mp4=f"videos/{key}/video.mp4",
        poster=f"videos/{key}/poster.jpg",
        status=Video.Status.READY,
        duration_seconds=VIDEO_SECONDS,
        ready_at=timezone.now(),
    )
    return publish_course(
        cast,
        slug="sales-talk",
        title="商談の進め方",
        lessons=[{"kind": "video", "title": "初回訪問", "video": video}],
        due_in_days=3,
    )


def first_lesson(course: Any) -> Any:
    return course.latest_version.lessons.order_by("position").first()


def statement(verb: str, **extra: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"}, **extra}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("http") and "/api/v1/problems/" in body["type"]
    assert body["title"] and body["detail"]
    return body
