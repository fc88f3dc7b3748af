"""Writes of field voice and content feedback: the reps' entries (each one a statement) and the staff's answers.

A rep's submission carries an id made by the form, so a double tap or a retried request records one
entry and one statement. The staff answer a field voice entry or turn it into a draft (a flash update,
a lesson, or a moment of a scenario) through the owning app's services, and handle lesson feedback
with a note of what changed; the rep is notified each time.
"""

import unicodedata
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.ops.errors import ApplicationError
from kizuna.ops.trail import Action, audit_edit
from kizuna.orgs.access import membership_of
from kizuna.records.services import Activity, StatementError, statement_record

from . import vocab
from .models import FieldVoice, LessonFeedback

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.catalog.models import Module, Product, PublishedLesson, Tag
    from kizuna.orgs.models import Organization

MAX_TEXT = 2000
NORMALIZED_LENGTH = 200


class FeedbackError(ApplicationError):
    """A change that cannot be made; the message says, in the user's language, what to fix."""

    code = "validation"


def normalize_text(text: str) -> str:
    """Fold a text for grouping: full/half width and case unified, punctuation, symbols and spaces removed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")[:NORMALIZED_LENGTH]


def _rep_partner(rep: "User") -> "Organization":
    m = membership_of(rep)
    if m is None or not m.is_rep:
        raise FeedbackError(_("Only reps can send this."))
    return m.organization


def _notify(*, recipient: "User", kind: str, title: str, body: str = "", params: dict[str, Any], url: str) -> None:
    from kizuna.notifications.services import notification_send

    notification_send(recipient=recipient, kind=kind, title=title, body=body, params=params, url=url)


# --- Field voice ----------------------------------------------------------------------------


def field_voice_iri(voice: FieldVoice) -> str:
    return f"{settings.SITE_URL}/xapi/activities/field-voice/{voice.key}"


def _check_voice(*, kind: str, text: str, deal_stage: str, industry: str) -> None:
    if kind not in FieldVoice.Kind.values:
        raise FeedbackError(_("Choose what you heard: a question, an objection or a competitor's offer."), field="kind")
    if not text:
        raise FeedbackError(_("Write what the customer said."), field="text")
    if len(text) > MAX_TEXT:
        raise FeedbackError(
            _("Keep it under %(limit)s characters.") % {"limit": MAX_TEXT},
            field="text",
        )
    if deal_stage and deal_stage not in FieldVoice.DealStage.values:
        raise FeedbackError(_("Choose a deal stage from the list."), field="deal_stage")
    if industry and industry not in FieldVoice.Industry.values:
        raise FeedbackError(_("Choose an industry from the list."), field="industry")


@transaction.atomic
def field_voice_record(
    *,
    rep: "User",
    kind: str,
    text: str,
    submission_id: uuid.UUID,
    product: "Product | None" = None,
    tags: Iterable["Tag"] = (),
    deal_stage: str = "",
    industry: str = "",
    timestamp: datetime | None = None,
) -> FieldVoice:
    """Record what a customer asked or objected to, or what a competitor offers; a repeated submission id
    returns the entry already recorded."""
    existing = FieldVoice.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        if existing.rep_id != rep.pk:
            raise FeedbackError(_("This form was already sent. Reload the page and try again."))
        return existing
    partner = _rep_partner(rep)
    text = text.strip()
    _check_voice(kind=kind, text=text, deal_stage=deal_stage, industry=industry)
    topics = [t for t in tags if t.kind == "topic"]
    now = timestamp or timezone.now()
    voice = FieldVoice.objects.create(
        submission_id=submission_id,
        rep=rep,
        partner=partner,
        kind=kind,
        text=text,
        normalized=normalize_text(text),
        product=product,
        deal_stage=deal_stage,
        industry=industry,
        created_at=now,
    )
    voice.tags.set(topics)
    statement_record(
        actor=rep,
        verb=vocab.SHARED,
        activity=Activity(iri=field_voice_iri(voice), type=vocab.TYPE_FIELD_VOICE, name={"ja-JP": text[:100]}),
        result={
            "response": text,
            "extensions": {
                vocab.EXT_VOICE_KIND.iri: kind,
                vocab.EXT_PRODUCT.iri: product.slug if product else None,
                vocab.EXT_DEAL_STAGE.iri: deal_stage or None,
                vocab.EXT_INDUSTRY.iri: industry or None,
                vocab.EXT_TOPICS.iri: [t.slug for t in topics],
            },
        },
        statement_id=submission_id,
        timestamp=now,
    )
    return voice


def _voice_url(voice: FieldVoice) -> str:
    return reverse("feedback:field_voice_detail", args=[voice.pk])


@transaction.atomic
def field_voice_answer(*, voice: FieldVoice, by: "User", answer: str, when: datetime | None = None) -> FieldVoice:
    """Answer a field voice entry (or change the answer); the rep is notified."""
    answer = answer.strip()
    if not answer:
        raise FeedbackError(_("Write the answer."), field="answer")
    if len(answer) > MAX_TEXT:
        raise FeedbackError(_("Keep it under %(limit)s characters.") % {"limit": MAX_TEXT}, field="answer")
    before = {"answer": voice.answer, "status": voice.status}
    voice.answer, voice.answered_by, voice.answered_at = answer, by, when or timezone.now()
    if voice.status == FieldVoice.Status.NEW:
        voice.status = FieldVoice.Status.ANSWERED
    voice.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    audit_edit(
        action=Action.FEEDBACK_ANSWER,
        target=voice,
        edit="field_voice.answer",
        target_label=voice.text[:80],
        before=before,
        after={"answer": voice.answer, "status": voice.status},
        organization_id=voice.partner_id,
        actor=by,
    )
    _notify(
        recipient=voice.rep,
        kind="feedback.field_voice_answered",
        title=gettext_noop("%(name)s answered your field voice"),
        body=gettext_noop("%(answer)s"),
        params={"name": by.name, "answer": answer[:300]},
        url=_voice_url(voice),
    )
    return voice


def _content_title(voice: FieldVoice) -> str:
    label = str(FieldVoice.Kind(voice.kind).label)
    text = " ".join(voice.text.split())
    short = text if len(text) <= 60 else text[:59] + "…"
    return _("%(kind)s: %(text)s") % {"kind": label, "text": short}


def _content_body(voice: FieldVoice) -> str:
    """The entry as Markdown for the new draft: the customer's words quoted, then what is known about them."""
    quoted = "\n".join("> " + line for line in voice.text.splitlines() if line.strip())
    facts = [str(FieldVoice.Kind(voice.kind).label)]
    if voice.product is not None:
        facts.append(voice.product.name)
    if voice.deal_stage:
        facts.append(str(FieldVoice.DealStage(voice.deal_stage).label))
    if voice.industry:
        facts.append(str(FieldVoice.Industry(voice.industry).label))
    body = f"{quoted}\n\n{' · '.join(facts)}"
    if voice.answer:
        body += f"\n\n{voice.answer}"
    return body


