"""A cmi5 course's files are served by the packages' one helper (kizuna.packages.serving): ranges, behind the check."""

from typing import Any

import pytest

from kizuna.packages.tests.test_serving import body, rep_client

pytestmark = pytest.mark.django_db


def test_a_cmi5_course_file_is_served_by_the_same_helper(cast: Any, cmi5_lesson: Any) -> None:
    _course, lesson, _cmi5 = cmi5_lesson
    url = f"/learn/lessons/{lesson.pk}/cmi5/au1/index.html"
    response = rep_client(cast).get(url, HTTP_RANGE="bytes=0-14")
    assert response.status_code == 206 and body(response) == b"<!doctype html>"
    assert response["Content-Type"].startswith("text/html") and response["Accept-Ranges"] == "bytes"
    assert rep_client(cast, cast.rep_b1).get(url).status_code == 404
