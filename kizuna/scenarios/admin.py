"""Django admin for support staff: read the scenario tables; edits go through the scenario editor's services."""

from django.contrib import admin

from kizuna.ops.admin import ReadOnlyAdmin

from .models import Attempt, Scenario, ScenarioVersion, ValueTag


@admin.register(ValueTag)
class ValueTagAdmin(ReadOnlyAdmin):
    list_display = ["slug", "name_ja", "name_en", "position"]


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ["title", "slug", "latest_version", "draft_changed_at"]
    search_fields = ["title", "slug"]


@admin.register(ScenarioVersion)
class ScenarioVersionAdmin(ReadOnlyAdmin):
    list_display = ["title", "number", "published_at", "published_by"]
    list_select_related = ["published_by"]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["registration", "rep", "version", "started_at", "finished_at", "outcome", "alignment"]
    list_select_related = ["rep", "version"]
