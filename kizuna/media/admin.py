"""Videos in the Django admin: for looking things up; changes go through the studio."""

from django.contrib import admin

from kizuna.ops.admin import ReadOnlyAdmin

from .models import Video


@admin.register(Video)
class VideoAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "duration_seconds", "width", "height", "uploaded_by", "created_at", "ready_at"]
    list_filter = ["status"]
    search_fields = ["title", "key"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "created_at"
    fields = [
        "title", "key", "status", "error", "uploaded_by", "original", "mp4", "poster",
        "duration_seconds", "width", "height", "created_at", "ready_at",
    ]  # fmt: skip
