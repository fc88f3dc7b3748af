"""Writes of roleplay practice, and the maths they rest on (rubric scores, peer allocation, calibration).

The maths are pure functions at the top of this module, pinned by unit tests on known inputs;
the writes below them load rows, call the maths, store the result and record the statement.

Files: a resumable upload is appended to ``MEDIA_ROOT/private/coaching/uploads/<key>/data``;
when it is finished the media pipeline checks it by content (ffprobe), stores it as a
media.Video under a random key and transcodes it. That video is private to this app: it is
served only through ``roleplay_video`` with a signed, expiring URL (see selectors.video_url).
"""

import logging
import shutil
import subprocess
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.orgs.models import Membership, Organization, Team
from kizuna.orgs.sharing import Area, names_for, partners_sharing
from kizuna.records import vocab as records_vocab
from kizuna.records.services import Activity, statement_record

from . import vocab
from .errors import CoachingError
from .models import Comment, Criterion, CriterionScore, Review, Roleplay, RoleplayTarget, Submission, Upload

logger = logging.getLogger(__name__)

Role = Membership.Role
MIN_LEVELS, MAX_LEVELS = 2, 6
MAX_CRITERIA = 10
UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024
MAX_CHUNK_BYTES = 8 * 1024 * 1024
# A peer review this many days past its due date is given up, so the rep is not kept waiting for ever.
EXPIRE_AFTER_DAYS = 3


# ---------------------------------------------------------------------------------------------------------------
# The maths: pure functions, pinned by tests.


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    weight: int
    max_level: int


def level_scaled(level: int, max_level: int) -> float:
    """Return a level as 0..1: the lowest level is 0, the highest 1."""
    if max_level < 2 or not 1 <= level <= max_level:
        raise ValueError(f"level {level} outside 1..{max_level}")
    return (level - 1) / (max_level - 1)


def rubric_score(*, criteria: Sequence[CriterionSpec], levels: Mapping[int, int]) -> float:
    """Return the weighted rubric score 0..1 of one review: every criterion must have a level."""
    total_weight = sum(c.weight for c in criteria)
    if total_weight <= 0:
        raise ValueError("a rubric needs a positive total weight")
    points = sum(c.weight * level_scaled(levels[c.id], c.max_level) for c in criteria)
    return round(points / total_weight, 4)


def combined_score(*, scores: Sequence[tuple[float, float]]) -> float | None:
    """Return the weighted mean of (score, reviewer weight) pairs, or None when nobody counts."""
    total = sum(weight for _score, weight in scores)
    if total <= 0:
        return None
    return round(sum(score * weight for score, weight in scores) / total, 4)


def passes(*, score: float, threshold_percent: int) -> bool:
    """Return whether a 0..1 score reaches a pass threshold given in percent."""
    return round(score * 100, 6) >= threshold_percent


@dataclass(frozen=True)
class Peer:
    id: int
    partner_id: int
    team_id: int | None


def peers_choose(
    *, author: Peer, candidates: Iterable[Peer], count: int, load: Mapping[int, int], sharing_partner_ids: set[int]
) -> list[int]:
    """Choose up to `count` peer reviewers for one take.

    Never the author; people of another agency only when both agencies take part in cross-agency
    reviews; the least loaded first (so allocation stays balanced), then people of other teams,
    then by id so the choice is repeatable.
    """
    cross_ok = author.partner_id in sharing_partner_ids
    eligible = [
        c
        for c in candidates
        if c.id != author.id
        and (c.partner_id == author.partner_id or (cross_ok and c.partner_id in sharing_partner_ids))
    ]
    eligible.sort(key=lambda c: (load.get(c.id, 0), c.team_id is not None and c.team_id == author.team_id, c.id))
    return [c.id for c in eligible[: max(count, 0)]]


CalibrationKey = tuple[int, int]  # (submission id, criterion id)


@dataclass
class ReviewerCalibration:
    """How far one reviewer's scores are from the coaches' on the same reference takes (0 = the same)."""

    reviewer_id: int
    deviation: float | None
    compared: int
    per_criterion: dict[int, float] = field(default_factory=dict)

    @property
    def agreement(self) -> float | None:
        return None if self.deviation is None else round(1 - self.deviation, 4)

    @property
    def weight(self) -> float:
        return calibration_weight(self.deviation)


