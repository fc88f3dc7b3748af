"""`{% load quotes %}`: ``{{ message|nest_quotes }}``, and ``{% filter nest_quotes %}…{% endfilter %}`` around a
translated sentence that quotes a title in 「」."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from ..quotes import nest_quotes as _nest_quotes

register = template.Library()


@register.filter(is_safe=True)
def nest_quotes(value: object) -> str:
    """Write quotes inside 「」 as 『』 (escaping first unless the value is already safe HTML)."""
    text = value if isinstance(value, SafeString) else conditional_escape(str(value))
    return mark_safe(_nest_quotes(str(text)))  # noqa: S308 - escaped above; only brackets change
