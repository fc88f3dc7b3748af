"""The Django admin as an operator's read-only window on every table.

Apps register a ModelAdmin for the models where the admin adds something (search, filters, the few
fields support may edit). Every other model is registered here, read-only: Kizuna's writes go through
services that check invariants and record statements, and a row edited behind their back would break
both. `register_the_rest` runs once every app's admin module is loaded (`OpsConfig.ready`).
"""

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """Show rows without allowing anyone to add, change or delete them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyTabularInline(admin.TabularInline):
    """Rows shown inside a read-only parent, also read-only."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _plain_columns(model: type[models.Model]) -> list[str]:
    """A few columns that cost no extra query: the primary key and the first plain fields."""
    fields = [f for f in model._meta.concrete_fields if not f.is_relation and not isinstance(f, models.JSONField)]
    names = [f.name for f in fields if not isinstance(f, models.TextField)]
    return ["__str__", *[name for name in names if name != model._meta.pk.name][:4]] if names else ["__str__"]


def read_only_admin_for(model: type[models.Model]) -> type[ReadOnlyAdmin]:
    """A read-only ModelAdmin for a model no app gave one."""
    searchable = [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.EmailField | models.SlugField) and not f.choices
    ][:3]
    attrs = {
        "list_display": _plain_columns(model),
        "search_fields": searchable,
        "show_full_result_count": False,  # statements and rollups are large: no second COUNT(*)
        "__module__": __name__,
    }
    return type(f"{model.__name__}ReadOnlyAdmin", (ReadOnlyAdmin,), attrs)


def register_the_rest(site: admin.AdminSite) -> list[type[models.Model]]:
    """Register every installed model that has no ModelAdmin yet, read-only; return those registered."""
    added = []
    for model in apps.get_models():
        if not site.is_registered(model):
            site.register(model, read_only_admin_for(model))
            added.append(model)
    return added
