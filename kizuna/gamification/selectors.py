"""Reads of gamification: a person's strip, rankings, badges and the Open Badges 2.0 documents."""

import functools
import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from kizuna.orgs.access import Role, membership_of
from kizuna.orgs.sharing import Area, names_for, partners_sharing

from . import rules
from .defaults import DEFAULT_LEVELS, DEFAULT_RULES
from .models import (
    Badge,
    BadgeAward,
    BadgeRevocation,
    Celebration,
    Kudos,
    Level,
    PeriodScore,
    PointAward,
    PointRule,
    RepScore,
    Spotlight,
)

User = get_user_model()
OB_CONTEXT = "https://w3id.org/openbadges/v2"


class Period:
    WEEK = "week"
    MONTH = "month"
    ALL = "all"
    CHOICES = (WEEK, MONTH, ALL)


class Scope:
    TEAM = "team"
    AGENCY = "agency"
    ALL = "all"
    CHOICES = (TEAM, AGENCY, ALL)


# --- The strip on the rep home and profile --------------------------------------------------------------------


@dataclass
class Strip:
    points: int
    level: int
    level_name: str
    next_threshold: int | None
    streak: int
    badges: int
    kudos_message: str | None
    kudos_sender: str | None
    celebrate_points: int
    celebrate_level: bool
    celebrate_badges: int
    latest_badge: str | None

    @property
    def celebrating(self) -> bool:
        return self.celebrate_points > 0 or self.celebrate_level or self.celebrate_badges > 0

    @property
    def to_next(self) -> int | None:
        return None if self.next_threshold is None else self.next_threshold - self.points


@functools.cache
def _strip_sql(en: bool) -> str:
    """The strip's one query, in plain SQL: built through the ORM it cost more CPU than the rest of the home page.

    The level is the one whose threshold the points reach, as in the projection (``rules.Ruleset.level_for``),
    so someone with no points yet is at the first level, not at a level 0 that does not exist.
    Table and column names come from the models; the same SQL runs on SQLite and PostgreSQL.
    """
    t = {m.__name__: m._meta.db_table for m in (RepScore, Celebration, Level, Kudos, BadgeAward, Badge, User)}
    name = "name_en" if en else "name_ja"
    return f"""
        SELECT s.points,
          (SELECT l.number FROM {t["Level"]} l WHERE l.threshold <= COALESCE(s.points, 0)
             ORDER BY l.threshold DESC LIMIT 1),
          s.badges, s.streak, s.last_day, c.points, c.level, c.badges,
          (SELECT l.{name} FROM {t["Level"]} l WHERE l.threshold <= COALESCE(s.points, 0)
             ORDER BY l.threshold DESC LIMIT 1),
          (SELECT l.threshold FROM {t["Level"]} l WHERE l.threshold > COALESCE(s.points, 0)
             ORDER BY l.threshold LIMIT 1),
          (SELECT k.message FROM {t["Kudos"]} k WHERE k.recipient_id = %s ORDER BY k.created_at DESC, k.id DESC LIMIT 1),
          (SELECT u.name FROM {t["Kudos"]} k JOIN {t["User"]} u ON u.id = k.sender_id
             WHERE k.recipient_id = %s ORDER BY k.created_at DESC, k.id DESC LIMIT 1),
          (SELECT b.{name} FROM {t["BadgeAward"]} a JOIN {t["Badge"]} b ON b.id = a.badge_id
             WHERE a.user_id = %s ORDER BY a.awarded_at DESC, a.id DESC LIMIT 1)
        FROM {t["User"]} me
        LEFT JOIN {t["RepScore"]} s ON s.user_id = me.id
        LEFT JOIN {t["Celebration"]} c ON c.user_id = me.id
        WHERE me.id = %s
    """  # noqa: S608 - names from the models, values as parameters


def _default_level(points: int) -> tuple[int, int | None, str]:
    """Return (number, next threshold, name) of the default level the points reach."""
    en = get_language() == "en"
    reached = [row for row in DEFAULT_LEVELS if row[1] <= points] or DEFAULT_LEVELS[:1]
    number, _threshold, name_ja, name_en = reached[-1]
    following = next((row[1] for row in DEFAULT_LEVELS if row[1] > points), None)
    return number, following, name_en if en else name_ja