def calibration_reference(*, coach_scores: Iterable[tuple[int, int, float]]) -> dict[CalibrationKey, float]:
    """Return the coaches' mean scaled score per (submission, criterion) from (submission, criterion, scaled) rows."""
    sums: dict[CalibrationKey, list[float]] = {}
    for submission_id, criterion_id, scaled in coach_scores:
        sums.setdefault((submission_id, criterion_id), []).append(scaled)
    return {key: round(sum(values) / len(values), 4) for key, values in sums.items()}


def calibration_figures(
    *, scores: Iterable[tuple[int, int, int, float]], reference: Mapping[CalibrationKey, float]
) -> dict[int, ReviewerCalibration]:
    """Return each reviewer's mean absolute distance from the reference, overall and per criterion.

    `scores` are (reviewer, submission, criterion, scaled) rows; only keys the coaches scored count.
    """
    overall: dict[int, list[float]] = {}
    by_criterion: dict[int, dict[int, list[float]]] = {}
    for reviewer_id, submission_id, criterion_id, scaled in scores:
        ref = reference.get((submission_id, criterion_id))
        if ref is None:
            continue
        gap = abs(scaled - ref)
        overall.setdefault(reviewer_id, []).append(gap)
        by_criterion.setdefault(reviewer_id, {}).setdefault(criterion_id, []).append(gap)
    return {
        reviewer_id: ReviewerCalibration(
            reviewer_id=reviewer_id,
            deviation=round(sum(gaps) / len(gaps), 4),
            compared=len(gaps),
            per_criterion={cid: round(sum(g) / len(g), 4) for cid, g in by_criterion[reviewer_id].items()},
        )
        for reviewer_id, gaps in overall.items()
    }


# Within this distance of the coaches a reviewer counts fully; every 0.1 further costs 0.2, down to a floor.
CALIBRATION_TOLERANCE = 0.1
CALIBRATION_FLOOR = 0.25


def calibration_weight(deviation: float | None) -> float:
    """Return the weight of a reviewer's scores: 1 when well calibrated (or not yet compared), less when far off."""
    if deviation is None:
        return 1.0
    weight = 1.0 - 2.0 * max(0.0, deviation - CALIBRATION_TOLERANCE)
    return round(min(1.0, max(CALIBRATION_FLOOR, weight)), 4)


# ---------------------------------------------------------------------------------------------------------------
# Statements


def roleplay_iri(roleplay: Roleplay) -> str:
    return f"{settings.SITE_URL}/roleplay/{roleplay.key}"


def submission_iri(submission: Submission) -> str:
    return f"{settings.SITE_URL}/roleplay/takes/{submission.key}"


def _roleplay_activity(roleplay: Roleplay) -> Activity:
    return Activity(iri=roleplay_iri(roleplay), type=vocab.TYPE_ROLEPLAY, name={"ja-JP": roleplay.title})


def _submission_activity(submission: Submission) -> Activity:
    roleplay = submission.roleplay
    return Activity(
        iri=submission_iri(submission),
        type=vocab.TYPE_SUBMISSION,
        name={"ja-JP": f"{roleplay.title} #{submission.take}"},
        parents=[roleplay_iri(roleplay)],
    )


# ---------------------------------------------------------------------------------------------------------------
# Roleplay assignments


@dataclass
class CriterionInput:
    title: str
    weight: int
    levels: list[str]


def _check_roleplay(*, title: str, pass_threshold: int, peer_count: int, review_days: int) -> None:
    if not title.strip():
        raise CoachingError(_("Enter a title."))
    if not 0 <= pass_threshold <= 100:
        raise CoachingError(_("The pass threshold must be between 0 and 100."))
    if not 0 <= peer_count <= 10:
        raise CoachingError(_("Choose between 0 and 10 peer reviewers."))
    if not 1 <= review_days <= 60:
        raise CoachingError(_("Reviewers need between 1 and 60 days."))


def _check_criteria(criteria: Sequence[CriterionInput]) -> None:
    if not criteria:
        raise CoachingError(_("Add at least one rubric criterion."))
    if len(criteria) > MAX_CRITERIA:
        raise CoachingError(_("A rubric has at most %(count)s criteria.") % {"count": MAX_CRITERIA})
    for criterion in criteria:
        if not criterion.title.strip():
            raise CoachingError(_("Every criterion needs a name."))
        if not 1 <= criterion.weight <= 10:
            raise CoachingError(_("Weights are whole numbers from 1 to 10."))
        levels = [level for level in criterion.levels if level.strip()]
        if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
            raise CoachingError(
                _("“%(criterion)s” needs between %(min)s and %(max)s level descriptions, one per line.")
                % {"criterion": criterion.title, "min": MIN_LEVELS, "max": MAX_LEVELS}
            )


