"""The gamification strip for the rep home and profile: `{% load gamification %}{% gamification_strip %}`."""

from typing import Any

from django import template

from kizuna.ops.repcache import kept

from ..selectors import rep_strip

register = template.Library()


@register.inclusion_tag("gamification/_strip.html", takes_context=True)
def gamification_strip(context: Any, compact: bool = False) -> dict[str, Any]:
    """Points, level, streak, badges, the latest kudos and a one-time celebration (one query)."""
    request = context["request"]
    user = request.user
    return {
        # Kept until the person's points, badges, kudos or the rules change (ops.repcache).
        "strip": kept(user, {"strip": lambda: rep_strip(user)})["strip"],
        "compact": compact,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }
