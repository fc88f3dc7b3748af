"""Content: products, tags, courses with their drafts and immutable published versions, and assignments.

Authors edit the draft tables (Course, Module, Lesson). Publishing copies the
draft into a new CourseVersion with PublishedModule/PublishedLesson rows that
never change again; learners and records refer only to those.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .versions import Draft, PublishedVersion


class Product(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("code"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    class Kind(models.TextChoices):
        STORY = "story", _("story tag")
        TOPIC = "topic", _("topic tag")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    slug = models.SlugField(max_length=60)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["kind", "slug"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="catalog_tag_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "ja").startswith("en") else self.name_ja


class LessonKind(models.TextChoices):
    ARTICLE = "article", _("article")
    VIDEO = "video", _("video")
    MICRO = "micro", _("micro lesson")
    QUIZ = "quiz", _("quiz")
    SCENARIO = "scenario", _("scenario")
    SURVEY = "survey", _("survey")
    PACKAGE = "package", _("package (SCORM)")
    CMI5 = "cmi5", _("cmi5 course")


class Course(Draft):
    """The author's working copy of a course."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, related_name="courses")
    tags = models.ManyToManyField(Tag, blank=True, related_name="courses")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    latest_version = models.ForeignKey(
        "CourseVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    # Stable across versions: a lesson keeps its key when its course is republished.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=LessonKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"), blank=True)
    video = models.ForeignKey("media.Video", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Micro lesson, quiz, scenario: the draft id of the content in the app that owns the kind (catalog.kinds).
    content_id = models.PositiveIntegerField(null=True, blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=5)
    # The body's reading level (catalog.text_levels, higher is easier), measured when the body is saved.
    reading_level = models.FloatField(null=True, blank=True)
    reading_lang = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class CourseVersion(PublishedVersion):
    """An immutable published snapshot of a course."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions")
    summary = models.TextField(blank=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    lesson_count = models.PositiveIntegerField(default=0)
    estimated_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["course", "-number"]
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="catalog_version_unique")]


class PublishedModule(models.Model):
    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="modules")
    key = models.UUIDField()
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class PublishedLesson(models.Model):
    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="lessons")
    module = models.ForeignKey(PublishedModule, on_delete=models.CASCADE, related_name="lessons")
    key = models.UUIDField()
    # Position across the whole course, so "next lesson" is one comparison.
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=LessonKind.choices)
    title = models.CharField(max_length=200)
    body_html = models.TextField(blank=True)
    video = models.ForeignKey("media.Video", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Micro lesson, quiz, scenario: the id of the immutable published version of the content.
    content_id = models.PositiveIntegerField(null=True, blank=True)
    estimated_minutes = models.PositiveIntegerField(default=5)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["version", "position"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("learning:lesson", args=[self.pk])


class Assignment(models.Model):
    """A course assigned to a whole partner, one team, or one rep."""

    class Target(models.TextChoices):
        PARTNER = "partner", _("partner")
        TEAM = "team", _("team")
        REP = "rep", _("rep")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="assignments")
    team = models.ForeignKey("orgs.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="assignments")
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    required = models.BooleanField(_("required"), default=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["partner", "course"])]

    def __str__(self) -> str:
        return f"{self.course} → {self.target_label}"

    @property
    def target(self) -> str:
        if self.rep_id:
            return self.Target.REP
        if self.team_id:
            return self.Target.TEAM
        return self.Target.PARTNER

    @property
    def target_label(self) -> str:
        if self.rep_id:
            return str(self.rep)
        if self.team_id:
            return str(self.team)
        return str(self.partner)


class ReminderSent(models.Model):
    """Which reminder e-mails went out, so the daily job never sends one twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")

    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rep", "course", "due_at", "kind"], name="catalog_reminder_once")
        ]
