"""Videos in the Django admin: for looking things up; changes go through the studio."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Video


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "duration_seconds", "width", "height", "uploaded_by", "created_at", "ready_at"]
    list_filter = ["status"]
    search_fields = ["title", "key"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "created_at"
    fields = [
        "title", "key", "status", "error", "uploaded_by", "original", "mp4", "poster",
        "duration_seconds", "width", "height", "created_at", "ready_at",
    ]  # fmt: skip
    readonly_fields = [f for f in fields if f != "title"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting here would leave the files behind and skip the "used in a lesson" check.
        return False
