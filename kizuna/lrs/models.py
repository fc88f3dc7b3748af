"""The learning record store at /xapi/: the credentials integrations use, the statements they send, their documents.

Kizuna's own statements live in `records.Statement`, whose actor is always one of our people. An LRS must
also keep statements about anyone (an agent known only by an e-mail address, a group, a sub-statement), so
those are kept here whole, as the JSON they were stored as, with the columns and index rows the queries of
the Statements resource filter on.
"""

import secrets

from django.db import models

KEY_PREFIX = "kzl_"


def new_key() -> str:
    return KEY_PREFIX + secrets.token_hex(10)


def system_key(slug: str, partner_id: int | None) -> str:
    """The key of the credential an app of ours writes with as the LMS (kizuna.lrs.lms), for one organization."""
    return f"{KEY_PREFIX}{slug}_{partner_id or 0}"[:40]


def is_system_key(key: str) -> bool:
    """Whether a credential key is one of our apps' (an integration's key is KEY_PREFIX and hex digits only)."""
    rest = key[len(KEY_PREFIX) :] if key.startswith(KEY_PREFIX) else ""
    slug, underscore, number = rest.rpartition("_")
    return bool(underscore and slug and number.isdigit())


class LrsCredential(models.Model):
    """HTTP Basic credentials of one integration, scoped to the principal (partner empty) or to one partner."""

    name = models.CharField(max_length=100)
    key = models.CharField(max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64)
    partner = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The xAPI version the integration last spoke: a request without a (valid) version header is answered in it.
    last_version = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class LrsStatement(models.Model):
    """One statement as the LRS stored it (id, authority, stored and version set), in stored order (seq)."""

    seq = models.BigAutoField(primary_key=True)
    statement_id = models.UUIDField(unique=True)
    data = models.JSONField()
    # Whose statement it is: the partner of the credential that wrote it, else of the person it names (if known).
    # Read by the (partner, seq) index below, so no index of its own.
    partner = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    # Which credential wrote it. Never filtered on, and credentials are deactivated, not deleted: no index, and no
    # database constraint (its check at commit took every writing transaction's lock on the same credential row).
    credential = models.ForeignKey(
        LrsCredential, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False, db_constraint=False
    )
    verb = models.CharField(max_length=1000)
    registration = models.UUIDField(null=True, blank=True)
    stored = models.DateTimeField()
    # A voided statement is kept (voidedStatementId returns it) but left out of every other read.
    voided = models.BooleanField(default=False)
    # For a voiding statement, the id of the statement it voids.
    voids = models.UUIDField(null=True, blank=True)
    # The id of the statement its object (a StatementRef) targets: queries return it with the statements they match.
    refers_to = models.UUIDField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["partner", "seq"]),
            models.Index(fields=["verb", "seq"]),
            models.Index(
                fields=["registration", "seq"],
                condition=models.Q(registration__isnull=False),
                name="lrs_statement_registration_idx",
            ),
            models.Index(fields=["stored"]),
            # The statements with a StatementRef, in stored order: a filtered query walks these alone (not the
            # store) for the ones that refer to a match.
            models.Index(fields=["seq"], condition=models.Q(refers_to__isnull=False), name="lrs_statement_refs_idx"),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class LrsStatementKey(models.Model):
    """An agent or activity a statement names, for the agent/activity filters (related: not actor/object).

    The statement's verb is copied in, so a query by agent or activity with a verb reads one index range in
    stored order (kind, key, verb, statement) and stops after a page, however many statements the agent has;
    without a verb, one such range per verb, merged.
    """

    class Kind(models.TextChoices):
        AGENT = "agent"
        ACTIVITY = "activity"

    # Written with its statement, in the same transaction and function (statement_rows_insert), and deleted with
    # it (CASCADE, privacy erasure): no database constraint, whose check cost a lookup and a row lock per key.
    statement = models.ForeignKey(LrsStatement, on_delete=models.CASCADE, related_name="keys", db_constraint=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=1000)
    related = models.BooleanField()
    verb = models.CharField(max_length=1000, default="")

    class Meta:
        # One index: a query without a verb reads it one verb at a time (statements._page_along). A second one
        # without the verb cost a quarter of the database's work per stored statement.
        indexes = [models.Index(fields=["kind", "key", "verb", "statement"], name="lrs_key_kind_key_verb_idx")]