_MADE_TITLES = {
    FieldVoice.ContentKind.UPDATE: gettext_noop("Your field voice is becoming a flash update"),
    FieldVoice.ContentKind.LESSON: gettext_noop("Your field voice is becoming a lesson"),
    FieldVoice.ContentKind.SCENARIO: gettext_noop("Your field voice is becoming a scenario"),
}


def _content_made(
    voice: FieldVoice, *, by: "User", kind: str, title: str, url: str, when: datetime | None
) -> FieldVoice:
    voice.status, voice.content_kind, voice.content_title, voice.content_url = (
        FieldVoice.Status.CONTENT,
        kind,
        title[:200],
        url,
    )
    voice.content_by, voice.content_at = by, when or timezone.now()
    voice.save(update_fields=["status", "content_kind", "content_title", "content_url", "content_by", "content_at"])
    _notify(
        recipient=voice.rep,
        kind="feedback.field_voice_used",
        title=_MADE_TITLES[FieldVoice.ContentKind(kind)],
        body=gettext_noop("%(name)s is making content from what you heard. Thank you!"),
        params={"name": by.name},
        url=_voice_url(voice),
    )
    return voice


def _check_not_made(voice: FieldVoice) -> None:
    if voice.content_kind:
        raise FeedbackError(_("This entry was already turned into content."))


@transaction.atomic
def field_voice_to_update(*, voice: FieldVoice, by: "User", when: datetime | None = None) -> FieldVoice:
    """Turn the entry into a flash update draft (for all partners, to be edited and published by its author)."""
    from kizuna.updates.services import UpdateError, update_create

    _check_not_made(voice)
    title = _content_title(voice)
    try:
        update = update_create(
            author=by,
            title=title[:120],
            body=_content_body(voice),
            product=voice.product,
            tags=list(voice.tags.all()),
            when=when,
        )
    except UpdateError as error:
        raise FeedbackError(error.message) from None
    return _content_made(
        voice,
        by=by,
        kind=FieldVoice.ContentKind.UPDATE,
        title=update.title,
        url=reverse("updates:update_edit", args=[update.pk]),
        when=when,
    )


@transaction.atomic
def field_voice_to_lesson(
    *, voice: FieldVoice, by: "User", module: "Module", kind: str = "article", when: datetime | None = None
) -> FieldVoice:
    """Turn the entry into a draft lesson (an article or a micro lesson) at the end of a course module."""
    from kizuna.catalog.services import CatalogError, lesson_create

    _check_not_made(voice)
    if kind not in ("article", "micro"):
        raise FeedbackError(_("Choose an article or a micro lesson."), field="lesson_kind")
    try:
        lesson = lesson_create(
            module=module, kind=kind, title=_content_title(voice)[:200], body=_content_body(voice), estimated_minutes=3
        )
    except CatalogError as error:
        raise FeedbackError(str(error)) from None
    return _content_made(
        voice,
        by=by,
        kind=FieldVoice.ContentKind.LESSON,
        title=f"{module.course.title} › {lesson.title}",
        url=reverse("catalog:studio_lesson_edit", args=[lesson.pk]),
        when=when,
    )


