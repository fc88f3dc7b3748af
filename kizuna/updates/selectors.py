"""Reads of flash updates: who an update reaches, who may open it, the rep's home strip, and the author's report.

Who sees what:
- principal admins, authors and coaches see every update (drafts too) and its report with names;
- a partner manager sees the published updates that reach their agency, and the report for their own reps only;
- a rep sees the published updates that reach them (all partners, their partner, their team, or given to them
  alone: a `Recipient`, as an experiment gives it wave by wave).
Everything else is a 404.
"""

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kizuna.orgs.access import membership_of, visible_partners, visible_teams
from kizuna.orgs.models import Membership, Organization, Team
from kizuna.orgs.selectors import active_rep_memberships

from .models import FlashUpdate, MailSent, Receipt, Recipient, joined_after

if TYPE_CHECKING:
    from kizuna.accounts.models import User

Role = Membership.Role
POSTER_ROLES = (Role.ADMIN, Role.AUTHOR, Role.COACH)
# The home strip shows unacknowledged updates of the last HOME_WINDOW_DAYS days, and older ones still due.
HOME_WINDOW_DAYS = 30
HOME_LIMIT = 5
# The report lists at most this many names; a filter by partner or team narrows it.
REPORT_NAMES_LIMIT = 100


def can_post(user: "User") -> bool:
    m = membership_of(user)
    return m is not None and m.role in POSTER_ROLES


def can_edit(user: "User", update: FlashUpdate) -> bool:
    """The admin edits every update; an author or coach edits their own."""
    m = membership_of(user)
    if m is None or m.role not in POSTER_ROLES:
        return False
    return m.role == Role.ADMIN or update.created_by_id == user.pk


def can_see_report(user: "User") -> bool:
    m = membership_of(user)
    return m is not None and (m.role in POSTER_ROLES or m.role == Role.MANAGER)


def can_see_report_of(user: "User", update: FlashUpdate) -> bool:
    """Whether the person may see this update's report. An update rolled out as an experiment reaches reps by the
    draw: its report would tell an agency's manager who is in which arm, so only principal staff see it."""
    if not can_see_report(user):
        return False
    m = membership_of(user)
    return update.audience != FlashUpdate.Audience.EXPERIMENT or (m is not None and m.role in POSTER_ROLES)


# --- Audience -------------------------------------------------------------------------------


def _reaches(*, partner_id: int, team_id: int | None, rep_id: int | None = None) -> Q:
    """Published-or-not updates whose audience includes a rep of this partner and team (and, given `rep_id`, the
    updates given to that rep alone)."""
    partner_rows = FlashUpdate.partners.through.objects.filter(
        flashupdate_id=OuterRef("pk"), organization_id=partner_id
    )
    q = Q(audience=FlashUpdate.Audience.ALL) | Q(Exists(partner_rows))
    if team_id is not None:
        q |= Q(Exists(FlashUpdate.teams.through.objects.filter(flashupdate_id=OuterRef("pk"), team_id=team_id)))
    if rep_id is not None:
        q |= Q(Exists(Recipient.objects.filter(update_id=OuterRef("pk"), rep_id=rep_id)))
    return q


def _reaches_partner(*, partner_id: int) -> Q:
    """Updates whose audience includes anyone at this partner (the whole agency, one of its teams, one of its reps)."""
    team_rows = FlashUpdate.teams.through.objects.filter(
        flashupdate_id=OuterRef("pk"), team__organization_id=partner_id
    )
    rep_rows = Recipient.objects.filter(update_id=OuterRef("pk"), rep__membership__organization_id=partner_id)
    return _reaches(partner_id=partner_id, team_id=None) | Q(Exists(team_rows)) | Q(Exists(rep_rows))


def _published(now: datetime | None = None) -> QuerySet[FlashUpdate]:
    return FlashUpdate.objects.filter(status=FlashUpdate.Status.PUBLISHED, published_at__lte=now or timezone.now())


