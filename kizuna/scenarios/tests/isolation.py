"""Partner A's scenario objects for the isolation walk (kizuna/tests/test_isolation.py)."""

from typing import Any

from conftest import publish_course


def partner_a_objects(cast: Any) -> dict[str, Any]:
    """A scenario version (with a picture and videos) shown only in a course assigned to partner A, an attempt of
    partner A's rep, and the draft's rows (the principal's content: editors only)."""
    from kizuna.scenarios.models import ScenarioVersion
    from kizuna.scenarios.services import scenario_import, value_tag_create

    from .helpers import play, tiny_graph_with_media

    scenario = scenario_import(tiny_graph_with_media(slug="a-only-scenario"), author=cast.author)
    course = publish_course(
        cast,
        slug="a-only-scenario-course",
        title="A専用シナリオ",
        lessons=[{"kind": "scenario", "title": "シナリオ", "content_id": scenario.pk}],
    )
    lesson = course.latest_version.lessons.get()
    version = ScenarioVersion.objects.get(pk=lesson.content_id)
    attempt = play(cast.rep_a1, version, ["ask"], lesson=lesson)
    first = scenario.nodes.get(key="a")
    return {
        "version_id": version.pk,
        "attempt_id": attempt.pk,
        "scenario_id": scenario.pk,
        "node_key": first.key,
        "node_id": first.pk,
        "choice_id": first.choices.first().pk,
        "value_tag_id": value_tag_create(slug="a-only-value", name_ja="顧客第一", name_en="Customer first").pk,
        "image_name": version.graph["nodes"][0]["image"],
        "video_key": version.graph["nodes"][0]["video"],
    }
