"""Writes of reviews: asking the reviewers, their rubric scores, the decision on a take, comments, reminders."""

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.ops.trail import Action, audit_record
from kizuna.orgs.access import Role, membership_of
from kizuna.orgs.selectors import active_rep_memberships
from kizuna.orgs.sharing import Area, names_for, partners_sharing
from kizuna.records import vocab as records_vocab
from kizuna.records.services import statement_record

from .. import vocab
from ..errors import CoachingError
from ..models import Comment, CriterionScore, Review, Roleplay, Submission
from ..scoring import CriterionSpec, Peer, combined_score, passes, peers_choose, rubric_score
from ..selectors import calibration_for, display_name
from .statements import roleplay_activity, submission_activity
from .uploads import uploads_expire

# A peer review this many days past its due date is given up, so the rep is not kept waiting for ever.
EXPIRE_AFTER_DAYS = 3
# The longest time-coded comment on a take, in characters (the message below says it).
COMMENT_MAX_CHARS = 4000


REVIEW_SUBJECT = "coaching.review"


def _notify(
    *,
    recipient: Any,
    kind: str,
    title: str,
    body: str = "",
    params: dict[str, Any],
    url: str,
    dedupe: str,
    review: Review,
    at: datetime,
) -> None:
    from kizuna.notifications.services import notification_send

    notification_send(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        params=params,
        url=url,
        dedupe_key=dedupe,
        # About the review, dated when it happened: a request later answered or expired says so in the list.
        subject=(REVIEW_SUBJECT, review.pk),
        at=at,
    )


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
    rows = active_rep_memberships().filter(q).values_list("user_id", "organization_id", "team_id").distinct()
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
    url = reverse("coaching:roleplay_take", args=[submission.pk])
    for review in reviews:
        _notify(
            recipient=review.reviewer,
            kind="coaching.review_requested",
            title=gettext_noop("Please review a roleplay: %(roleplay)s"),
            body=gettext_noop("Watch the take and score it by %(due)s."),
            params={"roleplay": roleplay.title, "due": timezone.localdate(due).isoformat()},
            url=url,
            dedupe=f"coaching:requested:{review.pk}",
            review=review,
            at=when,
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
    if review.role in (Review.Role.COACH, Review.Role.MANAGER):
        # A coach's or a manager's judgement of a rep is theirs to answer for; peers' and calibration ones are not.
        audit_record(
            action=Action.REVIEW_SUBMIT,
            actor=review.reviewer,
            target=review,
            target_label=f"{submission.roleplay.title} › {submission.rep.email}",
            organization_id=submission.partner_id,
            before={"status": Review.Status.REQUESTED},
            after={
                "status": review.status,
                "role": review.role,
                "rep": submission.rep.email,
                "take": submission.take,
                "score": score,
                "levels": {c.title: levels[c.pk] for c in criteria},
                "feedback": review.feedback,
            },
        )
    statement_record(
        actor=review.reviewer,
        verb=vocab.REVIEWED,
        activity=submission_activity(submission),
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
        namer = names_for(submission.rep, Area.REVIEWS)
        _notify(
            recipient=submission.rep,
            kind="coaching.review_received",
            title=gettext_noop("%(reviewer)s reviewed your roleplay"),
            body=gettext_noop("Open it to see the scores and the comments on your take of “%(roleplay)s”."),
            params={"reviewer": display_name(namer, review.reviewer), "roleplay": submission.roleplay.title},
            url=reverse("coaching:roleplay_take", args=[submission.pk]),
            dedupe=f"coaching:received:{review.pk}",
            review=review,
            at=when,
        )
        submission_decide(submission=submission, when=when)
    return review


def reviewer_weights(reviewer_ids: Iterable[int]) -> dict[int, float]:
    """Return the calibration weight of each reviewer (1 for coaches and for those not yet compared)."""
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
        activity=roleplay_activity(roleplay),
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
    if len(body) > COMMENT_MAX_CHARS:
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
    m = membership_of(author)
    if m is not None and not m.is_rep:
        # A coach's or a manager's comment on a rep's take is staff's to answer for; a rep's own or a peer's is not.
        audit_record(
            action=Action.TAKE_COMMENT,
            actor=author,
            target=comment,
            target_label=f"{submission.roleplay.title} › {submission.rep.email}",
            organization_id=submission.partner_id,
            after={"body": body, "at_second": at_second, "reply_to": parent.pk if parent else None},
        )
    statement_record(
        actor=author,
        verb=vocab.COMMENTED,
        activity=submission_activity(submission),
        result={"response": body, "extensions": {vocab.EXT_VIDEO_TIME: at_second}},
    )
    return comment


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
            url=reverse("coaching:roleplay_take", args=[review.submission_id]),
            dedupe_key=f"overdue:review:{review.pk}",
            subject=(REVIEW_SUBJECT, review.pk),
        )
        sent += done is not None
    return {"reminded": sent, "expired": expired, "uploads_expired": uploads_expire(now=now)}
