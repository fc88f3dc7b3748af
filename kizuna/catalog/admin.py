"""Django admin for content, read-only: the studio's services are where drafts change and versions are
published (published versions are immutable because learners' records point at them); this admin is for
looking things up.
"""

from django.contrib import admin

from kizuna.ops.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import (
    Assignment,
    Course,
    CourseVersion,
    Lesson,
    Module,
    Product,
    PublishedLesson,
    PublishedModule,
    ReminderSent,
    Tag,
)


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ["slug", "kind", "name_ja", "name_en"]
    list_filter = ["kind"]
    search_fields = ["slug", "name_ja", "name_en"]


class ModuleInline(ReadOnlyTabularInline):
    model = Module
    extra = 0
    fields = ["position", "title"]


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "slug", "product", "latest_version", "draft_changed_at"]
    list_filter = ["product"]
    search_fields = ["title", "slug"]
    readonly_fields = ["key", "created_by", "created_at", "draft_changed_at", "latest_version"]
    filter_horizontal = ["tags"]
    inlines = [ModuleInline]


class LessonInline(ReadOnlyTabularInline):
    model = Lesson
    extra = 0
    fields = ["position", "kind", "title", "estimated_minutes", "video"]
    raw_id_fields = ["video"]


@admin.register(Module)
class ModuleAdmin(ReadOnlyAdmin):
    list_display = ["title", "course", "position"]
    list_select_related = ["course"]
    search_fields = ["title", "course__title"]
    readonly_fields = ["key"]
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "module", "position", "estimated_minutes"]
    list_filter = ["kind"]
    list_select_related = ["module__course"]
    search_fields = ["title", "module__course__title"]
    readonly_fields = ["key"]
    raw_id_fields = ["video"]


@admin.register(CourseVersion)
class CourseVersionAdmin(ReadOnlyAdmin):
    list_display = ["title", "number", "course", "lesson_count", "published_at", "published_by"]
    list_select_related = ["course", "published_by"]
    search_fields = ["title", "course__slug"]
    date_hierarchy = "published_at"


@admin.register(PublishedModule)
class PublishedModuleAdmin(ReadOnlyAdmin):
    list_display = ["title", "version", "position"]
    list_select_related = ["version"]


@admin.register(PublishedLesson)
class PublishedLessonAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "version", "position"]
    list_filter = ["kind"]
    list_select_related = ["version"]
    search_fields = ["title", "version__title"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["course", "partner", "team", "rep", "required", "due_at", "created_at"]
    list_filter = ["required", "partner"]
    list_select_related = ["course", "partner", "team", "rep"]
    raw_id_fields = ["rep", "assigned_by"]
    date_hierarchy = "created_at"


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["rep", "course", "kind", "due_at", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["rep", "course"]
