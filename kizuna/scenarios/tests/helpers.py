"""Helpers of the scenario tests: the example file, a tiny valid graph, and playing a version."""

import uuid
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "examples" / "complaint-handling.yaml"
# The top rep's path through the example, and a path that differs at the first moment.
REFERENCE_PATH = ["ask-details", "guide-setting", "root-cause", "listen-expansion"]
APOLOGY_PATH = ["apologize-first", "ask-now", "send-manual", "call-now", "close-call"]


def example_data() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def tiny_graph(**overrides: Any) -> dict[str, Any]:
    """A valid scenario in the exchange format: a → (ask → b | discount → lost), b → (calc → won | back → a)."""
    data: dict[str, Any] = {
        "format_version": 1,
        "slug": "tiny",
        "title": "小さなシナリオ",
        "start": "a",
        "nodes": [
            {
                "key": "a",
                "kind": "moment",
                "speaker": "お客様",
                "text": "高いね。",
                "choices": [
                    {"key": "ask", "text": "何と比べてですか?", "next": "b", "score": 2, "reference": True},
                    {"key": "discount", "text": "値引きします。", "next": "lost", "score": -1},
                ],
            },
            {
                "key": "b",
                "kind": "moment",
                "text": "紙のタイムカードと比べて。",
                "choices": [
                    {"key": "calc", "text": "一緒に計算しましょう。", "next": "won", "score": 3, "reference": True},
                    {"key": "back", "text": "もう一度聞き直す。", "next": "a", "score": 0},
                ],
            },
            {"key": "won", "kind": "end", "text": "受注", "outcome": "won", "debrief": "よくできました。"},
            {"key": "lost", "kind": "end", "text": "失注", "outcome": "lost", "debrief": "値引きは最後の手段です。"},
        ],
    }
    data.update(overrides)
    return data


def play(rep: Any, version: Any, choices: list[str], *, lesson: Any = None) -> Any:
    """Play a version choosing the given choice keys in order; return the attempt."""
    from kizuna.scenarios.models import Attempt
    from kizuna.scenarios.services import attempt_start, choice_make

    registration = attempt_start(rep=rep, version=version, lesson=lesson)
    for key in choices:
        attempt = Attempt.objects.get(registration=registration)
        choice_make(
            rep=rep, registration=registration, node_key=attempt.current_node, choice=key, statement_id=uuid.uuid4()
        )
    return Attempt.objects.get(registration=registration)


def png_bytes(colour: tuple[int, int, int] = (30, 80, 160)) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (16, 9), colour).save(out, "PNG")
    return out.getvalue()


def ready_video(title: str = "コーチの解説") -> Any:
    """A video that has been converted: an MP4 and a poster in storage."""
    from django.core.files.base import ContentFile

    from kizuna.media.models import Video

    video = Video.objects.create(title=title, status=Video.Status.READY, duration_seconds=10)
    video.mp4.save(f"videos/{video.key}/video.mp4", ContentFile(bytes(range(256)) * 8))
    video.poster.save(f"videos/{video.key}/poster.jpg", ContentFile(b"\xff\xd8\xff\xe0poster"))
    return video


def tiny_graph_with_media(**overrides: Any) -> dict[str, Any]:
    """The tiny graph whose first moment shows a picture and a video, and whose top rep's choice has a video."""
    from django.core.files.base import ContentFile

    from kizuna.scenarios.images import image_store

    data = tiny_graph(**overrides)
    video = ready_video()
    first = data["nodes"][0]
    first["image"] = image_store(ContentFile(png_bytes(), name="x.png"))
    first["video"] = str(video.key)
    first["choices"][0]["commentary_video"] = str(video.key)
    first["choices"][0]["commentary"] = "自分ならこう考えます。"
    return data