def _write_criteria(roleplay: Roleplay, criteria: Sequence[CriterionInput]) -> None:
    roleplay.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(
            roleplay=roleplay,
            position=i,
            title=c.title.strip(),
            weight=c.weight,
            levels=[level.strip() for level in c.levels if level.strip()],
        )
        for i, c in enumerate(criteria)
    )


@transaction.atomic
def roleplay_create(
    *,
    author: Any,
    title: str,
    situation: str,
    persona: str,
    goal: str,
    criteria: Sequence[CriterionInput],
    pass_threshold: int = 60,
    review_by_coach: bool = True,
    review_by_manager: bool = False,
    peer_count: int = 2,
    review_days: int = 3,
    due_at: datetime | None = None,
) -> Roleplay:
    """Write a draft roleplay assignment with its rubric."""
    _check_roleplay(title=title, pass_threshold=pass_threshold, peer_count=peer_count, review_days=review_days)
    _check_criteria(criteria)
    roleplay = Roleplay.objects.create(
        title=title.strip(),
        situation=situation.strip(),
        persona=persona.strip(),
        goal=goal.strip(),
        pass_threshold=pass_threshold,
        review_by_coach=review_by_coach,
        review_by_manager=review_by_manager,
        peer_count=peer_count,
        review_days=review_days,
        due_at=due_at,
        created_by=author,
    )
    _write_criteria(roleplay, criteria)
    return roleplay


@transaction.atomic
def roleplay_update(
    *,
    roleplay: Roleplay,
    title: str,
    situation: str,
    persona: str,
    goal: str,
    criteria: Sequence[CriterionInput],
    pass_threshold: int,
    review_by_coach: bool,
    review_by_manager: bool,
    peer_count: int,
    review_days: int,
    due_at: datetime | None,
) -> Roleplay:
    """Change a roleplay; its rubric can change only until the first take is handed in (scores refer to it)."""
    _check_roleplay(title=title, pass_threshold=pass_threshold, peer_count=peer_count, review_days=review_days)
    _check_criteria(criteria)
    if roleplay.submissions.exists():
        current = [(c.title, c.weight, c.levels) for c in roleplay.criteria.all()]
        wanted = [(c.title.strip(), c.weight, [lv.strip() for lv in c.levels if lv.strip()]) for c in criteria]
        if current != wanted:
            raise CoachingError(_("Takes have been handed in, so the rubric can no longer change."))
    else:
        _write_criteria(roleplay, criteria)
    roleplay.title, roleplay.situation, roleplay.persona, roleplay.goal = (
        title.strip(),
        situation.strip(),
        persona.strip(),
        goal.strip(),
    )
    roleplay.pass_threshold, roleplay.review_by_coach, roleplay.review_by_manager = (
        pass_threshold,
        review_by_coach,
        review_by_manager,
    )
    roleplay.peer_count, roleplay.review_days, roleplay.due_at = peer_count, review_days, due_at
    roleplay.save()
    return roleplay


def roleplay_publish(*, roleplay: Roleplay, when: datetime | None = None) -> Roleplay:
    """Open a roleplay to the reps it is assigned to."""
    if not roleplay.criteria.exists():
        raise CoachingError(_("Add at least one rubric criterion."))
    if not (roleplay.review_by_coach or roleplay.review_by_manager or roleplay.peer_count):
        raise CoachingError(_("Choose at least one kind of reviewer."))
    roleplay.status = Roleplay.Status.PUBLISHED
    roleplay.published_at = roleplay.published_at or when or timezone.now()
    roleplay.save(update_fields=["status", "published_at"])
    return roleplay


def roleplay_target_add(
    *,
    roleplay: Roleplay,
    assigned_by: Any,
    partner: Organization | None = None,
    team: Team | None = None,
    rep: Any | None = None,
) -> RoleplayTarget:
    """Assign a roleplay to a whole partner, one team or one rep."""
    if rep is not None:
        m = getattr(rep, "membership", None)
        if m is None or m.role != Role.REP:
            raise CoachingError(_("Roleplays can only be assigned to reps."))
        partner, team = m.organization, None
    elif team is not None:
        partner = team.organization
    if partner is None or partner.kind != Organization.Kind.PARTNER:
        raise CoachingError(_("Choose a partner, a team or a rep."))
    return RoleplayTarget.objects.create(
        roleplay=roleplay, partner=partner, team=team, rep=rep, assigned_by=assigned_by
    )


def roleplay_target_remove(*, target: RoleplayTarget) -> None:
    target.delete()


