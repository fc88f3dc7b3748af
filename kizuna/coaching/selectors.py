"""Reads of coaching: who may see which roleplay and take, review queues, calibration figures, signed video URLs,
and the cross-app contracts (`roleplay_choices`, `roleplays_passed`).

Who sees a rep's takes (DESIGN.md): the rep; their own agency's manager; coaches and admins; the people asked to
review it (peers of another agency only when both agencies share reviews); for a calibration reference (the rep
agreed to it being shown), the reviewers who may be the rep's peers. Everyone else gets a 404.
"""

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from kizuna.notifications.subjects import SubjectState
from kizuna.orgs.access import Role, membership_of
from kizuna.orgs.sharing import Area, partners_sharing

from .models import Comment, CriterionScore, Review, Roleplay, RoleplayResult, RoleplayTarget, Submission, Upload
from .scoring import calibration_figures, calibration_reference, level_scaled

if TYPE_CHECKING:
    from kizuna.accounts.models import User

# A signed video link works for this long, for the one person it was made for.
VIDEO_URL_SECONDS = 4 * 60 * 60
_VIDEO_SALT = "kizuna.coaching.video"
STAFF_ROLES = (Role.ADMIN, Role.AUTHOR, Role.COACH)


def roleplay_choices() -> list[tuple[int, str]]:
    """Return the published roleplay assignments as (id, title), for other apps' pickers (certification)."""
    return list(Roleplay.objects.filter(status=Roleplay.Status.PUBLISHED).order_by("title").values_list("id", "title"))


def roleplays_passed(*, rep_ids: Iterable[int]) -> dict[int, set[int]]:
    """Return rep id → ids of the roleplay assignments the rep has passed (from the PASSED statements' projection)."""
    ids = list(rep_ids)
    passed: dict[int, set[int]] = {rep_id: set() for rep_id in ids}
    rows = RoleplayResult.objects.filter(rep_id__in=ids, passed=True).values_list("rep_id", "roleplay_id")
    for rep_id, roleplay_id in rows.iterator():
        passed.setdefault(rep_id, set()).add(roleplay_id)
    return passed


def display_name(namer: Any, person: "User") -> str:
    """Return how a viewer sees a person named in reviews: the principal's coaches and admins by their own names,
    reps and managers of another agency per the principal's setting (real name, agency or pseudonym)."""
    membership = getattr(person, "membership", None)
    if membership is not None and membership.organization.is_principal:
        return person.name or person.email
    return namer.name(person)


# --- roleplays


def _targets_for_rep_q(rep: "User") -> Q:
    m = membership_of(rep)
    if m is None or m.role != Role.REP:
        return Q(pk__in=[])
    q = Q(rep_id=rep.pk) | Q(team__isnull=True, rep__isnull=True, partner_id=m.organization_id)
    if m.team_id:
        q |= Q(team_id=m.team_id, rep__isnull=True)
    return q


def roleplays_for_rep(rep: "User") -> QuerySet[Roleplay]:
    """Return the published roleplays assigned to this rep (by partner, team or name)."""
    target_ids = RoleplayTarget.objects.filter(_targets_for_rep_q(rep)).values("roleplay_id")
    return Roleplay.objects.filter(status=Roleplay.Status.PUBLISHED, pk__in=target_ids).order_by("due_at", "title")


def can_edit_roleplays(user: "User") -> bool:
    m = membership_of(user)
    return m is not None and m.role in (Role.ADMIN, Role.AUTHOR, Role.COACH)


def roleplays_for_staff(user: "User") -> QuerySet[Roleplay]:
    if not can_edit_roleplays(user):
        return Roleplay.objects.none()
    return Roleplay.objects.select_related("created_by").prefetch_related("targets__partner", "targets__team")


def roleplays_visible_to(user: "User") -> QuerySet[Roleplay]:
    """Return the roleplays a person may open: all for principal staff, published ones assigned for others."""
    m = membership_of(user)
    if m is None:
        return Roleplay.objects.none()
    if m.role in STAFF_ROLES:
        return Roleplay.objects.all()
    if m.role == Role.MANAGER:
        ids = RoleplayTarget.objects.filter(partner_id=m.organization_id).values("roleplay_id")
        return Roleplay.objects.filter(status=Roleplay.Status.PUBLISHED, pk__in=ids)
    return roleplays_for_rep(user)