def updates_visible_to(user: "User") -> QuerySet[FlashUpdate]:
    """Return the updates this person may open (drafts only for the principal's posters)."""
    m = membership_of(user)
    if m is None:
        return FlashUpdate.objects.none()
    if m.role in POSTER_ROLES:
        return FlashUpdate.objects.all()
    if m.organization.kind != Organization.Kind.PARTNER:
        return FlashUpdate.objects.none()
    if m.role == Role.MANAGER:
        return _published().filter(_reaches_partner(partner_id=m.organization_id))
    if m.role == Role.REP:
        return _published().filter(_reaches(partner_id=m.organization_id, team_id=m.team_id, rep_id=user.pk))
    return FlashUpdate.objects.none()


def access_update_for_user(user: "User", update_id: int) -> FlashUpdate:
    """Return an update the person may open, with its media and question, or 404."""
    try:
        return (
            updates_visible_to(user)
            .select_related("video", "product", "created_by")
            .prefetch_related("tags")
            .get(pk=update_id)
        )
    except (FlashUpdate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_update_for_editor(user: "User", update_id: int) -> FlashUpdate:
    """Return an update the person may edit (the admin: any; an author or coach: their own), or 404."""
    update = access_update_for_user(user, update_id)
    if not can_edit(user, update):
        raise Http404
    return update


def access_update_for_reporter(user: "User", update_id: int) -> FlashUpdate:
    """Return a published update whose report the person may see (principal staff, or a manager it reaches), or 404."""
    if not can_see_report(user):
        raise Http404
    update = access_update_for_user(user, update_id)
    if not update.is_published or not can_see_report_of(user, update):
        raise Http404
    return update


def check_question_of(update: FlashUpdate) -> Any:
    """Return the update's check question, or None."""
    try:
        return update.question
    except FlashUpdate.question.RelatedObjectDoesNotExist:
        return None


def audience_memberships(update: FlashUpdate, *, viewer: "User") -> QuerySet[Membership]:
    """Return the memberships of the active reps the update reaches, within the agencies the viewer may see."""
    return _in_audience(update, active_rep_memberships(partner_ids=visible_partners(viewer)))


def _in_audience(update: FlashUpdate, reps: QuerySet[Membership]) -> QuerySet[Membership]:
    """These rep memberships narrowed to the update's audience (its chosen partners and teams, its own reps)."""
    given = Q(user__in=Recipient.objects.filter(update=update).values("rep_id"))
    if update.audience == FlashUpdate.Audience.SELECTED:
        return reps.filter(Q(organization__in=update.partners.all()) | Q(team__in=update.teams.all()) | given)
    if update.audience == FlashUpdate.Audience.EXPERIMENT:
        return reps.filter(given)
    return reps


def update_reaches_rep(update: FlashUpdate, rep: "User") -> bool:
    m = membership_of(rep)
    if m is None or m.role != Role.REP:
        return False
    return (
        FlashUpdate.objects.filter(pk=update.pk)
        .filter(_reaches(partner_id=m.organization_id, team_id=m.team_id, rep_id=rep.pk))
        .exists()
    )


def audience_label(update: FlashUpdate) -> list[str]:
    """Return the names of the partners and teams an update is for ([] = all partners)."""
    if update.audience == FlashUpdate.Audience.ALL:
        return []
    if update.audience == FlashUpdate.Audience.EXPERIMENT:
        return [str(FlashUpdate.Audience.EXPERIMENT.label)]
    partners = [p.name for p in update.partners.order_by("name")]
    teams = [f"{t.organization.name} / {t.name}" for t in update.teams.select_related("organization").order_by("name")]
    return partners + teams


def audience_label_for(user: "User", update: FlashUpdate) -> list[str]:
    """The audience as this person may see it: a partner's people see only their own agency's part."""
    names = audience_label(update)
    m = membership_of(user)
    if m is None or m.role in POSTER_ROLES or not names or update.audience == FlashUpdate.Audience.EXPERIMENT:
        return names
    own = m.organization.name
    return [name for name in names if name == own or name.startswith(own + " / ")]


# --- The rep's side -------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeUpdate:
    pk: int
    title: str
    published_at: datetime
    ack_due_at: datetime | None
    seen: bool
    overdue: bool


@dataclass(frozen=True)
class HomeUpdates:
    items: list[HomeUpdate]
    more: bool  # more unacknowledged updates than the strip shows


def updates_for_home(rep: "User", *, now: datetime | None = None, limit: int = HOME_LIMIT) -> HomeUpdates:
    """Return the rep's unacknowledged updates for the top of their home, due ones first, in one query.

    The rep home is the hottest page; this runs one hand-written query (same rules as ``updates_visible_to``),
    because building and compiling the equivalent ORM query costs three times as long as running it.
    """
    now = now or timezone.now()
    m = membership_of(rep)
    if m is None or m.role != Role.REP:
        return HomeUpdates(items=[], more=False)
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        rep.pk,
        FlashUpdate.Status.PUBLISHED,
        adapt(now),
        adapt(now - timedelta(days=HOME_WINDOW_DAYS)),
        adapt(rep.date_joined),
        FlashUpdate.Audience.ALL,
        m.organization_id,
        m.team_id,
        rep.pk,
        rep.pk,
        limit + 1,
    ]
    rows = list(FlashUpdate.objects.raw(_home_sql(), params))
    items = [
        HomeUpdate(
            pk=row.pk,
            title=row.title,
            published_at=row.published_at,  # type: ignore[arg-type]  # the query keeps published updates only
            # A date that passed before the rep joined is not theirs: the strip shows the publication day instead.
            ack_due_at=None if joined_after(rep.date_joined, row.ack_due_at) else row.ack_due_at,
            seen=bool(row.seen),  # type: ignore[attr-defined]  # a column of the raw query
            overdue=row.is_overdue_for(rep, now),
        )
        for row in rows[:limit]
    ]
    return HomeUpdates(items=items, more=len(rows) > limit)


