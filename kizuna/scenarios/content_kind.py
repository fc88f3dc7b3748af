"""The scenario lesson kind: how a course lesson offers, checks, publishes and shows a scenario (catalog.kinds)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from kizuna.catalog.kinds import ContentKind
from kizuna.catalog.text_checks import unexplained_terms_message

from .models import Scenario, ScenarioVersion
from .selectors import my_attempts, scenario_choices_for


def _problems(content_id: int) -> list[str]:
    from .services import scenario_problems, unexplained_in
    from .validation import Code

    scenario = Scenario.objects.filter(pk=content_id).first()
    if scenario is None:
        return [_("The scenario of this lesson no longer exists. Choose another one.")]
    errors = scenario_problems(scenario)
    problems = [
        _("Scenario “%(title)s”: %(problem)s") % {"title": scenario.title, "problem": error.message}
        for error in errors
        if error.code != Code.UNEXPLAINED_TERM
    ]
    terms = unexplained_in(errors)
    return problems + ([unexplained_terms_message(terms)] if terms else [])


def _title(content_id: int) -> str | None:
    return Scenario.objects.filter(pk=content_id).values_list("title", flat=True).first()


def _publish(content_id: int, publisher: Any) -> int:
    from .services import scenario_publish

    return scenario_publish(scenario=Scenario.objects.get(pk=content_id), publisher=publisher).pk


def _learner(request: HttpRequest, lesson: Any, progress: Any) -> tuple[str, dict[str, Any]]:
    version = ScenarioVersion.objects.filter(pk=lesson.content_id).select_related("scenario").first()
    attempts = list(my_attempts(request.user, version=version)[:5]) if version is not None else []
    return "scenarios/_lesson_card.html", {
        "scenario_version": version,
        "scenario_attempts": attempts,
        "scenario_node_count": sum(1 for n in version.graph.get("nodes", []) if n.get("kind") == "moment")
        if version
        else 0,
    }


SCENARIO_KIND = ContentKind(
    kind="scenario",
    choices=scenario_choices_for,
    publish_problems=_problems,
    publish=_publish,
    learner=_learner,
    title=_title,
)
