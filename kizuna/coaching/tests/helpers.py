"""What the coaching tests share: a tiny real video, a published roleplay assigned to partner A, handing in a take."""

import subprocess
import tempfile
import uuid
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from kizuna.coaching import services
from kizuna.coaching.services import CriterionInput

CRITERIA = [
    CriterionInput(title="ヒアリング", weight=3, levels=["聞けていない", "一部聞けた", "課題を深掘りできた"]),
    CriterionInput(title="提案", weight=1, levels=["製品説明のみ", "課題に結びつけた"]),
]


@cache
def video_bytes(seconds: float = 2.0) -> bytes:
    """Return a small real MP4 (test pattern and a tone), made once per run."""
    out = Path(tempfile.gettempdir()) / f"kizuna-coaching-test-{seconds}.mp4"
    if not out.exists():
        subprocess.run(
            [
                "ffmpeg", "-v", "error", "-y",
                "-f", "lavfi", "-i", f"testsrc=size=160x120:rate=10:duration={seconds}",
                "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                str(out) + ".tmp.mp4",
            ],
            check=True,
        )  # fmt: skip
        Path(str(out) + ".tmp.mp4").replace(out)
    return out.read_bytes()


def roleplay_for(cast: Any, **kwargs: Any) -> Any:
    """Write, publish and assign (to partner A unless told) a two-criterion roleplay."""
    target = kwargs.pop("target", None) or {"partner": cast.partner_a}
    options = {"review_by_coach": True, "review_by_manager": False, "peer_count": 1, "pass_threshold": 60, **kwargs}
    roleplay = services.roleplay_create(
        author=cast.coach,
        title="初回訪問のヒアリング",
        situation="中小企業の社長を初めて訪問します。",
        persona="慎重で、前のシステムで失敗した経験がある社長。",
        goal="課題を3つ聞き出し、次回の提案の約束を取る。",
        criteria=CRITERIA,
        due_at=timezone.now() + timedelta(days=7),
        **options,
    )
    services.roleplay_publish(roleplay=roleplay)
    services.roleplay_target_add(roleplay=roleplay, assigned_by=cast.coach, **target)
    return roleplay


def hand_in(rep: Any, roleplay: Any, *, consent: bool = False) -> Any:
    """Hand in a take with a real video (not yet transcoded unless on-commit callbacks run)."""
    return services.submission_create(
        rep=rep,
        roleplay=roleplay,
        file=ContentFile(video_bytes(), name="take.mp4"),
        statement_id=uuid.uuid4(),
        consent=consent,
    )


def criteria_ids(roleplay: Any) -> list[int]:
    return list(roleplay.criteria.values_list("pk", flat=True))


def review_all(submission: Any, levels: list[int]) -> None:
    """Send every requested review of a take with the given levels (one per criterion)."""
    ids = criteria_ids(submission.roleplay)
    for review in submission.reviews.filter(status="requested"):
        services.review_submit(
            review=review,
            levels=dict(zip(ids, levels, strict=True)),
            reasons={cid: "理由です" for cid in ids},
            feedback="よく聞けていました。",
        )