@functools.cache
def _home_sql() -> str:
    """The strip's query: published, reaching the rep (all / their partner / their team), recent or with a
    date still theirs to meet (not passed before they joined), not acknowledged by them; with whether they have
    seen it. Portable between SQLite and PostgreSQL."""
    update = FlashUpdate._meta.db_table
    partners = FlashUpdate.partners.through._meta.db_table
    teams = FlashUpdate.teams.through._meta.db_table
    recipient = Recipient._meta.db_table
    receipt = Receipt._meta.db_table
    return f"""
        SELECT u.id, u.title, u.published_at, u.ack_due_at,
               EXISTS (SELECT 1 FROM {receipt} r WHERE r.update_id = u.id AND r.rep_id = %s) AS seen
        FROM {update} u
        WHERE u.status = %s AND u.published_at <= %s
          AND (u.published_at >= %s OR u.ack_due_at >= %s)
          AND (u.audience = %s
               OR EXISTS (SELECT 1 FROM {partners} p WHERE p.flashupdate_id = u.id AND p.organization_id = %s)
               OR EXISTS (SELECT 1 FROM {teams} t WHERE t.flashupdate_id = u.id AND t.team_id = %s)
               OR EXISTS (SELECT 1 FROM {recipient} g WHERE g.update_id = u.id AND g.rep_id = %s))
          AND NOT EXISTS (SELECT 1 FROM {receipt} a
                          WHERE a.update_id = u.id AND a.rep_id = %s AND a.acknowledged_at IS NOT NULL)
        ORDER BY u.ack_due_at ASC NULLS LAST, u.published_at DESC, u.id DESC
        LIMIT %s
    """  # noqa: S608 (table names from the models, every value a parameter)


def receipt_for(*, update: FlashUpdate, rep: "User") -> Receipt | None:
    return Receipt.objects.filter(update=update, rep=rep).first()


