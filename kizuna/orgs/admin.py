"""Django admin for organizations: a back door for support staff, not the everyday screens."""

from django.contrib import admin

from .models import Membership, Organization, Team


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "team", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__name", "user__email"]
    list_select_related = ["user", "organization", "team"]
    raw_id_fields = ["user"]
