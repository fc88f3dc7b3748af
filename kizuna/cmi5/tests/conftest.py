import io
from typing import Any

import pytest

from conftest import publish_course

from .courses import AuDef, CourseDef, cmi5_zip


def cmi5_lesson_course(cast: Any, spec: CourseDef | None = None, *, slug: str = "cmi5-course", **target: Any) -> Any:
    """A published course whose one lesson is a cmi5 course made from the spec, assigned to partner A (unless told)."""
    from kizuna.cmi5.services import cmi5_course_import

    cmi5 = cmi5_course_import(upload=io.BytesIO(cmi5_zip(spec)), author=cast.author)
    course = publish_course(
        cast,
        slug=slug,
        title="cmi5研修",
        lessons=[{"kind": "cmi5", "title": cmi5.title, "content_id": cmi5.pk}],
        **target,
    )
    return course, course.latest_version.lessons.get(), cmi5


@pytest.fixture
def cmi5_lesson(cast: Any) -> Any:
    return cmi5_lesson_course(cast)


@pytest.fixture
def cmi5_block_lesson(cast: Any) -> Any:
    spec = CourseDef(
        aus=[
            AuDef(
                "https://example.com/c/au/a",
                "A",
                "a/index.html",
                move_on="Completed",
                mastery=None,
                block="https://example.com/c/b1",
            ),
            AuDef(
                "https://example.com/c/au/b", "B", "b/index.html", move_on="Passed", block="https://example.com/c/b1"
            ),
            AuDef("https://example.com/c/au/c", "C", "c/index.html", move_on="NotApplicable", mastery=None),
        ],
        blocks={"https://example.com/c/b1": "ブロック1"},
    )
    return cmi5_lesson_course(cast, spec, slug="cmi5-blocks")
