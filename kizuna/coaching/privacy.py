"""Coaching's part of a person's data: roleplay targets, takes (with their videos), reviews and comments.

Export: every take's metadata; the take's MP4 itself while the export's files together stay under
privacy.exports.MAX_FILE_BYTES, otherwise the take's page address and the video's metadata instead (the rep can
still watch and save it there), so one export never grows without bound.
Erasure: the take videos are deleted (except one published as an example lesson with the rep's consent,
which a coach must unpublish first), notes, feedback, reasons and comments the person wrote are emptied;
scores and results stay for the figures.
"""

import contextlib
from collections.abc import Iterator
from functools import partial
from typing import Any

from django.db.models import Q
from django.urls import reverse

from kizuna.accounts.personal_data import STAFF_ACTION, Contribution, Erasure, Excluded, ExportFile, Part, register
from kizuna.ops.storage import stored_open, stored_size

from . import vocab
from .models import Comment, CriterionScore, Review, Roleplay, RoleplayResult, RoleplayTarget, Submission, Upload


def _files(user: Any) -> Iterator[ExportFile]:
    takes = Submission.objects.filter(rep=user, video__isnull=False).select_related("video", "roleplay")
    for take in takes.order_by("submitted_at", "pk"):
        video = take.video
        size = stored_size(video.mp4.name)
        if size is None:
            continue
        yield ExportFile(
            archive_name=f"roleplay/take-{take.pk}.mp4",
            open=partial(stored_open, video.mp4.name),
            size=size,
            metadata={
                "take": take.pk,
                "roleplay": take.roleplay.title,
                "submitted_at": take.submitted_at.isoformat(),
                "duration_seconds": video.duration_seconds,
                "page": reverse("coaching:roleplay_take", args=[take.pk]),
            },
        )


def _erase(user: Any) -> None:
    from kizuna.media.services import MediaError, video_delete

    for take in Submission.objects.filter(rep=user, video__isnull=False).select_related("video"):
        # A take published as an example (with consent) is refused: kept until a coach unpublishes it.
        with contextlib.suppress(MediaError):
            video_delete(video=take.video)
    Submission.objects.filter(rep=user).update(note="")
    Review.objects.filter(reviewer=user).update(feedback="")
    CriterionScore.objects.filter(review__reviewer=user).update(reason="")
    Comment.objects.filter(author=user).update(body="")
    for upload in Upload.objects.filter(owner=user):
        from .services import upload_discard

        upload_discard(upload=upload)


def _free_text_statements() -> Q:
    return Q(object_type=vocab.TYPE_SUBMISSION.iri)


register(
    Contribution(
        app="coaching",
        parts=(
            Part("roleplay_assignments", RoleplayTarget, "rep", Erasure.KEEP, omit=("assigned_by",)),
            Part("roleplay_uploads", Upload, "owner", Erasure.DELETE),
            Part("roleplay_takes", Submission, "rep", Erasure.SCRUB),
            Part("roleplay_reviews_of_my_takes", Review, "submission__rep", Erasure.KEEP, omit=("reviewer",)),
            Part("roleplay_reviews_given", Review, "reviewer", Erasure.SCRUB),
            Part("roleplay_review_reasons", CriterionScore, "review__reviewer", Erasure.SCRUB),
            Part("roleplay_comments", Comment, "author", Erasure.SCRUB),
            Part("roleplay_results", RoleplayResult, "rep", Erasure.KEEP),
        ),
        excluded=(
            Excluded(Roleplay, "created_by", STAFF_ACTION),
            Excluded(RoleplayTarget, "assigned_by", STAFF_ACTION),
        ),
        files=_files,
        erase=_erase,
        free_text_statements=_free_text_statements,
    )
)