@transaction.atomic
def field_voice_to_scenario(
    *, voice: FieldVoice, by: "User", scenario: Any, when: datetime | None = None
) -> FieldVoice:
    """Add the customer's words as a new moment of a scenario's draft; the author then wires its choices."""
    from kizuna.scenarios.errors import ScenarioError
    from kizuna.scenarios.services import node_create

    _check_not_made(voice)
    try:
        node = node_create(scenario=scenario, speaker=_("Customer"), text=voice.text)
    except ScenarioError as error:
        raise FeedbackError(str(error)) from None
    return _content_made(
        voice,
        by=by,
        kind=FieldVoice.ContentKind.SCENARIO,
        title=f"{scenario.title} › {node.key}",
        url=reverse("scenarios:studio_scenario_node", args=[node.pk]),
        when=when,
    )


# --- Content feedback -----------------------------------------------------------------------


def content_feedback_activity(lesson: "PublishedLesson") -> Activity:
    """The lesson version's feedback activity: one per published lesson, under the lesson and its course."""
    from kizuna.catalog.selectors import lesson_activity_data

    data = lesson_activity_data(lesson)
    return Activity(
        iri=f"{settings.SITE_URL}/xapi/activities/content-feedback/{lesson.key}/v{lesson.version.number}",
        type=vocab.TYPE_CONTENT_FEEDBACK,
        name=data["name"],
        # The lesson is the parent, not the object: feedback does not move the rep's progress in it.
        course_version_id=data["course_version_id"],
        parents=[data["iri"], *data["parents"]],
    )


@transaction.atomic
def lesson_feedback_submit(
    *,
    rep: "User",
    lesson: "PublishedLesson",
    worked: bool,
    comment: str,
    submission_id: uuid.UUID,
    timestamp: datetime | None = None,
) -> LessonFeedback:
    """Say whether a lesson worked with customers; one feedback per rep per lesson version, which they may edit.

    Editing handled feedback opens it again for the author. A repeated submission id changes nothing.
    """
    partner = _rep_partner(rep)
    comment = comment.strip()
    if len(comment) > MAX_TEXT:
        raise FeedbackError(_("Keep it under %(limit)s characters.") % {"limit": MAX_TEXT}, field="comment")
    now = timestamp or timezone.now()
    try:
        _statement, created = statement_record(
            actor=rep,
            verb=vocab.COMMENTED,
            activity=content_feedback_activity(lesson),
            result={"success": worked, "response": comment},
            statement_id=submission_id,
            timestamp=now,
        )
    except StatementError:
        raise FeedbackError(_("This form was already sent. Reload the page and try again.")) from None
    feedback = LessonFeedback.objects.select_for_update().filter(rep=rep, lesson=lesson).first()
    if not created and feedback is not None:
        return feedback  # the same submission again
    if feedback is None:
        return LessonFeedback.objects.create(
            rep=rep,
            partner=partner,
            lesson=lesson,
            lesson_key=lesson.key,
            course_id=lesson.version.course_id,
            worked=worked,
            comment=comment,
            created_at=now,
            updated_at=now,
        )
    if (feedback.worked, feedback.comment) != (worked, comment):
        feedback.worked, feedback.comment, feedback.updated_at = worked, comment, now
        feedback.status = LessonFeedback.Status.OPEN
        feedback.save(update_fields=["worked", "comment", "updated_at", "status"])
    return feedback


@transaction.atomic
def lesson_feedback_handle(
    *, feedback: LessonFeedback, by: "User", note: str, when: datetime | None = None
) -> LessonFeedback:
    """Mark feedback handled with a note of what changed; the rep sees the note on the lesson and is notified."""
    note = note.strip()
    if not note:
        raise FeedbackError(_("Write what changed (or why nothing changed)."), field="note")
    if len(note) > MAX_TEXT:
        raise FeedbackError(_("Keep it under %(limit)s characters.") % {"limit": MAX_TEXT}, field="note")
    before = {"status": feedback.status, "note": feedback.handled_note}
    feedback.status, feedback.handled_note = LessonFeedback.Status.HANDLED, note
    feedback.handled_by, feedback.handled_at = by, when or timezone.now()
    feedback.save(update_fields=["status", "handled_note", "handled_by", "handled_at"])
    audit_edit(
        action=Action.FEEDBACK_ANSWER,
        target=feedback,
        edit="lesson_feedback.handle",
        target_label=feedback.lesson.title,
        before=before,
        after={"status": feedback.status, "note": note},
        organization_id=feedback.partner_id,
        actor=by,
    )
    _notify(
        recipient=feedback.rep,
        kind="feedback.lesson_feedback_handled",
        title=gettext_noop("Your feedback on “%(lesson)s” was handled"),
        body=gettext_noop("What changed: %(note)s"),
        params={"lesson": feedback.lesson.title, "note": note[:300]},
        url=reverse("learning:lesson", args=[feedback.lesson_id]) + "#feedback",
    )
    return feedback
