"""Branching scenarios: the author's draft graph, its immutable published versions, and the play projections.

Authors edit the draft tables (Scenario, Node, Choice). Publishing freezes the
whole graph, in the documented exchange format (docs/scenario-format.md), into a
ScenarioVersion that never changes again; a rep's attempt refers to a version.
Attempt and NodeChoiceCount are projections of statements (projections.py).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kizuna.catalog.versions import Draft, PublishedVersion

# The range of a choice's score; the exchange format and the forms use the same bounds.
SCORE_MIN = -10
SCORE_MAX = 10


class Outcome(models.TextChoices):
    WON = "won", _("won the deal")
    NEXT_MEETING = "next_meeting", _("next meeting")
    LOST = "lost", _("lost the customer")


class ValueTag(models.Model):
    """One of the principal's values (行動指針), e.g. 顧客第一; choices carry them."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ja").startswith("en") else self.name_ja


class Scenario(Draft):
    """The author's working copy of a scenario."""

    # Stable across versions and slugs: the scenario's xAPI activity IRIs use it.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="scenarios"
    )
    tags = models.ManyToManyField("catalog.Tag", blank=True, related_name="scenarios")
    start_node = models.ForeignKey("Node", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    latest_version = models.ForeignKey(
        "ScenarioVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Node(models.Model):
    """One moment of the conversation (the customer's line or the situation), or an end with its outcome."""

    class Kind(models.TextChoices):
        MOMENT = "moment", _("moment")
        END = "end", _("end")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="nodes")
    # Stable, slug-like, unique in the scenario: the exchange format and the xAPI IRIs use it.
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.MOMENT)
    speaker = models.CharField(_("speaker"), max_length=100, blank=True)
    text = models.TextField(_("situation or line"), blank=True)
    # A content-addressed image (images.py): files are never overwritten, so published versions keep theirs.
    image = models.CharField(_("image"), max_length=100, blank=True)
    video = models.ForeignKey("media.Video", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A moment's optional check question: {"text", "options" (2–4), "correct" (0-based), "explanation"}.
    question = models.JSONField(_("check question"), null=True, blank=True, default=None)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    debrief = models.TextField(_("debrief"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["scenario", "key"], name="scenarios_node_unique_key")]

    def __str__(self) -> str:
        return self.key


class Choice(models.Model):
    """What the rep may say at a moment, where it leads, and the coach's commentary on it."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="choices")
    # Stable and unique in the node: the xAPI response of the choice.
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("what the rep says"))
    next_node = models.ForeignKey(Node, on_delete=models.SET_NULL, null=True, blank=True, related_name="incoming")
    commentary = models.TextField(_("coach's commentary"), blank=True)
    commentary_video = models.ForeignKey(
        "media.Video", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.SmallIntegerField(
        _("score"), default=0, validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    value_tags = models.ManyToManyField(ValueTag, blank=True, related_name="choices")
    tags = models.ManyToManyField("catalog.Tag", blank=True, related_name="scenario_choices")
    # The top rep's choice at this moment (at most one per node).
    is_reference = models.BooleanField(_("top rep's choice"), default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["node", "key"], name="scenarios_choice_unique_key")]

    def __str__(self) -> str:
        return f"{self.node.key}/{self.key}"


class ScenarioVersion(PublishedVersion):
    """An immutable published snapshot: the whole graph in the exchange format (format_version 1)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="versions")
    graph = models.JSONField()
    # sha256 of the canonical JSON of the graph: republishing an unchanged draft returns this version.
    graph_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["scenario", "-number"]
        constraints = [models.UniqueConstraint(fields=["scenario", "number"], name="scenarios_version_unique")]


class Attempt(models.Model):
    """Projection: one play of one published version, from its statements (context.registration)."""

    registration = models.UUIDField(unique=True)
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scenario_attempts")
    # The player's agency when they started (None for the principal's own staff).
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    version = models.ForeignKey(ScenarioVersion, on_delete=models.CASCADE, related_name="attempts")
    # The course lesson it was played in, if any (catalog.PublishedLesson id).
    lesson_id = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    current_node = models.CharField(max_length=60)
    # [[node key, choice key], ...] in the order chosen.
    path = models.JSONField(default=list)
    # The statement id of each step, so that a retried choice returns the step it recorded.
    step_ids = models.JSONField(default=list)
    score_raw = models.IntegerField(default=0)
    score_min = models.IntegerField(default=0)
    score_max = models.IntegerField(default=0)
    score_scaled = models.FloatField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    # Share of steps at moments with a top-rep choice where the rep chose the same; None without such steps.
    alignment = models.FloatField(null=True, blank=True)
    reference_steps = models.PositiveIntegerField(default=0)
    reference_matches = models.PositiveIntegerField(default=0)
    # {value tag slug: {"offered": n, "chosen": n, "score": n}} (scoring.value_profile).
    value_profile = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["rep", "version"]),
            models.Index(fields=["version", "partner"]),
        ]

    def __str__(self) -> str:
        return f"{self.rep_id} {self.version_id} {self.registration}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    # What people are shown: the score on a scale from 0 (the weakest choice at every moment the rep met) to
    # the best they could have done there. The raw score can be negative ("-3 / 5"), which reads as broken.
    @property
    def points(self) -> int:
        return self.score_raw - self.score_min

    @property
    def points_max(self) -> int:
        return self.score_max - self.score_min


class NodeChoiceCount(models.Model):
    """Projection: how often one partner's people made one choice at one moment of one version."""

    version = models.ForeignKey(ScenarioVersion, on_delete=models.CASCADE, related_name="+")
    node_key = models.CharField(max_length=60)
    choice_key = models.CharField(max_length=60)
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "node_key", "choice_key", "partner"], name="scenarios_node_choice_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version_id} {self.node_key}/{self.choice_key} @{self.partner_id}: {self.count}"


class Assignment(models.Model):
    """A scenario given to one rep on its own (per-rep targeting, as an experiment gives it wave by wave): the rep
    may play its latest published version outside any course."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="assignments")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scenario", "rep"], name="scenarios_assignment_once")]
        indexes = [models.Index(fields=["rep", "scenario"], name="scenarios_assignment_rep")]

    def __str__(self) -> str:
        return f"{self.scenario_id} → {self.rep_id}"
