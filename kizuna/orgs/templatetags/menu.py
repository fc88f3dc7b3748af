"""The top bar's links for the signed-in person's role, so templates never spell a role out."""

from typing import Any

from django import template

from ..menu import top_bar_for

register = template.Library()


@register.simple_tag(takes_context=True)
def top_bar(context: template.Context) -> list[dict[str, Any]]:
    """Return the top bar's links for the membership the context processor put in the context."""
    membership = context.get("membership")
    return top_bar_for(membership.role if membership else None)
