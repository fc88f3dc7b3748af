"""The audit trail in the operator's admin: searchable, and read-only like every row of it."""

from django.contrib import admin

from kizuna.ops.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "ip", "organization", "action", "target_label")
    list_filter = ("action",)
    search_fields = ("target_label", "actor__email", "target_id")
    list_select_related = ("actor", "organization")
    date_hierarchy = "created_at"
