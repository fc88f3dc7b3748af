"""Django admin for organizations, read-only: partners, teams and people change through the orgs services
(the partners and people screens), which keep roles valid for their organization."""

from django.contrib import admin

from kizuna.ops.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Membership, Organization, Team


class TeamInline(ReadOnlyTabularInline):
    model = Team
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organization", "team", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__name", "user__email"]
    list_select_related = ["user", "organization", "team"]
    raw_id_fields = ["user"]
