"""Writes of success stories: nominating, the rep's consent and interview (text and an optional recording through
the resumable upload), the author's one-action draft lesson, and publishing it with the rep's credit."""

import subprocess
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.catalog.selectors import story_tags
from kizuna.catalog.services import CatalogError, course_create, course_publish, lesson_create, module_create
from kizuna.coaching.errors import CoachingError
from kizuna.coaching.selectors import takes_published_as
from kizuna.coaching.services import upload_discard, upload_file_ready
from kizuna.media.services import MediaError, video_create, voice_as_video
from kizuna.notifications.services import notification_send
from kizuna.ops.errors import ApplicationError
from kizuna.ops.trail import Action, audit_record
from kizuna.orgs.access import Role, membership_of, visible_reps
from kizuna.orgs.selectors import partner_managers, principal_staff_with_roles
from kizuna.orgs.sharing import credit_name
from kizuna.records.services import Activity, statement_record

from . import vocab
from .models import SuccessStory

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.catalog.models import Course

HEADLINE_MAX = 200
NOTE_MAX = 500
ANSWER_MAX = 2000
PARTNER_SUCCESS = "partner_success"


class StoryError(ApplicationError):
    pass


def _story_url(story: SuccessStory) -> str:
    return reverse("stories:story", args=[story.pk])