def access_roleplay_for_user(user: "User", roleplay_id: int) -> Roleplay:
    try:
        return roleplays_visible_to(user).get(pk=roleplay_id)
    except (Roleplay.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_roleplay_for_editor(user: "User", roleplay_id: int) -> Roleplay:
    try:
        return roleplays_for_staff(user).get(pk=roleplay_id)
    except (Roleplay.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def roleplay_targets(roleplay: Roleplay) -> QuerySet[RoleplayTarget]:
    return roleplay.targets.select_related("partner", "team", "rep")


# --- takes


def submissions_visible_to(user: "User") -> QuerySet[Submission]:
    """Return the takes this person may watch (see the module docstring)."""
    m = membership_of(user)
    takes = Submission.objects.all()
    if m is None or m.role == Role.AUTHOR:
        return takes.none()
    if m.role in (Role.ADMIN, Role.COACH):
        return takes
    asked = Review.objects.filter(reviewer=user).values("submission_id")
    if m.role == Role.MANAGER:
        return takes.filter(Q(partner_id=m.organization_id) | Q(pk__in=asked))
    sharing = partners_sharing(Area.REVIEWS)
    reference = Q(is_reference=True, exemplary_consent=True, partner_id=m.organization_id)
    if m.organization_id in sharing:
        reference |= Q(is_reference=True, exemplary_consent=True, partner_id__in=sharing)
    reference &= Q(roleplay__in=roleplays_for_rep(user))
    return takes.filter(Q(rep=user) | Q(pk__in=asked) | reference)


def access_submission_for_user(user: "User", submission_id: int) -> Submission:
    try:
        return (
            submissions_visible_to(user)
            .select_related("roleplay", "video", "rep__membership__organization", "rep__membership__team")
            .get(pk=submission_id)
        )
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def takes_of(submission: Submission, user: "User") -> list[Submission]:
    """Return every take of the same rep at the same roleplay that this person may see, oldest first."""
    return list(
        submissions_visible_to(user)
        .filter(roleplay_id=submission.roleplay_id, rep_id=submission.rep_id)
        .select_related("video")
        .order_by("take")
    )


def rep_takes(*, rep: "User", roleplay: Roleplay) -> list[Submission]:
    return list(Submission.objects.filter(rep=rep, roleplay=roleplay).select_related("video").order_by("-take"))


def submissions_for_roleplay(user: "User", roleplay: Roleplay) -> QuerySet[Submission]:
    return (
        submissions_visible_to(user)
        .filter(roleplay=roleplay)
        .select_related("video", "rep__membership__organization")
        .order_by("-submitted_at")
    )


def access_upload_for_owner(user: "User", key: uuid.UUID) -> Upload:
    try:
        return Upload.objects.select_related("roleplay").get(key=key, owner_id=user.pk)
    except (Upload.DoesNotExist, ValueError, TypeError, AttributeError):
        raise Http404 from None


# --- the review page


def comments_for(submission: Submission) -> list[Comment]:
    """Return the take's comments (with their replies), in video order."""
    replies = Comment.objects.select_related("author__membership__organization").order_by("created_at", "pk")
    return list(
        submission.comments.filter(parent=None)
        .select_related("author__membership__organization")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("at_second", "created_at", "pk")
    )


def reviews_for(submission: Submission) -> list[Review]:
    scores = CriterionScore.objects.select_related("criterion").order_by("criterion__position", "criterion_id")
    return list(
        submission.reviews.select_related("reviewer__membership__organization")
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by("submitted_at", "pk")
    )


def open_review_for(submission: Submission, user: "User") -> Review | None:
    return submission.reviews.filter(reviewer_id=user.pk, status=Review.Status.REQUESTED).first()


def review_queue(user: "User") -> QuerySet[Review]:
    """Return the reviews this person was asked for and has not sent yet, soonest due first."""
    return (
        Review.objects.filter(reviewer_id=user.pk, status=Review.Status.REQUESTED)
        .exclude(role=Review.Role.CALIBRATION)
        .select_related("submission__roleplay", "submission__rep__membership__organization")
        .order_by("due_at", "pk")
    )


def takes_awaiting_review(user: Any, *, limit: int = 50) -> list[Submission]:
    """Return recent takes this coach or manager may see whose result is not decided yet."""
    return list(
        submissions_visible_to(user)
        .filter(decided_at__isnull=True)
        .select_related("roleplay", "rep__membership__organization")
        .order_by("-submitted_at")[:limit]
    )


# --- signed, expiring video URLs


def video_token(submission: Submission, viewer: "User") -> str:
    return signing.TimestampSigner(salt=_VIDEO_SALT).sign(f"{submission.pk}.{viewer.pk}")


def video_url(submission: Submission, viewer: "User", *, poster: bool = False) -> str:
    """Return a link to this take's video that works only for this viewer, for a few hours."""
    return reverse(
        "coaching:roleplay_poster" if poster else "coaching:roleplay_video", args=[video_token(submission, viewer)]
    )


def access_video_by_token(user: "User", token: str) -> Submission:
    """Return the take a signed link points to, if it is fresh, made for this person, and they may still see it."""
    try:
        value = signing.TimestampSigner(salt=_VIDEO_SALT).unsign(token, max_age=VIDEO_URL_SECONDS)
        submission_id, viewer_id = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        raise Http404 from None
    if not getattr(user, "is_authenticated", False) or user.pk != viewer_id:
        raise Http404
    submission = access_submission_for_user(user, submission_id)
    if submission.video is None or not submission.video.is_ready:
        raise Http404
    return submission


# --- calibration


@dataclass(frozen=True)
class CalibrationRow:
    reviewer: "User"
    figures: Any


def _calibration_rows(
    reviewer_ids: set[int] | None = None,
) -> tuple[dict[Any, float], list[tuple[int, int, int, float]]]:
    scores = CriterionScore.objects.filter(
        review__submission__is_reference=True, review__status=Review.Status.SUBMITTED
    ).values_list(
        "review__reviewer_id",
        "review__submission_id",
        "criterion_id",
        "level",
        "criterion__levels",
        "review__reviewer__membership__role",
    )
    coach_rows, other_rows = [], []
    for reviewer_id, submission_id, criterion_id, level, levels, role in scores:
        scaled = level_scaled(level, len(levels))
        if role == Role.COACH:
            coach_rows.append((submission_id, criterion_id, scaled))
        elif reviewer_ids is None or reviewer_id in reviewer_ids:
            other_rows.append((reviewer_id, submission_id, criterion_id, scaled))
    return calibration_reference(coach_scores=coach_rows), other_rows


def calibration_for(*, reviewer_ids: set[int] | None = None) -> dict[int, Any]:
    """Return each (non-coach) reviewer's calibration figures against the coaches' reference scores."""
    reference, rows = _calibration_rows(reviewer_ids)
    return calibration_figures(scores=rows, reference=reference)


def calibration_overview() -> list[CalibrationRow]:
    """Return every compared reviewer with their figures, least agreeing first (for the principal)."""
    figures = calibration_for()
    people = get_user_model().objects.select_related("membership__organization").in_bulk(list(figures))
    rows = [CalibrationRow(reviewer=people[rid], figures=f) for rid, f in figures.items() if rid in people]
    return sorted(rows, key=lambda r: (-(r.figures.deviation or 0), r.reviewer.pk))


def criterion_titles(criterion_ids: Iterable[int]) -> dict[int, str]:
    from .models import Criterion

    return dict(Criterion.objects.filter(pk__in=list(criterion_ids)).values_list("pk", "title"))


def reference_takes_for(user: "User") -> list[Submission]:
    """Return the calibration reference takes this person may score (not coaches: they set the reference)."""
    m = membership_of(user)
    if m is None or m.role not in (Role.MANAGER, Role.REP):
        return []
    return list(
        submissions_visible_to(user)
        .filter(is_reference=True)
        .exclude(rep=user)
        .select_related("roleplay", "video")
        .order_by("-submitted_at")
    )


def reference_takes_all() -> list[Submission]:
    return list(Submission.objects.filter(is_reference=True).select_related("roleplay", "video"))


# --- rep's overview


@dataclass(frozen=True)
class RoleplayCard:
    roleplay: Roleplay
    takes: int
    passed: bool | None
    waiting: bool


def rep_roleplay_cards(rep: "User") -> list[RoleplayCard]:
    """Return the rep's assigned roleplays with how far they got (takes, pass, waiting for reviews)."""
    roleplays = list(roleplays_for_rep(rep))
    takes = Submission.objects.filter(rep=rep, roleplay__in=roleplays).values_list(
        "roleplay_id", "passed", "decided_at"
    )
    by_roleplay: dict[int, list[tuple[bool | None, Any]]] = {}
    for roleplay_id, passed, decided_at in takes:
        by_roleplay.setdefault(roleplay_id, []).append((passed, decided_at))
    cards = []
    for roleplay in roleplays:
        rows = by_roleplay.get(roleplay.pk, [])
        passed = None
        if any(p for p, _d in rows):
            passed = True
        elif any(d is not None for _p, d in rows):
            passed = False
        cards.append(
            RoleplayCard(roleplay=roleplay, takes=len(rows), passed=passed, waiting=any(d is None for _p, d in rows))
        )
    return cards


def review_states(user: "User", review_ids: Collection[int]) -> dict[int, SubjectState]:
    """Return, for the notification list, the reviews this person asked for or received that are no longer
    waiting: a "please review" request shows that it was sent or that its time ran out."""
    from .services.reviews import EXPIRE_AFTER_DAYS

    reviews = Review.objects.filter(pk__in=list(review_ids)).filter(Q(reviewer=user) | Q(submission__rep=user))
    states = {}
    for review in reviews.exclude(status=Review.Status.REQUESTED).only("pk", "status", "submitted_at", "due_at"):
        if review.status == Review.Status.SUBMITTED and review.submitted_at is not None:
            label = _("Now: reviewed on %(date)s") % {
                "date": formats.date_format(review.submitted_at, "SHORT_DATE_FORMAT")
            }
            states[review.pk] = SubjectState(label=label, changed_at=review.submitted_at)
        elif review.status == Review.Status.EXPIRED:
            label = _("Now: no longer needed (the review period ended)")
            states[review.pk] = SubjectState(label=label, changed_at=review.due_at + timedelta(days=EXPIRE_AFTER_DAYS))
    return states


def takes_published_as(*, course_id: int) -> QuerySet[Submission]:
    """The consented takes a coach made this course from (a model roleplay lesson), with their rep and agency."""
    return Submission.objects.filter(exemplary_course_id=course_id, exemplary_consent=True).select_related(
        "rep", "partner", "roleplay"
    )
