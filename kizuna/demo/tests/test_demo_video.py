"""Demo videos: made with espeak-ng and ffmpeg, uploaded and transcoded by the real media services,
then watched through the real records rules (90% of the video played completes the lesson)."""

import random
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files import File
from django.utils import timezone

from kizuna.catalog import services as catalog
from kizuna.catalog.models import PublishedLesson
from kizuna.catalog.selectors import version_outline
from kizuna.demo import activity, content
from kizuna.demo import services as demo
from kizuna.demo.assessments import seed_assessments
from kizuna.demo.videos import LINE_SIZE, MARGIN, TITLE_SIZE, WIDTH, VideoScript, text_width, video_render, wrap
from kizuna.ops.storage import stored_local_copy
from kizuna.records.models import CourseProgress, LessonProgress

media = pytest.importorskip("kizuna.media.services")

needs_tools = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("ffmpeg")), reason="espeak-ng and ffmpeg are needed"
)

SHORT = VideoScript(
    title="テスト動画",
    lines=("スマホで打刻するだけ",),
    narration="キズナわ、きんたいかんりの サービスです。",
    transcript="KIZUNAは、勤怠管理のサービスです。",
)


@pytest.fixture
def ready_video(cast: Any, tmp_path: Path) -> Any:
    path, seconds = video_render(script=SHORT, workdir=tmp_path / "made")
    assert 1.5 < seconds < 10
    with path.open("rb") as handle:
        video = media.video_create(uploaded_by=cast.author, file=File(handle), title=SHORT.title)
    return media.video_transcode(video=video)


@needs_tools
def test_a_demo_video_is_made_uploaded_and_transcoded_until_ready(ready_video: Any) -> None:
    assert ready_video.is_ready, ready_video.error
    assert (ready_video.width, ready_video.height) == (640, 360)
    assert 1.5 < ready_video.duration_seconds < 10
    with stored_local_copy(ready_video.mp4.name, label="test-probe") as path:  # local disk or a bucket alike
        assert media.video_probe(path=path).has_audio


@needs_tools
def test_watching_the_whole_demo_video_completes_it_and_watching_part_does_not(cast: Any, ready_video: Any) -> None:
    course = catalog.course_create(author=cast.author, title="動画だけのコース", slug="video-only")
    module = catalog.module_create(course=course, title="動画")
    catalog.lesson_create(module=module, kind="video", title=SHORT.title, video=ready_video)
    version = catalog.course_publish(course=course, publisher=cast.author)
    catalog.assignment_create(
        course=course, assigned_by=cast.admin, required=True, due_at=timezone.now() + timedelta(days=3),
        partner=cast.partner_a,
    )  # fmt: skip
    lesson = version_outline(version)[0][1][0]
    now = timezone.now()
    started = now - timedelta(hours=2)
    whole = activity.Timeline(rep=cast.rep_a1, rng=random.Random(1), now=now)
    activity.lesson_steps(whole, lesson, started)
    part = activity.Timeline(rep=cast.rep_a2, rng=random.Random(2), now=now)
    activity.lesson_steps(part, lesson, started, share=0.5)
    activity.steps_play(whole.steps + part.steps)

    assert LessonProgress.objects.get(user=cast.rep_a1, lesson=lesson).completed_at is not None
    assert CourseProgress.objects.get(user=cast.rep_a1, course=course).completed_at is not None
    halfway = LessonProgress.objects.get(user=cast.rep_a2, lesson=lesson)
    assert halfway.completed_at is None
    assert 0.4 < halfway.progress < 0.6
    # As the player does: Video Profile statements, each valid xAPI (Ralph's models, the profile's too).
    from kizuna.records.models import Statement
    from kizuna.records.services import statement_to_xapi
    from kizuna.records.tests.xapi_validation import is_video_statement, xapi_problems

    served = [statement_to_xapi(st) for st in Statement.objects.select_related("actor").order_by("seq")]
    assert [xapi_problems(data) for data in served if xapi_problems(data)] == []
    verbs = {data["verb"]["id"].rsplit("/", 1)[-1] for data in served if is_video_statement(data)}
    assert verbs == {"initialized", "played", "paused", "terminated", "completed"}


def test_every_demo_video_fits_its_picture() -> None:
    scripts = content.video_scripts()
    assert len(scripts) == 6
    for script in scripts:
        assert len(wrap(script.title, width=(WIDTH - 2 * MARGIN) // (TITLE_SIZE // 2))) <= 2, script.title
        assert 3 <= len(script.lines) <= 4, script.title
        for line in script.lines:
            assert text_width("・" + line) <= (WIDTH - 2 * MARGIN) // (LINE_SIZE // 2), line
        # espeak-ng's Japanese voice reads kanji as "Chinese letter": narrations are kana only.
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in script.narration), script.title


@needs_tools
def test_every_demo_lesson_with_a_video_plays_the_video_made_for_it(db: Any, tmp_path: Path) -> None:
    now = timezone.now()
    cast = demo.people_create(now=now)
    # Short stand-ins (one line, one word) keep the test quick; each keeps its script's title, as the seed's do.
    rendered = {
        script: video_render(
            script=VideoScript(title=script.title, lines=script.lines[:1], narration="きずな", transcript="絆"),
            workdir=tmp_path / f"video{index}",
        )[0]
        for index, script in enumerate(content.video_scripts())
    }
    videos = demo.videos_create(rendered=rendered, uploaded_by=cast.staff["author"], made=[], log=lambda _m: None)
    demo.courses_create(cast=cast, videos=videos, now=now)
    seed_assessments(now=now)

    lessons = list(PublishedLesson.objects.filter(video__isnull=False).select_related("video"))
    assert {lesson.kind for lesson in lessons} == {"video", "micro"}
    assert len(lessons) == len(content.video_scripts())
    for lesson in lessons:
        meant = content.video_meant_for(lesson.title)
        assert meant is not None, lesson.title
        assert lesson.video.title == meant.title, lesson.title
