"""Retention page helpers: the weak-topic rule stays in spacing.py, the template only asks."""

from django import template

from ..spacing import retention_is_low

register = template.Library()
register.filter("retention_is_low", retention_is_low)