# ---------------------------------------------------------------------------------------------------------------
# Resumable uploads


def _uploads_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "coaching" / "uploads"


def upload_path(upload: Upload) -> Path:
    return _uploads_root() / str(upload.key) / "data"


def _max_bytes() -> int:
    return settings.VIDEO_MAX_UPLOAD_MB * 1024 * 1024


def _too_large() -> CoachingError:
    return CoachingError(
        _("This file is too large (limit %(mb)sMB). Record a shorter take and try again.")
        % {"mb": settings.VIDEO_MAX_UPLOAD_MB}
    )


def upload_start(*, rep: Any, roleplay: Roleplay, size: int, statement_id: uuid.UUID) -> Upload:
    """Open a resumable upload of `size` bytes; the same statement id resumes the upload already open."""
    if size <= 0:
        raise CoachingError(_("The file is empty. Record or choose a video."))
    if size > _max_bytes():
        raise _too_large()
    existing = Upload.objects.filter(owner=rep, statement_id=statement_id).first()
    if existing is not None:
        if existing.size != size:
            raise CoachingError(_("This upload was started with another file. Start again."))
        return existing
    upload = Upload.objects.create(owner=rep, roleplay=roleplay, size=size, statement_id=statement_id)
    path = upload_path(upload)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return upload


def upload_chunk_write(*, upload: Upload, offset: int, stream: BinaryIO, length: int) -> int:
    """Write one chunk at `offset` and return the new offset; a chunk at the wrong offset changes nothing.

    The offset moves forward only after the bytes are on disk, with a compare-and-set, so a chunk
    that was cut off midway (a dropped connection) is simply sent again from the stored offset.
    """
    if offset != upload.received:
        return upload.received
    if length <= 0 or length > MAX_CHUNK_BYTES:
        raise CoachingError(_("A part of the upload had an unexpected size. Try again."))
    if offset + length > upload.size:
        raise _too_large()
    path = upload_path(upload)
    written = 0
    with path.open("r+b") as out:
        out.seek(offset)
        while written < length:
            block = stream.read(min(256 * 1024, length - written))
            if not block:
                break
            out.write(block)
            written += len(block)
        out.flush()
    if written != length:
        # The connection dropped midway: keep the old offset, the client resends from there.
        return upload.received
    if Upload.objects.filter(pk=upload.pk, received=offset).update(received=offset + length, updated_at=timezone.now()):
        upload.received = offset + length
    else:
        upload.refresh_from_db(fields=["received"])
    return upload.received


# An upload nobody finished within this many days is given up and its parts deleted by the daily job.
UPLOAD_EXPIRE_DAYS = 2


