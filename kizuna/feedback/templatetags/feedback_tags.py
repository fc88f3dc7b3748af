"""The content-feedback widget of the learner's lesson page: ``{% load feedback_tags %}{% lesson_feedback lesson %}``."""

import uuid
from typing import Any

from django import template

from kizuna.ops.repcache import kept
from kizuna.orgs.access import membership_of

from ..selectors import lesson_feedback_for
from ..services import MAX_TEXT

register = template.Library()


@register.inclusion_tag("feedback/_lesson_widget.html", takes_context=True)
def lesson_feedback(context: Any, lesson: Any) -> dict[str, Any]:
    """Draw the rep's "worked / didn't work" form, or their feedback and the author's note; nothing for others.

    No query on the lesson page (it passes ``lesson_feedback``); elsewhere one, for reps only.
    """
    user = context["request"].user
    m = membership_of(user)
    if m is None or not m.is_rep:
        return {"show": False}
    # The lesson page reads it with the rep's other parts of the page, kept per course (ops.repcache) and renewed
    # when they or an author change it; elsewhere it is kept on its own.
    if "lesson_feedback" in context:
        feedback = context["lesson_feedback"]
    else:
        key = f"feedback:{lesson.pk}"
        feedback = kept(user, {key: lambda: lesson_feedback_for(rep=user, lesson_id=lesson.pk)})[key]
    return {
        "show": True,
        "lesson": lesson,
        "feedback": feedback,
        "submission_id": uuid.uuid4(),
        "worked": ("yes" if feedback.worked else "no") if feedback else "",
        "comment": feedback.comment if feedback else "",
        "max_length": MAX_TEXT,
        "csrf_token": context.get("csrf_token"),
    }
