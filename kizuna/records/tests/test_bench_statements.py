"""The benchmark generator (bench/datagen) shapes statements as the records app does: every statement of its
'tiny' preset is valid xAPI 1.0.3 as served (Video Profile statements too), and its projections are the app's."""

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kizuna.records import projections
from kizuna.records.models import Statement
from kizuna.records.services import statement_to_xapi
from kizuna.records.tests.xapi_validation import is_video_statement, xapi_problems

BENCH = Path(__file__).resolve().parents[3] / "bench"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tiny_simulation(db: Any, settings: Any, tmp_path: Path) -> Any:
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.MEDIA_ROOT = str(tmp_path / "media")
    sys.path.insert(0, str(BENCH))
    try:
        from datagen.common import DAY, PRESETS, to_us
        from datagen.simulation import Simulation
        from datagen.world import build_content, build_people, create_assignments, plan_assignments, plan_reps
    finally:
        sys.path.remove(str(BENCH))
    size = PRESETS["tiny"]
    # Fewer statements than the preset, and most courses with a video lesson, so videos are watched.
    size = type(size)(**{**size.__dict__, "statements": 3000, "days": 12, "video_courses": 20})
    tz = ZoneInfo(settings.TIME_ZONE)
    today = datetime.now(tz).date()
    window_end = to_us(datetime(today.year, today.month, today.day, tzinfo=tz))
    window_start = window_end - size.days * DAY
    world = build_people(size, 7, window_start, window_end)
    courses = build_content(size, 7, world["staff"], window_start)
    planned = plan_assignments(size, 7, world, courses, window_start, window_end, tz)
    create_assignments(world, planned)
    plan_reps(world, planned, 7)
    return Simulation(seed=7, world=world, planned=planned, size=size, window_start_us=window_start, tz=tz)


def test_every_statement_of_the_bench_generator_is_valid_xapi_and_videos_follow_the_profile(tiny_simulation):
    sys.path.insert(0, str(BENCH))
    try:
        from datagen.bulkload import STATEMENT_COLUMNS
    finally:
        sys.path.remove(str(BENCH))
    from kizuna.accounts.models import User

    actors = {user.pk: user for user in User.objects.all()}
    failures, checked, video, statements = [], 0, set(), []
    for row in tiny_simulation.rows():
        values = dict(zip(STATEMENT_COLUMNS, row, strict=True))
        for name in ("object_name", "result", "context", "object_definition"):
            if isinstance(values[name], str):
                values[name] = json.loads(values[name])
        st = Statement(**values)
        st.actor = actors[values["actor_id"]]
        statements.append(st)
        data = statement_to_xapi(st)
        checked += 1
        if is_video_statement(data):
            video.add(data["verb"]["id"].rsplit("/", 1)[-1])
        problems = xapi_problems(data)
        if problems:
            failures.append((data["verb"]["id"], problems[:3]))
    assert checked > 2000
    assert video >= {"initialized", "played", "paused", "terminated", "completed"}
    assert failures == [], failures[:5]
    # The generator's own projection rows are what the app's projection code derives from its statements.
    memory = projections.replay(statements)
    replayed = {
        key: (lp.position_seconds, lp.played_segments, lp.progress, round(lp.time_spent_seconds, 6), lp.completed_at)
        for key, lp in memory.lessons.items()
    }
    generated = {
        (row[0], row[1]): (row[6], json.loads(row[7]), row[8], round(row[9], 6), row[5])
        for row in tiny_simulation.lesson_progress_rows()
    }
    assert generated == replayed
