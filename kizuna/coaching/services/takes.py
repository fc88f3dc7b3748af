"""Writes of takes: handing one in, the rep's consent, calibration references, deletion, publishing as an example."""

import uuid
from datetime import datetime
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.ops.storage import stored_delete_folder
from kizuna.ops.trail import Action, audit_record
from kizuna.orgs.sharing import credit_name
from kizuna.records.services import statement_record

from .. import vocab
from ..errors import CoachingError
from ..models import Roleplay, Submission, Upload
from ..selectors import roleplays_for_rep
from .reviews import reviews_request
from .statements import submission_activity
from .uploads import upload_discard, upload_file_ready, upload_folder, upload_max_bytes, upload_too_large


def upload_finish(*, upload: Upload, note: str = "", consent: bool = False) -> Submission:
    """Turn a complete upload into a take: checked by content, stored, transcoded; the upload's parts are removed.

    Finishing twice returns the same take (the client's statement id identifies it).
    """
    done = Submission.objects.filter(statement_id=upload.statement_id, rep=upload.owner).first()
    if done is not None:
        return done
    roleplay = upload.roleplay
    if roleplay is None:  # another app's upload (a success story's interview), finished there
        raise CoachingError(_("The upload could not start. Reload the page and try again."))
    if upload.received != upload.size:  # the rep's page goes on sending: nothing is discarded
        raise CoachingError(_("The upload is not complete yet. Keep this page open until it finishes."))
    try:
        with upload_file_ready(upload=upload) as path, path.open("rb") as handle:
            submission = submission_create(
                rep=upload.owner,
                roleplay=roleplay,
                file=File(handle, name="take"),
                statement_id=upload.statement_id,
                note=note,
                consent=consent,
            )
    except CoachingError:
        upload_discard(upload=upload)
        raise
    folder = upload_folder(upload)
    Upload.objects.filter(pk=upload.pk).delete()
    transaction.on_commit(lambda: stored_delete_folder(folder))
    return submission


def _rep_can_take(rep: Any, roleplay: Roleplay) -> bool:
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
    if file.size is not None and file.size > upload_max_bytes():
        raise upload_too_large()
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
        activity=submission_activity(submission),
        extensions={vocab.EXT_TAKE.iri: take},
        statement_id=statement_id,
        timestamp=when,
    )
    reviews_request(submission=submission, when=when)
    return submission


def submission_consent_set(*, submission: Submission, consent: bool) -> Submission:
    """Record whether the rep agrees that this take may be shown to others as an example."""
    if not consent and submission.exemplary_lesson_id:
        raise CoachingError(_("This take is already published as a lesson. Ask a coach to remove it first."))
    submission.exemplary_consent = consent
    if not consent:
        submission.is_reference = False
    submission.save(update_fields=["exemplary_consent", "is_reference"])
    return submission


def submission_reference_set(*, submission: Submission, reference: bool, by: Any = None) -> Submission:
    """Make a take a calibration reference (the rep must have agreed to it being shown), or stop it being one."""
    if reference and not submission.exemplary_consent:
        raise CoachingError(_("The rep has not agreed to this take being shown to others."))
    before = submission.is_reference
    with transaction.atomic():
        submission.is_reference = reference
        submission.save(update_fields=["is_reference"])
        if before != reference:
            audit_record(
                action=Action.TAKE_REFERENCE,
                target=submission,
                target_label=f"{submission.roleplay.title} › {submission.rep.email}",
                organization_id=submission.partner_id,
                before={"is_reference": before},
                after={"is_reference": reference},
                actor=by,
            )
    return submission


def submission_delete(*, submission: Submission, by: Any = None) -> None:
    """Delete a take with its reviews, comments and video files; staff deleting a rep's take goes on the trail."""
    from kizuna.media.services import MediaError, video_delete

    if submission.exemplary_lesson_id:
        raise CoachingError(_("This take is published as a lesson. Remove it from the lesson first."))
    video = submission.video
    with transaction.atomic():
        if by is not None and by.pk != submission.rep_id:
            audit_record(
                action=Action.TAKE_DELETE,
                target=submission,
                target_label=f"{submission.roleplay.title} › {submission.rep.email}",
                organization_id=submission.partner_id,
                before={
                    "rep": submission.rep.email,
                    "roleplay": submission.roleplay.title,
                    "take": submission.take,
                    "score": submission.score,
                },
                actor=by,
            )
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
    # Credited like a success story (the rep agreed to be shown; the sharing setting decides whether by name).
    credit = credit_name(name=submission.rep.name, agency=submission.partner.name, by_name=True)
    credited = _("A model take by %(credit)s.") % {"credit": credit}
    lines = [credited, ""]
    lines += ["## " + _("Situation"), "", roleplay.situation, "", "## " + _("Comments"), ""]
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
            summary=f"{credited} {roleplay.goal}".strip(),
            tags=[t for slug, t in catalog.story_tags_ensure().items() if slug == "partner_success"],
        )
        module = catalog.module_create(course=course, title=roleplay.title[:200])
        catalog.lesson_create(module=module, kind="video", title=title[:200], body="\n".join(lines), video=video)
        # Before publishing: the catalog's publish hooks see whose take the course is (stories credits the rep).
        submission.exemplary_course = course
        submission.save(update_fields=["exemplary_course"])
        version = catalog.course_publish(course=course, publisher=coach, when=when)
    except catalog.CatalogError as error:
        raise CoachingError(str(error)) from None
    lesson_id = version.lessons.values_list("pk", flat=True).first()
    submission.exemplary_lesson_id = lesson_id
    submission.save(update_fields=["exemplary_lesson_id"])
    # A rep's own video shown to everyone: on their agency's trail too (the course itself is the principal's).
    audit_record(
        action=Action.CONTENT_PUBLISH,
        actor=coach,
        target=submission,
        target_label=f"{roleplay.title} › {submission.rep.email}",
        organization_id=submission.partner_id,
        after={"kind": "exemplary_take", "rep": submission.rep.email, "take": submission.take, "lesson": lesson_id},
    )
    assert lesson_id is not None  # the course was just published with its one lesson
    return int(lesson_id)
