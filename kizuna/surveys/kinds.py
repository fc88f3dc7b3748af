"""The survey lesson kind, registered with the catalog's seam (kizuna.catalog.kinds).

A survey lesson (for example the last lesson of a course: the course-end survey)
shows a published survey version on the lesson page; answering it completes the lesson.
"""

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from kizuna.catalog.kinds import ContentKind, register
from kizuna.orgs.access import membership_of

from . import selectors, services
from .models import Survey


def _choices(user: Any) -> list[tuple[int, str]]:
    return [
        (s.pk, _("%(title)s (%(count)s questions)") % {"title": s.title, "count": s.question_count})
        for s in selectors.studio_surveys()
    ]


def _title(content_id: int) -> str | None:
    return Survey.objects.filter(pk=content_id).values_list("title", flat=True).first()


def _publish(content_id: int, publisher: Any) -> int:
    return services.survey_version_for_lesson(survey=Survey.objects.get(pk=content_id), publisher=publisher).pk


def survey_learner(request: HttpRequest, lesson: Any, progress: Any) -> tuple[str, dict[str, Any]]:
    version = selectors.published_version(lesson.content_id)
    m = membership_of(request.user)
    is_rep = m is not None and m.is_rep
    return "surveys/_lesson_survey.html", {
        "survey_version": version,
        "survey_response": selectors.response_of(rep=request.user, version=version) if version and is_rep else None,
        "survey_sid": uuid.uuid4(),
        "survey_fields": selectors.answer_fields(version) if version else [],
    }


def register_kinds() -> None:
    register(
        ContentKind(
            kind="survey",
            choices=_choices,
            publish_problems=lambda content_id: services.survey_publish_problems(
                Survey.objects.filter(pk=content_id).first()
            ),
            publish=_publish,
            learner=survey_learner,
            title=_title,
        )
    )