@dataclass(frozen=True)
class ListedUpdate:
    update: FlashUpdate
    receipt: Receipt | None
    overdue: bool = False

    @property
    def acknowledged(self) -> bool:
        return bool(self.receipt and self.receipt.acknowledged_at)

    @property
    def seen(self) -> bool:
        return self.receipt is not None


def updates_list_for(user: "User", *, status: str = "") -> QuerySet[FlashUpdate]:
    """Return the updates listed on /updates/ for this person, newest first (drafts first for posters)."""
    updates = updates_visible_to(user).select_related("created_by", "video")
    if status in FlashUpdate.Status.values:
        updates = updates.filter(status=status)
    return updates.order_by(F("published_at").desc(nulls_first=True), "-created_at", "-pk")


def with_receipts(updates: list[FlashUpdate], *, rep: "User") -> list[ListedUpdate]:
    """Pair a page of updates with the rep's receipts (one query) and whether each is overdue for them."""
    receipts = {r.update_id: r for r in Receipt.objects.filter(rep=rep, update__in=[u.pk for u in updates])}
    now = timezone.now()
    return [ListedUpdate(update=u, receipt=receipts.get(u.pk), overdue=u.is_overdue_for(rep, now)) for u in updates]


# --- The report -----------------------------------------------------------------------------