def rep_strip(user: Any) -> Strip:
    """Return a person's points, level, streak, badges, latest kudos and what to celebrate, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_strip_sql(get_language() == "en"), [user.pk] * 4)
        row = cursor.fetchone()
    if row is None:
        row = (None,) * 13
    points, level, badges, streak, last_day, seen_points, seen_level, seen_badges = row[:8]
    level_name, next_threshold, kudos_message, kudos_sender, latest_badge = row[8:]
    has_score = points is not None
    points, badges = points or 0, badges or 0
    if level is None:  # no levels stored yet: gamification was never used, the defaults apply
        level, next_threshold, level_name = _default_level(points)
    if isinstance(last_day, str):  # SQLite returns dates as text
        last_day = date.fromisoformat(last_day)
    return Strip(
        points=points,
        level=level,
        level_name=level_name or "",
        next_threshold=next_threshold,
        streak=streak if has_score and last_day and _streak_alive(last_day) else 0,
        badges=badges,
        kudos_message=kudos_message,
        kudos_sender=kudos_sender,
        celebrate_points=max(0, points - (seen_points or 0)),
        celebrate_level=level > (seen_level if seen_level is not None else 1) and level > 1,
        celebrate_badges=max(0, badges - (seen_badges or 0)),
        latest_badge=latest_badge,
    )


def _streak_alive(last_day: date) -> bool:
    """A streak counts while its last day is today or yesterday."""
    return (rules.local_day(timezone.now()) - last_day).days <= 1


# --- Rankings -----------------------------------------------------------------------------------------------


@dataclass
class RankRow:
    rank: int
    name: str
    agency: str
    team: str
    points: int
    is_me: bool
    rep_id: int | None = None  # set when the viewer may open the rep's badges and points (and send kudos)


@dataclass
class Ranking:
    period: str
    scope: str
    start: date | None
    rows: list[RankRow]
    my_rank: int | None = None
    my_points: int | None = None
    scopes: list[str] = field(default_factory=list)


def ranking_sharing(viewer: Any) -> set[int] | None:
    """The partners taking part in cross-agency rankings, when it matters for this viewer (reps)."""
    m = membership_of(viewer)
    return partners_sharing(Area.RANKINGS) if m is not None and m.is_rep else None


def ranking_scopes(viewer: Any, sharing: set[int] | None = None) -> list[str]:
    """The scopes this person may open (a rep sees across agencies only if their agreement allows it)."""
    m = membership_of(viewer)
    if m is None:
        return []
    if m.is_principal_staff:
        return [Scope.AGENCY, Scope.ALL]
    if m.is_manager:
        return [Scope.TEAM, Scope.AGENCY]
    if m.is_rep:
        scopes = [Scope.TEAM, Scope.AGENCY] if m.team_id else [Scope.AGENCY]
        if m.organization_id in (partners_sharing(Area.RANKINGS) if sharing is None else sharing):
            scopes.append(Scope.ALL)
        return scopes
    return []


def _period_start(period: str, today: date) -> date | None:
    if period == Period.WEEK:
        return rules.week_start(today)
    if period == Period.MONTH:
        return rules.month_start(today)
    return None


def ranking(
    *,
    viewer: Any,
    period: str,
    scope: str,
    partner_id: int | None = None,
    team_id: int | None = None,
    limit: int = 50,
    today: date | None = None,
    sharing: set[int] | None = None,
) -> Ranking:
    """The top `limit` people for a period and scope, named for the viewer, with the viewer's own place."""
    m = membership_of(viewer)
    sharing = ranking_sharing(viewer) if sharing is None else sharing
    scopes = ranking_scopes(viewer, sharing)
    if m is None or scope not in scopes or period not in Period.CHOICES:
        raise Http404
    today = today or rules.local_day(timezone.now())
    start = _period_start(period, today)
    if m.is_principal_staff:
        if scope == Scope.AGENCY and partner_id is None:
            raise Http404
    else:
        partner_id = m.organization_id
        if scope == Scope.TEAM and not m.is_manager:
            team_id = m.team_id
    board: QuerySet[RepScore] | QuerySet[PeriodScore]
    if start is None:
        board = RepScore.objects.all()
    else:
        board = PeriodScore.objects.filter(period="w" if period == Period.WEEK else "m", start=start)
    board = board.filter(user__membership__role=Role.REP, user__is_active=True, points__gt=0)
    if scope == Scope.ALL:
        if not m.is_principal_staff:
            board = board.filter(partner_id__in=sharing or ())
    else:
        board = board.filter(partner_id=partner_id)
        if scope == Scope.TEAM:
            if team_id is None:
                raise Http404
            board = board.filter(user__membership__team_id=team_id)
    top: list[RepScore | PeriodScore] = list(
        board.select_related("user__membership__organization", "user__membership__team").order_by("-points", "user_id")[
            :limit
        ]
    )
    namer = names_for(viewer, Area.RANKINGS)
    may_open = m.role in (Role.ADMIN, Role.COACH) or m.is_manager  # a manager's boards are their own agency's
    rows: list[RankRow] = []
    for i, entry in enumerate(top):
        rank = rows[-1].rank if rows and rows[-1].points == entry.points else i + 1
        membership = entry.user.membership
        rows.append(
            RankRow(
                rank=rank,
                name=namer.name(entry.user),
                agency=membership.organization.name,
                team=membership.team.name if membership.team and namer.shows_real_name(entry.user) else "",
                points=entry.points,
                is_me=entry.user_id == viewer.pk,
                rep_id=entry.user_id if may_open else None,
            )
        )
    result = Ranking(period=period, scope=scope, start=start, rows=rows, scopes=scopes)
    if m.is_rep:
        mine = next((r for r in rows if r.is_me), None)
        if mine is not None:
            result.my_rank, result.my_points = mine.rank, mine.points
        else:
            own = board.filter(user_id=viewer.pk).values_list("points", flat=True).first()
            if own:
                result.my_points = own
                result.my_rank = board.filter(points__gt=own).count() + 1
    return result


