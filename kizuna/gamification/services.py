"""Writes of gamification: rules, levels, badges, revocations, kudos, the spotlight and celebrations seen."""

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.ops.repcache import rep_changed
from kizuna.ops.trail import Action, audit_record, changed_fields
from kizuna.orgs.access import Role, has_role, membership_of

from .defaults import DEFAULT_BADGES, DEFAULT_LEVELS, DEFAULT_RULES
from .errors import GamificationError
from .models import (
    Badge,
    BadgeAward,
    BadgeRevocation,
    Celebration,
    EventKind,
    Kudos,
    Level,
    PointRule,
    Spotlight,
    assertion_uuid,
)

MAX_BADGE_IMAGE_BYTES = 1024 * 1024


def defaults_ensure() -> None:
    """Create the default rules, levels and first badges the first time gamification is used."""
    if PointRule.objects.exists():
        return
    kind: str  # an EventKind from DEFAULT_RULES, then a badge's event kind (or "") from DEFAULT_BADGES
    with transaction.atomic():
        for kind, (points, cap, threshold) in DEFAULT_RULES.items():
            PointRule.objects.get_or_create(
                kind=kind, defaults={"points": points, "daily_cap": cap, "threshold": threshold}
            )
        if not Level.objects.exists():
            Level.objects.bulk_create(
                Level(number=n, threshold=t, name_ja=ja, name_en=en) for n, t, ja, en in DEFAULT_LEVELS
            )
        if not Badge.objects.exists():
            for slug, name_ja, name_en, desc_ja, desc_en, criterion, kind, amount, color in DEFAULT_BADGES:
                Badge.objects.create(
                    slug=slug,
                    name_ja=name_ja,
                    name_en=name_en,
                    description_ja=desc_ja,
                    description_en=desc_en,
                    criterion=criterion,
                    event_kind=kind,
                    amount=amount,
                    color=color,
                )


def point_rule_update(*, kind: str, points: int, daily_cap: int, threshold: float, active: bool) -> PointRule:
    """Change one rule; scores follow at the next rebuild (gamification_rebuild_task)."""
    if kind not in EventKind.values:
        raise GamificationError(_("Unknown kind of event."))
    if points < 0 or daily_cap < 0 or threshold < 0:
        raise GamificationError(_("Points, caps and thresholds cannot be negative."))
    if kind == EventKind.SCENARIO_ALIGNED and threshold > 1:
        raise GamificationError(_("The alignment threshold is a share between 0 and 1, such as 0.8."))
    rule, _created = PointRule.objects.update_or_create(
        kind=kind, defaults={"points": points, "daily_cap": daily_cap, "threshold": threshold, "active": active}
    )
    return rule


def rules_save(*, rules: list[dict[str, Any]], levels: list[tuple[int, str, str]]) -> None:
    """Save the rules and the levels together: all of it or, on a mistake, nothing."""
    with transaction.atomic():
        before = _rules_state()
        for data in rules:
            point_rule_update(
                kind=data["kind"],
                points=data["points"],
                daily_cap=data["daily_cap"],
                threshold=data.get("threshold") or 0,
                active=data["active"],
            )
        levels_replace(levels=levels)
        old, new = changed_fields(before, _rules_state())
        if new or old:
            audit_record(action=Action.POINT_RULES_UPDATE, before=old, after=new)


def _organization_id(user: Any) -> int | None:
    m = membership_of(user)
    return m.organization_id if m is not None else None


def _rules_state() -> dict[str, Any]:
    """The point rules and levels as the audit trail keeps them."""
    state: dict[str, Any] = {
        f"rule:{r.kind}": [r.points, r.daily_cap, r.threshold, r.active] for r in PointRule.objects.order_by("kind")
    }
    state["levels"] = [[lv.threshold, lv.name_ja, lv.name_en] for lv in Level.objects.order_by("threshold")]
    return state


def levels_replace(*, levels: list[tuple[int, str, str]]) -> list[Level]:
    """Replace the levels with (threshold, name_ja, name_en) rows; level 1 starts at 0 points."""
    rows = sorted(levels)
    if not rows or rows[0][0] != 0:
        raise GamificationError(_("The first level must start at 0 points."))
    thresholds = [t for t, _ja, _en in rows]
    if len(set(thresholds)) != len(thresholds):
        raise GamificationError(_("Two levels cannot need the same points."))
    if any(not ja.strip() or not en.strip() for _t, ja, en in rows):
        raise GamificationError(_("Every level needs a Japanese and an English name."))
    with transaction.atomic():
        Level.objects.all().delete()
        return Level.objects.bulk_create(
            Level(number=i, threshold=t, name_ja=ja.strip(), name_en=en.strip())
            for i, (t, ja, en) in enumerate(rows, 1)
        )


@dataclass(frozen=True)
class BadgeImage:
    content: bytes
    extension: str