@dataclass
class Rates:
    label: str
    total: int = 0
    seen: int = 0
    acknowledged: int = 0
    answered: int = 0
    correct: int = 0
    partner_label: str = ""
    late: int = 0  # not confirmed although the date passed while they were with us

    @property
    def is_late(self) -> bool:
        return self.late > 0

    @property
    def seen_rate(self) -> int:
        return round(100 * self.seen / self.total) if self.total else 0

    @property
    def ack_rate(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0

    @property
    def correct_rate(self) -> int | None:
        return round(100 * self.correct / self.answered) if self.answered else None

    def count(self, receipt: Receipt | None, *, late: bool = False) -> None:
        self.total += 1
        self.late += late
        if receipt is None:
            return
        self.seen += 1
        self.acknowledged += receipt.acknowledged_at is not None
        if receipt.answered_at is not None:
            self.answered += 1
            self.correct += bool(receipt.answer_correct)


@dataclass(frozen=True)
class Pending:
    """A rep who has not acknowledged the update yet."""

    rep_id: int
    name: str
    partner: str
    team: str
    seen: bool
    overdue: bool = False  # the confirm-by date passed after they joined


@dataclass
class Report:
    overall: Rates
    partners: list[Rates]
    teams: list[Rates]
    pending: list[Pending]
    pending_total: int
    option_counts: list[tuple[int, str, int, bool]] = field(default_factory=list)  # (n, text, chosen, correct)
    overdue: bool = False

    @property
    def pending_truncated(self) -> bool:
        return self.pending_total > len(self.pending)


def update_report(
    update: FlashUpdate,
    *,
    viewer: "User",
    partner_id: int | None = None,
    team_id: int | None = None,
    now: datetime | None = None,
) -> Report:
    """Return read, acknowledgement and correct rates per partner and team, and who has not acknowledged (2 queries).

    Only reps of the agencies the viewer may see count: a manager's report is about their own agency. Teams are
    listed for one agency at a time: the chosen partner, or the only one the viewer sees.
    """
    now = now or timezone.now()
    in_scope = audience_memberships(update, viewer=viewer)
    audience = list(
        in_scope.values_list(
            "user_id",
            "user__name",
            "organization_id",
            "organization__name",
            "team_id",
            "team__name",
            "user__date_joined",
        ).order_by("organization__name", "team__name", "user__name", "user_id")
    )
    receipts = {r.rep_id: r for r in Receipt.objects.filter(update=update, rep_id__in=in_scope.values("user_id"))}
    overall = Rates(label="")
    partners: dict[int, Rates] = {}
    teams: dict[tuple[int, int | None], Rates] = {}
    pending: list[Pending] = []
    pending_total = 0
    update_overdue = update.is_overdue(now)
    for rep_id, name, org_id, org_name, t_id, t_name, date_joined in audience:
        receipt = receipts.get(rep_id)
        acknowledged = receipt is not None and receipt.acknowledged_at is not None
        late = update_overdue and not acknowledged and not joined_after(date_joined, update.ack_due_at)
        overall.count(receipt, late=late)
        partners.setdefault(org_id, Rates(label=org_name)).count(receipt, late=late)
        if partner_id is None or org_id == partner_id:
            teams.setdefault((org_id, t_id), Rates(label=t_name or "", partner_label=org_name)).count(
                receipt, late=late
            )
        if receipt is not None and receipt.acknowledged_at is not None:
            continue
        if (partner_id and org_id != partner_id) or (team_id and t_id != team_id):
            continue
        pending_total += 1
        if len(pending) < REPORT_NAMES_LIMIT:
            pending.append(Pending(rep_id, name, org_name, t_name or "", seen=receipt is not None, overdue=late))
    report = Report(
        overall=overall,
        partners=list(partners.values()),
        # Across many agencies, a row per team would be hundreds of rows on a phone: choose a partner first.
        teams=list(teams.values()) if partner_id is not None or len(partners) <= 1 else [],
        pending=pending,
        pending_total=pending_total,
        overdue=update.is_overdue(now),
    )
    question = check_question_of(update)
    if question is not None:
        chosen: dict[int, int] = {}
        for receipt in receipts.values():
            if receipt.answer is not None:
                chosen[receipt.answer] = chosen.get(receipt.answer, 0) + 1
        report.option_counts = [
            (n, text, chosen.get(n, 0), n == question.correct) for n, text in question.numbered_options
        ]
    return report


def report_partners(*, viewer: "User") -> list[Organization]:
    """Return the partners the viewer may narrow a report to (a manager: only their own)."""
    return list(visible_partners(viewer).order_by("name"))


def report_teams(*, viewer: "User", partner_id: int | None) -> list[Team]:
    """Return the teams of one partner the viewer may see, for the report's team filter."""
    if partner_id is None:
        return []
    return list(
        visible_teams(viewer).filter(organization_id=partner_id).select_related("organization").order_by("name")
    )


# --- Mail -----------------------------------------------------------------------------------


def reps_to_remind(update: FlashUpdate, *, viewer: "User | None" = None) -> QuerySet["User"]:
    """Return the active reps in the audience (within the viewer's agencies) who have not acknowledged it."""
    User = get_user_model()
    audience = audience_memberships(update, viewer=viewer) if viewer is not None else audience_memberships_all(update)
    acknowledged = Receipt.objects.filter(update=update, acknowledged_at__isnull=False).values("rep_id")
    return User.objects.filter(pk__in=audience.values("user_id")).exclude(pk__in=acknowledged).order_by("pk")


def audience_memberships_all(update: FlashUpdate) -> QuerySet[Membership]:
    """Every active rep the update reaches, across all partners (for the system's own jobs, never for a view)."""
    return _in_audience(update, active_rep_memberships().filter(organization__kind=Organization.Kind.PARTNER))


def mail_already_sent(*, update: FlashUpdate, kind: str, on: Any) -> set[int]:
    return set(MailSent.objects.filter(update=update, kind=kind, on=on).values_list("rep_id", flat=True))


def overdue_updates(*, now: datetime, within_days: int = 14) -> QuerySet[FlashUpdate]:
    """Return published updates whose acknowledge-by date passed in the last ``within_days`` days."""
    return _published(now).filter(ack_due_at__lt=now, ack_due_at__gte=now - timedelta(days=within_days))


def ready_videos(update_ids: list[int]) -> dict[int, Any]:
    """The ready videos of these updates, by update id (one query; none when no update has one)."""
    from kizuna.media.models import Video

    if not update_ids:
        return {}
    rows = FlashUpdate.objects.filter(pk__in=update_ids, video__status=Video.Status.READY).select_related("video")
    return {row.pk: row.video for row in rows if row.video is not None and row.video.mp4}