def uploads_expire(*, now: datetime | None = None) -> int:
    """Delete the parts of uploads left unfinished for days; return how many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=UPLOAD_EXPIRE_DAYS)
    stale = list(Upload.objects.filter(updated_at__lt=cutoff))
    for upload in stale:
        upload_discard(upload=upload)
    return len(stale)


def upload_discard(*, upload: Upload) -> None:
    folder = upload_path(upload).parent
    upload.delete()
    shutil.rmtree(folder, ignore_errors=True)


_EBML_MAGIC = b"\x1a\x45\xdf\xa3"


def _with_known_length(path: Path) -> Path:
    """Return a copy of a browser recording (WebM) with its length written in, or the file as it is.

    MediaRecorder streams WebM without a duration or seek index; copying the streams into a fresh
    Matroska file (no re-encoding) writes both, so the media pipeline can probe and seek it.
    """
    with path.open("rb") as handle:
        if handle.read(4) != _EBML_MAGIC:
            return path
    fixed = path.with_name("fixed.mkv")
    command = [settings.FFMPEG_BINARY, "-nostdin", "-v", "error", "-y", "-i", str(path), "-c", "copy", "-f", "matroska"]
    try:
        subprocess.run([*command, str(fixed)], capture_output=True, timeout=600, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        logger.info("could not remux a recording at %s; the media pipeline checks it as it is", path)
        fixed.unlink(missing_ok=True)
        return path
    return fixed


def upload_finish(*, upload: Upload, note: str = "", consent: bool = False) -> Submission:
    """Turn a complete upload into a take: checked by content, stored, transcoded; the upload's parts are removed.

    Finishing twice returns the same take (the client's statement id identifies it).
    """
    done = Submission.objects.filter(statement_id=upload.statement_id, rep=upload.owner).first()
    if done is not None:
        return done
    if upload.received != upload.size:
        raise CoachingError(_("The upload is not complete yet. Keep this page open until it finishes."))
    path = _with_known_length(upload_path(upload))
    try:
        with path.open("rb") as handle:
            submission = submission_create(
                rep=upload.owner,
                roleplay=upload.roleplay,
                file=File(handle, name="take"),
                statement_id=upload.statement_id,
                note=note,
                consent=consent,
            )
    except CoachingError:
        upload_discard(upload=upload)
        raise
    folder = path.parent
    Upload.objects.filter(pk=upload.pk).delete()
    transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))
    return submission


# ---------------------------------------------------------------------------------------------------------------
# Takes and reviews


def _notify(
    *, recipient: Any, kind: str, title: str, body: str = "", params: dict[str, Any], url: str, dedupe: str
) -> None:
    from kizuna.notifications.services import notification_send

    notification_send(recipient=recipient, kind=kind, title=title, body=body, params=params, url=url, dedupe_key=dedupe)


def _rep_can_take(rep: Any, roleplay: Roleplay) -> bool:
    from .selectors import roleplays_for_rep

    return roleplays_for_rep(rep).filter(pk=roleplay.pk).exists()


@transaction.atomic
def submission_create(
    *,
    rep: Any,
    roleplay: Roleplay,
    file: File,
    statement_id: uuid.UUID,
    note: str = "",
    consent: bool = False,
    when: datetime | None = None,
) -> Submission:
    """Hand in a take: check and store the video (media pipeline), record the statement, request the reviews."""
    from kizuna.media.services import MediaError, video_create

    existing = Submission.objects.filter(statement_id=statement_id).first()
    if existing is not None:
        if existing.rep_id != rep.pk:
            raise CoachingError(_("This upload id is already used. Start again."))
        return existing
    if not _rep_can_take(rep, roleplay):
        raise CoachingError(_("This roleplay is not assigned to you."))
    if file.size is not None and file.size > _max_bytes():
        raise _too_large()
    try:
        video = video_create(uploaded_by=rep, file=file, title="")
    except MediaError as error:
        raise CoachingError(error.message) from None
    when = when or timezone.now()
    take = (Submission.objects.filter(roleplay=roleplay, rep=rep).aggregate(m=Max("take"))["m"] or 0) + 1
    submission = Submission.objects.create(
        roleplay=roleplay,
        rep=rep,
        partner_id=rep.membership.organization_id,
        take=take,
        video=video,
        statement_id=statement_id,
        note=note.strip(),
        exemplary_consent=consent,
        submitted_at=when,
    )
    statement_record(
        actor=rep,
        verb=vocab.SUBMITTED,
        activity=_submission_activity(submission),
        extensions={vocab.EXT_TAKE.iri: take},
        statement_id=statement_id,
        timestamp=when,
    )
    reviews_request(submission=submission, when=when)
    return submission


def _open_review_load(role: str) -> dict[int, int]:
    rows = Review.objects.filter(role=role, status=Review.Status.REQUESTED).values("reviewer").annotate(n=Count("id"))
    return {row["reviewer"]: row["n"] for row in rows}


def _pick_coach(roleplay: Roleplay) -> Any | None:
    from django.contrib.auth import get_user_model

    coaches = list(
        get_user_model().objects.filter(membership__role=Role.COACH, is_active=True).order_by("pk").only("pk")
    )
    if not coaches:
        return None
    if roleplay.created_by_id in {c.pk for c in coaches}:
        return next(c for c in coaches if c.pk == roleplay.created_by_id)
    load = _open_review_load(Review.Role.COACH)
    return min(coaches, key=lambda c: (load.get(c.pk, 0), c.pk))


def _pick_manager(rep: Any) -> Any | None:
    from django.contrib.auth import get_user_model

    m = rep.membership
    managers = get_user_model().objects.filter(
        membership__role=Role.MANAGER, membership__organization_id=m.organization_id, is_active=True
    )
    same_team = managers.filter(membership__team_id=m.team_id).order_by("pk").first() if m.team_id else None
    return same_team or managers.order_by("pk").first()


def peer_candidates(roleplay: Roleplay) -> list[Peer]:
    """Return the reps a roleplay is assigned to (the people who know its rubric), as allocation candidates."""
    targets = list(roleplay.targets.all())
    if not targets:
        return []
    q = Q()
    for t in targets:
        if t.rep_id:
            q |= Q(user_id=t.rep_id)
        elif t.team_id:
            q |= Q(team_id=t.team_id)
        else:
            q |= Q(organization_id=t.partner_id)
    rows = (
        Membership.objects.filter(q, role=Role.REP, user__is_active=True)
        .values_list("user_id", "organization_id", "team_id")
        .distinct()
    )
    return [Peer(id=u, partner_id=p, team_id=t) for u, p, t in rows]


def peer_load(roleplay: Roleplay) -> dict[int, int]:
    rows = (
        Review.objects.filter(submission__roleplay=roleplay, role=Review.Role.PEER)
        .values("reviewer")
        .annotate(n=Count("id"))
    )
    return {row["reviewer"]: row["n"] for row in rows}


def reviews_request(*, submission: Submission, when: datetime | None = None) -> list[Review]:
    """Ask the reviewers the roleplay names for (a coach, the rep's manager, N peers) and notify them."""
    when = when or timezone.now()
    roleplay, rep = submission.roleplay, submission.rep
    due = when + timedelta(days=roleplay.review_days)
    wanted: list[tuple[Any, str]] = []
    if roleplay.review_by_coach and (coach := _pick_coach(roleplay)) is not None:
        wanted.append((coach, Review.Role.COACH))
    if roleplay.review_by_manager and (manager := _pick_manager(rep)) is not None:
        wanted.append((manager, Review.Role.MANAGER))
    if roleplay.peer_count:
        m = rep.membership
        chosen = peers_choose(
            author=Peer(id=rep.pk, partner_id=m.organization_id, team_id=m.team_id),
            candidates=peer_candidates(roleplay),
            count=roleplay.peer_count,
            load=peer_load(roleplay),
            sharing_partner_ids=partners_sharing(Area.REVIEWS),
        )
        from django.contrib.auth import get_user_model

        peers = get_user_model().objects.in_bulk(chosen)
        wanted += [(peers[pk], Review.Role.PEER) for pk in chosen]
    reviews = [
        Review.objects.create(submission=submission, reviewer=reviewer, role=role, requested_at=when, due_at=due)
        for reviewer, role in wanted
    ]
    url = reverse("roleplay_take", args=[submission.pk])
    for review in reviews:
        _notify(
            recipient=review.reviewer,
            kind="coaching.review_requested",
            title=gettext_noop("Please review a roleplay: %(roleplay)s"),
            body=gettext_noop("Watch the take and score it by %(due)s."),
            params={"roleplay": roleplay.title, "due": timezone.localdate(due).isoformat()},
            url=url,
            dedupe=f"coaching:requested:{review.pk}",
        )
    return reviews


def _criterion_specs(roleplay: Roleplay) -> list[CriterionSpec]:
    return [CriterionSpec(id=c.pk, weight=c.weight, max_level=c.max_level) for c in roleplay.criteria.all()]


@transaction.atomic
def review_submit(
    *,
    review: Review,
    levels: Mapping[int, int],
    reasons: Mapping[int, str],
    feedback: str,
    when: datetime | None = None,
) -> Review:
    """Store a reviewer's rubric scores with their reasons and overall feedback, record it, then decide the take."""
    if review.status != Review.Status.REQUESTED:
        raise CoachingError(_("This review has already been sent."))
    criteria = list(review.submission.roleplay.criteria.all())
    for criterion in criteria:
        level = levels.get(criterion.pk)
        if level is None or not 1 <= level <= criterion.max_level:
            raise CoachingError(_("Choose a level for “%(criterion)s”.") % {"criterion": criterion.title})
        if not (reasons.get(criterion.pk) or "").strip():
            raise CoachingError(_("Write a reason for “%(criterion)s”.") % {"criterion": criterion.title})
    if not feedback.strip():
        raise CoachingError(_("Write your overall feedback."))
    when = when or timezone.now()
    score = rubric_score(criteria=_criterion_specs(review.submission.roleplay), levels=levels)
    CriterionScore.objects.bulk_create(
        CriterionScore(review=review, criterion=c, level=levels[c.pk], reason=reasons[c.pk].strip()) for c in criteria
    )
    review.status, review.feedback, review.score, review.submitted_at = (
        Review.Status.SUBMITTED,
        feedback.strip(),
        score,
        when,
    )
    review.save(update_fields=["status", "feedback", "score", "submitted_at"])
    submission = review.submission
    statement_record(
        actor=review.reviewer,
        verb=vocab.REVIEWED,
        activity=_submission_activity(submission),
        result={
            "score": {"scaled": score},
            "response": review.feedback,
            "extensions": {vocab.EXT_RUBRIC_SCORES.iri: {str(c.pk): levels[c.pk] for c in criteria}},
        },
        extensions={vocab.EXT_REVIEWER_ROLE.iri: review.role},
        statement_id=review.statement_id,
        timestamp=when,
    )
    if review.role != Review.Role.CALIBRATION:
        from .selectors import display_name

        namer = names_for(submission.rep, Area.REVIEWS)
        _notify(
            recipient=submission.rep,
            kind="coaching.review_received",
            title=gettext_noop("%(reviewer)s reviewed your roleplay"),
            body=gettext_noop("Open it to see the scores and the comments on your take of “%(roleplay)s”."),
            params={"reviewer": display_name(namer, review.reviewer), "roleplay": submission.roleplay.title},
            url=reverse("roleplay_take", args=[submission.pk]),
            dedupe=f"coaching:received:{review.pk}",
        )
        submission_decide(submission=submission, when=when)
    return review


def reviewer_weights(reviewer_ids: Iterable[int]) -> dict[int, float]:
    """Return the calibration weight of each reviewer (1 for coaches and for those not yet compared)."""
    from .selectors import calibration_for

    ids = set(reviewer_ids)
    figures = calibration_for(reviewer_ids=ids) if ids else {}
    return {rid: (figures[rid].weight if rid in figures else 1.0) for rid in ids}


def submission_decide(*, submission: Submission, when: datetime | None = None, force: bool = False) -> Submission:
    """Once no review is outstanding (or when forced), score the take and record the rep's pass or fail."""
    if submission.decided_at is not None:
        return submission
    counted = submission.reviews.exclude(role=Review.Role.CALIBRATION).exclude(status=Review.Status.EXPIRED)
    if not force and counted.filter(status=Review.Status.REQUESTED).exists():
        return submission
    done = list(counted.filter(status=Review.Status.SUBMITTED))
    if not done:
        return submission
    weights = reviewer_weights(r.reviewer_id for r in done if r.role != Review.Role.COACH)
    score = combined_score(
        scores=[(r.score or 0.0, 1.0 if r.role == Review.Role.COACH else weights[r.reviewer_id]) for r in done]
    )
    if score is None:
        return submission
    when = when or timezone.now()
    roleplay = submission.roleplay
    passed = passes(score=score, threshold_percent=roleplay.pass_threshold)
    submission.score, submission.passed, submission.decided_at = score, passed, when
    submission.save(update_fields=["score", "passed", "decided_at"])
    statement_record(
        actor=submission.rep,
        verb=records_vocab.PASSED if passed else records_vocab.FAILED,
        activity=_roleplay_activity(roleplay),
        result={"score": {"scaled": score}, "success": passed, "completion": True},
        extensions={vocab.EXT_TAKE.iri: submission.take},
        statement_id=uuid.uuid5(submission.key, "result"),
        timestamp=when,
    )
    return submission


def comment_add(
    *, submission: Submission, author: Any, body: str, at_second: int = 0, parent: Comment | None = None
) -> Comment:
    """Pin a comment to a second of the take, or reply to a comment (a reply keeps its comment's second)."""
    body = body.strip()
    if not body:
        raise CoachingError(_("Write a comment."))
    if len(body) > 4000:
        raise CoachingError(_("The comment is too long (limit 4,000 characters)."))
    if parent is not None:
        if parent.submission_id != submission.pk:
            raise CoachingError(_("This comment belongs to another take."))
        parent = parent.parent or parent
        at_second = parent.at_second
    duration = submission.video.duration_seconds if submission.video else None
    if at_second < 0 or (duration is not None and at_second > int(duration) + 1):
        raise CoachingError(_("The time is outside the video."))
    comment = Comment.objects.create(
        submission=submission, author=author, body=body, at_second=at_second, parent=parent
    )
    statement_record(
        actor=author,
        verb=vocab.COMMENTED,
        activity=_submission_activity(submission),
        result={"response": body, "extensions": {vocab.EXT_VIDEO_TIME: at_second}},
    )
    return comment


def submission_consent_set(*, submission: Submission, consent: bool) -> Submission:
    """Record whether the rep agrees that this take may be shown to others as an example."""
    if not consent and submission.exemplary_lesson_id:
        raise CoachingError(_("This take is already published as a lesson. Ask a coach to remove it first."))
    submission.exemplary_consent = consent
    if not consent:
        submission.is_reference = False
    submission.save(update_fields=["exemplary_consent", "is_reference"])
    return submission


def submission_reference_set(*, submission: Submission, reference: bool) -> Submission:
    """Make a take a calibration reference (the rep must have agreed to it being shown), or stop it being one."""
    if reference and not submission.exemplary_consent:
        raise CoachingError(_("The rep has not agreed to this take being shown to others."))
    submission.is_reference = reference
    submission.save(update_fields=["is_reference"])
    return submission


def calibration_review_start(*, submission: Submission, reviewer: Any, when: datetime | None = None) -> Review:
    """Let a reviewer score a reference take to see how close they are to the coaches."""
    if not submission.is_reference:
        raise CoachingError(_("This take is not a calibration reference."))
    existing = Review.objects.filter(submission=submission, reviewer=reviewer).first()
    if existing is not None:
        return existing
    when = when or timezone.now()
    return Review.objects.create(
        submission=submission,
        reviewer=reviewer,
        role=Review.Role.CALIBRATION,
        requested_at=when,
        due_at=when + timedelta(days=submission.roleplay.review_days),
    )


def submission_delete(*, submission: Submission) -> None:
    """Delete a take with its reviews, comments and video files."""
    from kizuna.media.services import MediaError, video_delete

    if submission.exemplary_lesson_id:
        raise CoachingError(_("This take is published as a lesson. Remove it from the lesson first."))
    video = submission.video
    with transaction.atomic():
        submission.delete()
        if video is not None:
            try:
                video_delete(video=video)
            except MediaError as error:
                raise CoachingError(error.message) from None


@transaction.atomic
def exemplary_publish(*, submission: Submission, coach: Any, when: datetime | None = None) -> int:
    """Publish a consented take with its comments as a video lesson (a one-lesson course); return the lesson id."""
    from kizuna.catalog import services as catalog

    if not submission.exemplary_consent:
        raise CoachingError(_("The rep has not agreed to this take being shown to others."))
    if submission.exemplary_lesson_id:
        return submission.exemplary_lesson_id
    video = submission.video
    if video is None or not video.is_ready:
        raise CoachingError(_("The video is still being converted. Try again in a few minutes."))
    roleplay = submission.roleplay
    lines = ["## " + _("Situation"), "", roleplay.situation, "", "## " + _("Comments"), ""]
    for comment in submission.comments.filter(parent=None).order_by("at_second", "pk"):
        minutes, seconds = divmod(comment.at_second, 60)
        text = " ".join(comment.body.split())
        lines.append(f"- **{minutes}:{seconds:02d}** {text}")
    title = _("Model roleplay: %(title)s") % {"title": roleplay.title}
    try:
        course = catalog.course_create(
            author=coach,
            title=title[:200],
            slug=f"roleplay-{submission.key.hex[:12]}",
            summary=roleplay.goal,
            tags=[t for slug, t in catalog.story_tags_ensure().items() if slug == "partner_success"],
        )
        module = catalog.module_create(course=course, title=roleplay.title[:200])
        catalog.lesson_create(module=module, kind="video", title=title[:200], body="\n".join(lines), video=video)
        version = catalog.course_publish(course=course, publisher=coach, when=when)
    except catalog.CatalogError as error:
        raise CoachingError(str(error)) from None
    lesson_id = version.lessons.values_list("pk", flat=True).first()
    submission.exemplary_lesson_id = lesson_id
    submission.save(update_fields=["exemplary_lesson_id"])
    return int(lesson_id)


def review_reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Daily: remind reviewers of overdue reviews once; give up peer reviews long overdue and decide those takes."""
    now = now or timezone.now()
    sent = expired = 0
    overdue = Review.objects.filter(status=Review.Status.REQUESTED, due_at__lt=now).select_related(
        "submission__roleplay", "reviewer"
    )
    for review in overdue.order_by("pk").iterator(chunk_size=500):
        if review.role == Review.Role.PEER and review.due_at + timedelta(days=EXPIRE_AFTER_DAYS) < now:
            with transaction.atomic():
                Review.objects.filter(pk=review.pk, status=Review.Status.REQUESTED).update(status=Review.Status.EXPIRED)
                submission_decide(submission=review.submission, when=now)
            expired += 1
            continue
        if review.role == Review.Role.CALIBRATION:
            continue
        from kizuna.notifications.services import notification_send

        done = notification_send(
            recipient=review.reviewer,
            kind="coaching.review_overdue",
            title=gettext_noop("A roleplay review is overdue: %(roleplay)s"),
            body=gettext_noop("The rep is waiting for your feedback. Please review the take."),
            params={"roleplay": review.submission.roleplay.title},
            url=reverse("roleplay_take", args=[review.submission_id]),
            dedupe_key=f"overdue:review:{review.pk}",
        )
        sent += done is not None
    return {"reminded": sent, "expired": expired, "uploads_expired": uploads_expire(now=now)}