def badge_image_clean(upload: Any) -> BadgeImage:
    """Accept a PNG only if Pillow decodes it as one; without an upload the badge gets a generated SVG."""
    from PIL import Image, UnidentifiedImageError

    data = upload.read(MAX_BADGE_IMAGE_BYTES + 1)
    if len(data) > MAX_BADGE_IMAGE_BYTES:
        raise GamificationError(_("The image is too large (at most 1 MB)."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            ok = image.format == "PNG"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        ok = False
    if not ok:
        raise GamificationError(_("The badge image must be a PNG file."))
    return BadgeImage(content=data, extension="png")


def badge_save(*, badge: Badge | None = None, data: dict[str, Any], image: BadgeImage | None = None) -> Badge:
    """Create or change a badge class (awards follow at the next rebuild)."""
    badge = badge or Badge()
    before = {name: getattr(badge, name) for name in data} if badge.pk else {}
    for name, value in data.items():
        setattr(badge, name, value)
    if not badge.slug:
        badge.slug = slugify(badge.name_en)[:60] or "badge"
    if badge.criterion == Badge.Criterion.EVENTS and not badge.event_kind:
        raise GamificationError(_("Choose which event the badge counts."))
    if badge.criterion == Badge.Criterion.COURSE and badge.course_id is None:
        raise GamificationError(_("Choose the course that earns the badge."))
    try:
        with transaction.atomic():
            created = badge.pk is None
            badge.save()
            if image is not None:
                badge.image.save(f"{badge.slug}.{image.extension}", ContentFile(image.content), save=True)
            old, new = changed_fields(before, {name: getattr(badge, name) for name in data})
            if created or old or new or image is not None:
                audit_record(
                    action=Action.BADGE_SAVE,
                    target=badge,
                    before=old,
                    after={**new, **({"image": badge.image.name} if image is not None else {})},
                )
    except IntegrityError:
        raise GamificationError(_("Another badge already uses this code.")) from None
    return badge


def badge_revoke(*, award: BadgeAward, by: Any, reason: str) -> BadgeRevocation:
    """Revoke an awarded badge: its assertion answers revoked: true with the reason, even after rebuilds."""
    reason = reason.strip()
    if not reason:
        raise GamificationError(_("Say why the badge is revoked."))
    with transaction.atomic():
        revocation, _created = BadgeRevocation.objects.update_or_create(
            assertion=assertion_uuid(award.user_id, award.badge_id),
            defaults={"user_id": award.user_id, "badge_id": award.badge_id, "reason": reason[:300], "revoked_by": by},
        )
        audit_record(
            action=Action.BADGE_REVOKE,
            actor=by,
            target=revocation,
            target_label=f"{award.badge} → {award.user}",
            organization_id=_organization_id(award.user),
            after={"reason": reason[:300]},
        )
        rep_changed(award.user_id)
    return revocation


def kudos_send(*, sender: Any, rep: Any, message: str) -> Kudos:
    """Thank a rep (principal coaches and admins only) and tell them."""
    from kizuna.notifications.services import notification_send

    if not has_role(sender, Role.ADMIN, Role.COACH):
        raise GamificationError(_("Only the principal's coaches and admins send kudos."))
    m = membership_of(rep)
    if m is None or not m.is_rep:
        raise GamificationError(_("Kudos go to reps."))
    message = message.strip()
    if not message:
        raise GamificationError(_("Write a message of thanks."))
    if len(message) > 500:
        raise GamificationError(_("The message is too long (at most 500 characters)."))
    with transaction.atomic():
        kudos = Kudos.objects.create(sender=sender, recipient=rep, message=message)
        rep_changed(rep.pk)  # the strip shows the latest kudos
        notification_send(
            recipient=rep,
            kind="gamification.kudos",
            title=gettext_noop("%(sender)s sent you kudos"),
            # The message itself goes in params: it is the sender's text, not a msgid.
            body=gettext_noop("%(message)s"),
            params={"sender": sender.name, "message": message},
            url=reverse("gamification:badges"),
        )
    return kudos


def spotlight_add(*, month: date, rep: Any, note: str, by: Any) -> Spotlight:
    """Put a rep in a month's spotlight (principal admins only)."""
    if not has_role(by, Role.ADMIN):
        raise GamificationError(_("Only the principal's admins choose the spotlight."))
    m = membership_of(rep)
    if m is None or not m.is_rep:
        raise GamificationError(_("The spotlight is for reps."))
    note = note.strip()
    if not note:
        raise GamificationError(_("Say in a line why this rep is in the spotlight."))
    try:
        with transaction.atomic():
            spotlight = Spotlight.objects.create(month=month.replace(day=1), rep=rep, note=note[:300], chosen_by=by)
            audit_record(
                action=Action.SPOTLIGHT_ADD,
                actor=by,
                target=spotlight,
                target_label=rep.email,
                organization_id=m.organization_id,
                after={"month": spotlight.month.strftime("%Y-%m"), "note": spotlight.note},
            )
            return spotlight
    except IntegrityError:
        raise GamificationError(_("This rep is already in that month's spotlight.")) from None


def spotlight_remove(*, spotlight: Spotlight) -> None:
    with transaction.atomic():
        m = membership_of(spotlight.rep)
        audit_record(
            action=Action.SPOTLIGHT_REMOVE,
            target=spotlight,
            target_label=spotlight.rep.email,
            organization_id=m.organization_id if m is not None else None,
            before={"month": spotlight.month.strftime("%Y-%m"), "note": spotlight.note},
        )
        spotlight.delete()


def celebration_seen(*, user: Any, points: int, level: int, badges: int) -> None:
    """Remember what the person has been congratulated for, so the banner shows once."""
    Celebration.objects.update_or_create(user=user, defaults={"points": points, "level": level, "badges": badges})
    rep_changed(user.pk)