def _stored_text(value: str, *, limit: int, field: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise StoryError(_("Keep it under %(max)s characters.") % {"max": limit}, field=field)
    return value


def story_nominate(
    *,
    by: "User",
    rep: "User",
    headline: str,
    source: str = SuccessStory.Source.MANUAL,
    source_note: str = "",
    now: datetime | None = None,
) -> SuccessStory:
    """Nominate a rep's success; the rep is asked for consent and an interview."""
    now = now or timezone.now()
    m = membership_of(by)
    if m is None or m.role not in (Role.ADMIN, Role.COACH, Role.MANAGER):
        raise StoryError(_("Only managers and coaches nominate success stories."))
    if not visible_reps(by).filter(pk=rep.pk).exists():
        raise StoryError(_("Choose one of your reps."), field="rep")
    if source not in SuccessStory.Source.values:
        raise StoryError(_("Choose where you saw the success."), field="source")
    headline = _stored_text(headline, limit=HEADLINE_MAX, field="headline")
    if not headline:
        raise StoryError(_("Say in one line what went well."), field="headline")
    with transaction.atomic():
        story = SuccessStory.objects.create(
            rep=rep,
            partner_id=rep.membership.organization_id,
            nominated_by=by,
            source=source,
            source_note=_stored_text(source_note, limit=NOTE_MAX, field="source_note"),
            headline=headline,
            nominated_at=now,
        )
        # Nominating asks the rep for consent and an interview: a manager's or coach's request about the agency's rep.
        audit_record(
            action=Action.STORY_NOMINATE,
            actor=by,
            target=story,
            target_label=headline,
            organization_id=story.partner_id,
            after={
                "rep": rep.email,
                "headline": headline,
                "source": source,
                "source_note": story.source_note,
                "status": story.status,
            },
        )
        notification_send(
            recipient=rep,
            kind="stories.nominated",
            title=gettext_noop("Your success “%(headline)s” was nominated as a story"),
            body=gettext_noop("%(name)s would like other reps to learn from it. Open it to say yes or no."),
            params={"headline": headline, "name": by.name},
            url=_story_url(story),
            at=now,
        )
    return story


def story_consent(
    *, story: SuccessStory, rep: "User", consent: bool, credit: str = "", now: datetime | None = None
) -> SuccessStory:
    """The rep says yes (and how they are credited) or no; a story already made into a lesson is not undone."""
    if story.rep_id != rep.pk:
        raise StoryError(_("Only the rep the story is about can answer."))
    if story.status not in (SuccessStory.Status.NOMINATED, SuccessStory.Status.CONSENTED, SuccessStory.Status.DECLINED):
        raise StoryError(_("This story is already being made into a lesson."))
    if consent and credit not in SuccessStory.Credit.values:
        raise StoryError(_("Choose how you are named in the lesson."), field="credit")
    story.status = SuccessStory.Status.CONSENTED if consent else SuccessStory.Status.DECLINED
    story.credit = credit if consent else ""
    story.answered_at = now or timezone.now()
    story.save(update_fields=["status", "credit", "answered_at"])
    return story


def story_interview_save(
    *,
    story: SuccessStory,
    rep: "User",
    situation: str,
    tried: str,
    worked: str,
    advice: str,
    transcript: str = "",
    now: datetime | None = None,
) -> SuccessStory:
    """Store the rep's answers (and the transcript of their recording); with a recording they may stay empty."""
    now = now or timezone.now()
    if story.rep_id != rep.pk:
        raise StoryError(_("Only the rep the story is about can answer."))
    if story.status not in (SuccessStory.Status.CONSENTED, SuccessStory.Status.INTERVIEWED):
        raise StoryError(_("Say yes to sharing the story first."))
    answers = {
        name: _stored_text(value, limit=ANSWER_MAX, field=name)
        for name, value in (
            ("situation", situation),
            ("tried", tried),
            ("worked", worked),
            ("advice", advice),
            ("transcript", transcript),
        )
    }
    if story.video_id is None and not (answers["situation"] and answers["worked"]):
        raise StoryError(_("Write at least what the situation was and what worked, or record your answers."))
    first_time = story.status == SuccessStory.Status.CONSENTED
    with transaction.atomic():
        for name, value in answers.items():
            setattr(story, name, value)
        story.status, story.interviewed_at = SuccessStory.Status.INTERVIEWED, now
        story.save(update_fields=[*answers, "status", "interviewed_at"])
        if first_time:
            _notify_authors(story, now)
    return story


def _notify_authors(story: SuccessStory, now: datetime) -> None:
    authors = list(principal_staff_with_roles(Role.AUTHOR)) or list(principal_staff_with_roles(Role.ADMIN))
    for author in authors:
        notification_send(
            recipient=author,
            kind="stories.interviewed",
            title=gettext_noop("A success story is ready to become a lesson: “%(headline)s”"),
            body=gettext_noop("%(agency)s's rep answered the interview."),
            params={"headline": story.headline, "agency": story.partner.name},
            url=_story_url(story),
            dedupe_key=f"stories.interviewed:{story.pk}",
            at=now,
        )


def story_recording_attach(*, story: SuccessStory, rep: "User", upload: Any) -> SuccessStory:
    """Turn the rep's finished resumable upload (a video of their answers) into the story's private video."""
    if story.rep_id != rep.pk or upload.owner_id != rep.pk:
        raise StoryError(_("Only the rep the story is about can answer."))
    if story.status not in (SuccessStory.Status.CONSENTED, SuccessStory.Status.INTERVIEWED):
        raise StoryError(_("Say yes to sharing the story first."))
    try:
        with upload_file_ready(upload=upload) as path:
            # A voice-only recording gets a still picture (real ffmpeg), so it plays as every lesson video does.
            voice = path.with_name("voice.mp4")
            voice_only = voice_as_video(source=path, target=voice)
            with (voice if voice_only else path).open("rb") as handle:
                video = video_create(uploaded_by=rep, file=File(handle, name="interview"), title=story.headline)
    except (CoachingError, MediaError) as error:
        upload_discard(upload=upload)
        raise StoryError(error.message) from None
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        upload_discard(upload=upload)
        raise StoryError(_("The recording could not be read. Record your answers again.")) from None
    upload_discard(upload=upload)
    story.video, story.voice_only = video, voice_only
    story.save(update_fields=["video", "voice_only"])
    return story


def credit_line(story: SuccessStory) -> str:
    """How the lesson names the rep: by name only if they agreed and the principal names people across agencies."""
    return credit_name(name=story.rep.name, agency=story.partner.name, by_name=story.credit == SuccessStory.Credit.NAME)


def _lesson_body(story: SuccessStory, credit: str) -> str:
    parts = [_("A success story from %(credit)s.") % {"credit": credit}]
    questions = (
        (_("What was the situation?"), story.situation),
        (_("What did they try?"), story.tried),
        (_("What worked?"), story.worked),
        (_("What would they tell a colleague?"), story.advice),
    )
    for question, answer in questions:
        if answer:
            parts.append(f"## {question}\n\n{answer}")
    if story.transcript:
        parts.append(f"## {_('What they said in the recording')}\n\n{story.transcript}")
    return "\n\n".join(parts)


def story_draft(*, story: SuccessStory, author: "User", now: datetime | None = None) -> "Course":
    """Make a draft course with one lesson pre-filled from the interview, tagged "partner success"."""
    now = now or timezone.now()
    if story.status == SuccessStory.Status.DRAFTED and story.course_id is not None:
        return story.course  # type: ignore[return-value]
    if story.status != SuccessStory.Status.INTERVIEWED:
        raise StoryError(_("The rep has not answered the interview yet."))
    credit = credit_line(story)
    with transaction.atomic():
        course = course_create(
            author=author,
            title=story.headline,
            slug=f"success-{story.key.hex[:12]}",
            summary=_("A success story from %(credit)s.") % {"credit": credit},
            tags=list(story_tags().filter(slug=PARTNER_SUCCESS)),
        )
        module = module_create(course=course, title=_("Success story"))
        lesson_create(
            module=module,
            kind="video" if story.video_id else "article",
            title=story.headline,
            body=_lesson_body(story, credit),
            video=story.video,
        )
        story.course, story.drafted_by, story.drafted_at = course, author, now
        story.status, story.credited_as = SuccessStory.Status.DRAFTED, credit
        story.save(update_fields=["course", "drafted_by", "drafted_at", "status", "credited_as"])
    return course


def story_publish(*, story: SuccessStory, publisher: "User", now: datetime | None = None) -> SuccessStory:
    """Publish the story's lesson; publishing its course credits the rep (story_credit), from here or the studio."""
    now = now or timezone.now()
    if story.status == SuccessStory.Status.PUBLISHED:
        return story
    if story.status != SuccessStory.Status.DRAFTED or story.course is None:
        raise StoryError(_("Make the lesson from the interview first."))
    try:
        course_publish(course=story.course, publisher=publisher, when=now)
    except CatalogError as error:
        raise StoryError(error.message) from None
    story.refresh_from_db()
    return story


def story_credit(*, story: SuccessStory, now: datetime) -> SuccessStory:
    """Credit the rep for their published story: mark it published, record the statement gamification rewards
    (a badge and points through the existing rules) and tell the rep and their manager. Once per story."""
    with transaction.atomic():
        credited = SuccessStory.objects.filter(pk=story.pk, status=SuccessStory.Status.DRAFTED).update(
            status=SuccessStory.Status.PUBLISHED, published_at=now
        )
        if not credited:
            return story
        story.status, story.published_at = SuccessStory.Status.PUBLISHED, now
        statement_record(
            actor=story.rep,
            verb=vocab.RECEIVED,
            activity=Activity(
                iri=vocab.story_iri(story.key),
                type=vocab.TYPE_SUCCESS_STORY,
                name={"ja-JP": story.headline},
            ),
            statement_id=uuid.uuid5(uuid.NAMESPACE_URL, vocab.story_iri(story.key) + "#published"),
            timestamp=now,
        )
        _notify_published(story, now)
    return story


def stories_credit_on_publish(course: Any, version: Any, publisher: Any, when: datetime) -> None:
    """The catalog's hook: a story's course published from anywhere (the studio too) credits its rep, and so does a
    model roleplay take a coach published as a lesson (it becomes the rep's success story, credited the same way)."""
    for take in takes_published_as(course_id=course.pk):
        _story_of_take(take, course=course, publisher=publisher, now=when)
    for story in SuccessStory.objects.filter(course_id=course.pk, status=SuccessStory.Status.DRAFTED).select_related(
        "rep", "partner"
    ):
        story_credit(story=story, now=when)


def _story_of_take(take: Any, *, course: Any, publisher: Any, now: datetime) -> SuccessStory:
    """The success story a published model take is: drafted as its course, so story_credit credits it once.

    The rep agreed to the take being shown (consent is checked before it is published), so the credit is by name
    as far as the sharing setting allows, like a story whose rep chose "my name and agency".
    """
    story = SuccessStory.objects.filter(course_id=course.pk, rep_id=take.rep_id).first()
    if story is not None:
        return story
    story = SuccessStory(
        rep=take.rep,
        partner=take.partner,
        nominated_by=publisher,
        source=SuccessStory.Source.ROLEPLAY_TAKE,
        source_note=take.roleplay.title[:NOTE_MAX],
        headline=course.title[:HEADLINE_MAX],
        status=SuccessStory.Status.DRAFTED,
        nominated_at=now,
        answered_at=now,
        credit=SuccessStory.Credit.NAME,
        course=course,
        drafted_by=publisher,
        drafted_at=now,
    )
    story.credited_as = credit_line(story)
    story.save()
    return story


def _notify_published(story: SuccessStory, now: datetime) -> None:
    params = {"headline": story.headline, "name": story.rep.name, "credit": story.credited_as}
    notification_send(
        recipient=story.rep,
        kind="stories.published",
        title=gettext_noop("Your success story “%(headline)s” is now a lesson"),
        body=gettext_noop("Reps learn from it now. It is credited to %(credit)s."),
        params=params,
        url=_story_url(story),
        at=now,
    )
    for manager in partner_managers(partner_id=story.partner_id):
        notification_send(
            recipient=manager,
            kind="stories.published",
            title=gettext_noop("%(name)s's success story “%(headline)s” is now a lesson"),
            body=gettext_noop("Reps learn from it now. It is credited to %(credit)s."),
            params=params,
            url=_story_url(story),
            at=now,
        )