class LrsActivity(models.Model):
    """The LRS's canonical definition of an activity, merged from the statements that define it."""

    activity_id = models.CharField(max_length=1000, unique=True)
    definition = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.activity_id


class LrsAttachment(models.Model):
    """The raw content of a statement attachment sent in a multipart/mixed request, kept once per SHA-2."""

    sha2 = models.CharField(max_length=128, unique=True)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha2


class LrsDocument(models.Model):
    """A document of the State, Activity Profile or Agent Profile resource, kept as sent (bytes and type)."""

    class Kind(models.TextChoices):
        STATE = "state"
        ACTIVITY_PROFILE = "activity_profile"
        AGENT_PROFILE = "agent_profile"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Documents written with a partner's credential belong to that partner and are seen by its credentials only.
    partner = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    activity_id = models.CharField(max_length=1000, blank=True)
    agent_key = models.CharField(max_length=1000, blank=True)
    registration = models.CharField(max_length=36, blank=True)
    document_id = models.CharField(max_length=1000)
    # SHA-256 of (kind, partner, activity, agent, registration, id): one document per key, with a short index.
    key_hash = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "partner", "activity_id", "agent_key", "updated"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_id}"


class LrsMirror(models.Model):
    """How far Kizuna's own statements (records) have been copied into the LRS's store: one row."""

    # Every own statement at or before this position is copied (or was settled and copied on a later pass).
    last_seq = models.BigIntegerField(default=0)
    # Every own statement stored before this moment is in the store: the X-Experience-API-Consistent-Through.
    through = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"mirrored through {self.through}"


class LrsForwarder(models.Model):
    """An external LRS that receives a copy of the statements stored here, set up by a principal admin.

    Without a partner it receives every statement (Kizuna's own and those other systems sent); with one, only
    that partner's. Statements go in batches, oldest first: first those stored before it was set up (read by
    position up to `backfill_through`), then those the outbox (`LrsForwardItem`) collected since. A batch leaves
    the outbox only once the external LRS has accepted it, so a killed worker sends it again; the external LRS
    recognises a statement it has by its id, so nothing is stored twice.
    """

    class Version(models.TextChoices):
        V1 = "1.0.3", "1.0.3"
        V2 = "2.0.0", "2.0.0"

    name = models.CharField(max_length=100)
    partner = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # The LRS's base URL, ending in '/': statements go to <endpoint>statements.
    endpoint = models.URLField(max_length=500)
    username = models.CharField(max_length=200)
    # Sent as HTTP Basic with each batch, so kept as given; never shown back (the form leaves it blank).
    secret = models.CharField(max_length=500)
    version = models.CharField(max_length=8, choices=Version.choices, default=Version.V1)
    batch_size = models.PositiveIntegerField(default=100)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # History: every statement at or below `backfill_through` (fixed on the first run) is sent by position.
    backfill_through = models.BigIntegerField(null=True, blank=True)
    backfill_seq = models.BigIntegerField(default=0)
    # How it goes: what was sent, when, the last failure, and when the next try is due after one.
    sent_count = models.BigIntegerField(default=0)
    refused_count = models.BigIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # A worker sending a batch holds the forwarder until then (it lapses if the worker is killed).
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.endpoint})"


class LrsForwardItem(models.Model):
    """A statement waiting to be sent to one forwarder: written in the same transaction as the statement."""

    forwarder = models.ForeignKey(LrsForwarder, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(LrsStatement, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["forwarder", "statement"])]
