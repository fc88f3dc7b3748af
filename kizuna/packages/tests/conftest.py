import io
from typing import Any

import pytest

from conftest import publish_course

from .packages import Spec, package_zip


def package_lesson_course(
    cast: Any, spec: Spec | None = None, *, slug: str = "scorm-course", data: bytes | None = None, **target: Any
) -> Any:
    """A published course whose one lesson is a package made from the spec (or the zip's bytes), assigned to
    partner A (unless told)."""
    from kizuna.packages.services import package_import

    package = package_import(upload=io.BytesIO(data or package_zip(spec)), author=cast.author)
    course = publish_course(
        cast,
        slug=slug,
        title="SCORM研修",
        lessons=[{"kind": "package", "title": package.title, "content_id": package.pk}],
        **target,
    )
    return course, course.latest_version.lessons.get(), package


@pytest.fixture
def scorm12_lesson(cast: Any) -> Any:
    return package_lesson_course(cast)


@pytest.fixture
def multi_sco_lesson(cast: Any) -> Any:
    spec = Spec(scos=[("sco-1", "第1章", "sco1/index.html"), ("sco-2", "第2章", "sco2/index.html")], nested=True)
    return package_lesson_course(cast, spec, slug="multi")


@pytest.fixture
def scorm2004_lesson(cast: Any) -> Any:
    spec = Spec(standard="scorm2004", mastery="0.8")
    return package_lesson_course(cast, spec, slug="scorm2004")