def spotlight_for_month(month: date) -> list[Spotlight]:
    return list(
        Spotlight.objects.filter(month=month.replace(day=1)).select_related(
            "rep__membership__organization", "rep__membership__team"
        )
    )


# --- Badges and points of one person ------------------------------------------------------------------------


@dataclass
class BadgeCard:
    badge: Badge
    award: BadgeAward | None
    revoked: BadgeRevocation | None


def badge_cards(*, user: Any) -> list[BadgeCard]:
    """Every active badge, with this person's award (or none) and its revocation."""
    awards = {a.badge_id: a for a in BadgeAward.objects.filter(user=user)}
    revoked = {r.badge_id: r for r in BadgeRevocation.objects.filter(user=user)}
    badges = Badge.objects.filter(active=True).select_related("course") | Badge.objects.filter(pk__in=list(awards))
    return [BadgeCard(badge=b, award=awards.get(b.pk), revoked=revoked.get(b.pk)) for b in badges.distinct()]


def recent_points(*, user: Any, limit: int = 20) -> list[PointAward]:
    return list(PointAward.objects.filter(user=user).order_by("-awarded_at", "-pk")[:limit])


def kudos_for(*, user: Any, limit: int = 10) -> list[Kudos]:
    return list(Kudos.objects.filter(recipient=user).select_related("sender")[:limit])


def point_rules() -> list[PointRule]:
    """Return the point rules; until gamification is first used, the defaults it will start with (not stored)."""
    stored = list(PointRule.objects.all())
    if stored:
        return stored
    defaults = [PointRule(kind=k, points=p, daily_cap=c, threshold=t) for k, (p, c, t) in DEFAULT_RULES.items()]
    return sorted(defaults, key=lambda rule: rule.kind)


def levels() -> list[Level]:
    """Return the levels; until gamification is first used, the defaults it will start with (not stored)."""
    stored = list(Level.objects.order_by("threshold"))
    if stored or PointRule.objects.exists():
        return stored
    return [Level(number=n, threshold=t, name_ja=ja, name_en=en) for n, t, ja, en in DEFAULT_LEVELS]


def access_badge(slug: str) -> Badge:
    badge = Badge.objects.filter(slug=slug).first()
    if badge is None:
        raise Http404
    return badge


# --- Open Badges 2.0 ----------------------------------------------------------------------------------------


def _url(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def ob_issuer() -> dict[str, Any]:
    from kizuna.orgs.models import Organization

    principal = Organization.objects.filter(kind=Organization.Kind.PRINCIPAL).first()
    return {
        "@context": OB_CONTEXT,
        "type": "Issuer",
        "id": _url("gamification:ob_issuer"),
        "name": principal.name if principal else "Kizuna",
        "url": settings.SITE_URL + "/",
    }


def ob_badge_class(badge: Badge) -> dict[str, Any]:
    return {
        "@context": OB_CONTEXT,
        "@language": "ja",
        "type": "BadgeClass",
        "id": _url("gamification:ob_badge_class", badge.slug),
        "name": badge.name_ja,
        "description": badge.description_ja,
        "image": _url("gamification:badge_image", badge.slug),
        "criteria": {"narrative": badge.description_ja},
        "issuer": _url("gamification:ob_issuer"),
        "tags": [badge.name_en],
    }


def _salt(assertion: uuid.UUID) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"ob-salt:{assertion}".encode(), hashlib.sha256).hexdigest()[:16]


def ob_assertion(assertion: uuid.UUID) -> tuple[dict[str, Any], bool]:
    """The hosted Assertion for this id, and whether it is revoked; 404 if there is no such award."""
    award = BadgeAward.objects.filter(assertion=assertion).select_related("badge", "user").first()
    revocation = BadgeRevocation.objects.filter(assertion=assertion).select_related("badge", "user").first()
    if award is None and revocation is None:
        raise Http404
    badge = award.badge if award else revocation.badge  # type: ignore[union-attr]
    user = award.user if award else revocation.user  # type: ignore[union-attr]
    salt = _salt(assertion)
    data: dict[str, Any] = {
        "@context": OB_CONTEXT,
        "type": "Assertion",
        "id": _url("gamification:ob_assertion", assertion),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": "sha256$" + hashlib.sha256((user.email.lower() + salt).encode()).hexdigest(),
        },
        "badge": _url("gamification:ob_badge_class", badge.slug),
        "verification": {"type": "hosted"},
        "issuedOn": (award.awarded_at if award else revocation.revoked_at).isoformat(),  # type: ignore[union-attr]
    }
    if revocation is not None:
        data["revoked"] = True
        data["revocationReason"] = revocation.reason
    return data, revocation is not None
