"""Writes of flash updates: drafting and publishing them, the reps' reading, answering and acknowledging, and mail.

Every rep event is a statement (records.services.statement_record) with an id derived
from the update and the rep, so a double tap, a retry or two tabs never count twice;
the receipts projection (projections.py) turns those statements into read state.
"""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.catalog.markdown import render_markdown
from kizuna.catalog.text_checks import unexplained_terms_problems
from kizuna.media.photos import PhotoError, photo_clean, photo_remove, photo_write
from kizuna.media.services import MediaError, video_create
from kizuna.notifications.push_services import push_send
from kizuna.ops.errors import ApplicationError, problems_text
from kizuna.ops.trail import Action, audit_edit, audit_record
from kizuna.records import vocab as records_vocab
from kizuna.records.services import Activity, statement_record

from . import selectors, vocab
from .models import CheckQuestion, FlashUpdate, MailSent, Receipt, Recipient

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.catalog.models import Product, Tag
    from kizuna.orgs.models import Organization, Team

logger = logging.getLogger(__name__)

# Statement ids are derived from (event, update key, rep): the same event always has the same id.
STATEMENT_NAMESPACE = uuid.UUID("6f1c7f4e-3b0a-4f55-9d1e-6b0f7a0c2d11")
MIN_OPTIONS, MAX_OPTIONS = 2, 4


class UpdateError(ApplicationError):
    """A flash update change that cannot be made; the message says, in the user's language, what to fix."""


@dataclass(frozen=True)
class QuestionData:
    text: str
    options: list[str]
    correct: int  # 1-based position of the correct option
    explanation: str = ""


def update_iri(update: FlashUpdate) -> str:
    return f"{settings.SITE_URL}/xapi/activities/flash-update/{update.key}"


def _statement_id(event: str, update: FlashUpdate, rep: "User") -> uuid.UUID:
    return uuid.uuid5(STATEMENT_NAMESPACE, f"{event}:{update.key}:{rep.public_id}")


# --- Drafting and publishing ----------------------------------------------------------------


def _check_question(question: QuestionData | None) -> None:
    if question is None:
        return
    options = [o.strip() for o in question.options]
    if not question.text.strip():
        raise UpdateError(_("Write the question."), field="question_text")
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS or not all(options):
        raise UpdateError(_("Give the question 2 to 4 options."), field="question_options")
    if len(set(options)) != len(options):
        raise UpdateError(_("Two options are the same. Make every option different."), field="question_options")
    if not 1 <= question.correct <= len(options):
        raise UpdateError(_("Choose which option is correct."), field="question_correct")


def _check_audience(audience: str, partners: list["Organization"], teams: list["Team"]) -> None:
    if audience not in FlashUpdate.Audience.values:
        raise UpdateError(_("Choose who the update is for."), field="audience")
    if audience == FlashUpdate.Audience.SELECTED and not partners and not teams:
        raise UpdateError(_("Choose at least one partner or team."), field="partners")
    if any(p.kind != "partner" for p in partners):
        raise UpdateError(_("Choose partners only."), field="partners")


def _store_photo(photo: File | None) -> tuple[str, int | None, int | None]:
    if photo is None:
        return "", None, None
    clean = photo_clean(photo)
    return photo_write(clean), clean.width, clean.height


def _store_video(video_file: File | None, *, uploaded_by: "User", title: str) -> Any:
    if video_file is None:
        return None
    return video_create(uploaded_by=uploaded_by, file=video_file, title=_("Flash update: %(title)s") % {"title": title})


def _save_question(update: FlashUpdate, question: QuestionData | None) -> None:
    CheckQuestion.objects.filter(update=update).delete()
    if question is not None:
        CheckQuestion.objects.create(
            update=update,
            text=question.text.strip(),
            options=[o.strip() for o in question.options],
            correct=question.correct,
            explanation=question.explanation.strip(),
        )


def _state(update: FlashUpdate) -> dict[str, Any]:
    """What the trail keeps of an update: its words, audience and question by value, its files by name."""
    question = CheckQuestion.objects.filter(update=update).first()
    return {
        "title": update.title,
        "body": update.body,
        "product": update.product.name if update.product else None,
        "tags": sorted(t.name for t in update.tags.all()),
        "audience": update.audience,
        "partners": sorted(p.name for p in update.partners.all()),
        "teams": sorted(t.name for t in update.teams.all()),
        "ack_due_at": update.ack_due_at.isoformat() if update.ack_due_at else None,
        "photo": update.photo or None,
        "video": update.video_id,
        "question": (
            {"text": question.text, "options": question.options, "correct": question.correct} if question else None
        ),
    }


def _audit(
    update: FlashUpdate, edit: str, actor: Any, before: dict[str, Any] | None = None, after: bool = True
) -> None:
    """Flash updates are the principal's content: no organization."""
    audit_edit(
        action=Action.UPDATE_EDIT,
        target=update,
        edit=edit,
        target_label=update.title,
        before=before,
        after=_state(update) if after else None,
        actor=actor,
    )


def update_create(
    *,
    author: "User",
    title: str,
    body: str = "",
    product: "Product | None" = None,
    tags: Iterable["Tag"] = (),
    audience: str = FlashUpdate.Audience.ALL,
    partners: Iterable["Organization"] = (),
    teams: Iterable["Team"] = (),
    ack_due_at: datetime | None = None,
    photo: File | None = None,
    video_file: File | None = None,
    question: QuestionData | None = None,
    when: datetime | None = None,
) -> FlashUpdate:
    """Save a new draft; the photo is cleaned and the video sent to the transcoder. Refuse with UpdateError."""
    partners, teams = list(partners), list(teams)
    title = title.strip()
    if not title:
        raise UpdateError(_("Write a title."), field="title")
    _check_audience(audience, partners, teams)
    _check_question(question)
    try:
        photo_name, width, height = _store_photo(photo)
    except PhotoError as error:
        raise UpdateError(error.message, field="photo") from None
    try:
        with transaction.atomic():
            try:
                video = _store_video(video_file, uploaded_by=author, title=title)
            except MediaError as error:
                raise UpdateError(error.message, field="video") from None
            now = when or timezone.now()
            update = FlashUpdate.objects.create(
                title=title,
                body=body,
                body_html=render_markdown(body),
                photo=photo_name,
                photo_width=width,
                photo_height=height,
                video=video,
                product=product,
                audience=audience,
                ack_due_at=ack_due_at,
                created_by=author,
                created_at=now,
                updated_at=now,
            )
            update.tags.set(list(tags))
            update.partners.set(partners if audience == FlashUpdate.Audience.SELECTED else [])
            update.teams.set(teams if audience == FlashUpdate.Audience.SELECTED else [])
            _save_question(update, question)
            _audit(update, "update.create", author)
    except BaseException:
        photo_remove(photo_name)
        raise
    return update


_KEEP = object()


def update_edit(
    *,
    update: FlashUpdate,
    editor: "User",
    title: str,
    body: str,
    product: "Product | None" = None,
    tags: Iterable["Tag"] = (),
    ack_due_at: datetime | None = None,
    audience: str | None = None,
    partners: Iterable["Organization"] = (),
    teams: Iterable["Team"] = (),
    photo: File | None = None,
    remove_photo: bool = False,
    video_file: File | None = None,
    remove_video: bool = False,
    question: QuestionData | None | object = _KEEP,
) -> FlashUpdate:
    """Change an update. Once published, its audience and check question are fixed (answers refer to them)."""
    partners, teams = list(partners), list(teams)
    title = title.strip()
    if not title:
        raise UpdateError(_("Write a title."), field="title")
    if update.is_published and (audience is not None or question is not _KEEP):
        raise UpdateError(_("The audience and the question of a published update cannot be changed."))
    if audience is not None:
        _check_audience(audience, partners, teams)
    if question is not _KEEP:
        _check_question(question)  # type: ignore[arg-type]
    if (
        update.is_published
        and ack_due_at is not None
        and ack_due_at < timezone.now()
        and ack_due_at != update.ack_due_at
    ):
        raise UpdateError(_("Choose an acknowledge-by date that is not in the past."), field="ack_due_on")
    try:
        new_photo, width, height = _store_photo(photo)
    except PhotoError as error:
        raise UpdateError(error.message, field="photo") from None
    old_photo = update.photo
    try:
        with transaction.atomic():
            before = _state(update)
            try:
                new_video = _store_video(video_file, uploaded_by=editor, title=title)
            except MediaError as error:
                raise UpdateError(error.message, field="video") from None
            update.title, update.body, update.body_html = title, body, render_markdown(body)
            update.product, update.ack_due_at = product, ack_due_at
            if new_photo or remove_photo:
                update.photo, update.photo_width, update.photo_height = new_photo, width, height
            if new_video is not None:
                update.video = new_video
            elif remove_video:
                update.video = None
            if audience is not None:
                update.audience = audience
                update.partners.set(partners if audience == FlashUpdate.Audience.SELECTED else [])
                update.teams.set(teams if audience == FlashUpdate.Audience.SELECTED else [])
            update.updated_at = timezone.now()
            update.save()
            update.tags.set(list(tags))
            if question is not _KEEP:
                _save_question(update, question)  # type: ignore[arg-type]
            _audit(update, "update.update", editor, before)
    except BaseException:
        photo_remove(new_photo)
        raise
    if old_photo and (new_photo or remove_photo):
        transaction.on_commit(lambda: photo_remove(old_photo))
    return update


def update_publish_problems(update: FlashUpdate, *, now: datetime | None = None, experiment: bool = False) -> list[str]:
    """Return what stops the draft from being published, in the user's language (`experiment`: as an experiment,
    whose reps are drawn, so no audience needs choosing)."""
    problems = []
    if not (update.body.strip() or update.photo or update.video_id):
        problems.append(_("Write some text, or add a photo or a video."))
    if (
        not experiment
        and update.audience == FlashUpdate.Audience.SELECTED
        and not (update.partners.exists() or update.teams.exists())
    ):
        problems.append(_("Choose at least one partner or team."))
    if update.ack_due_at is not None and update.ack_due_at <= (now or timezone.now()):
        problems.append(_("The acknowledge-by date has passed. Choose a later date or remove it."))
    question = CheckQuestion.objects.filter(update=update).first()
    texts = [update.body] + ([question.text, question.explanation] if question else [])
    return problems + unexplained_terms_problems(update.title, *texts)


def update_publish(
    *, update: FlashUpdate, publisher: "User", when: datetime | None = None, notify: bool = True
) -> FlashUpdate:
    """Publish a draft: the audience sees it at the top of their home, and gets an e-mail (in the background)."""
    with transaction.atomic():
        locked = FlashUpdate.objects.select_for_update().get(pk=update.pk)
        if locked.is_published:
            return locked
        problems = update_publish_problems(locked, now=when)
        if problems:
            raise UpdateError(problems_text(problems))
        locked.status = FlashUpdate.Status.PUBLISHED
        locked.published_at = published_at = when or timezone.now()
        locked.save(update_fields=["status", "published_at"])
        audit_record(
            action=Action.CONTENT_PUBLISH,
            actor=publisher,
            target=locked,
            target_label=locked.title,
            after={"kind": "flash_update", "status": locked.status},
        )
        if notify:
            transaction.on_commit(
                lambda: _enqueue_mail(locked.pk, None, MailSent.Kind.PUBLISHED, _local_day(published_at))
            )
    update.status, update.published_at = locked.status, locked.published_at
    return update


# --- Per-rep targeting: an update rolled out as an experiment ----------------------------------------------------


def update_experiment_problem(update: FlashUpdate | None) -> str:
    """Why this update cannot be rolled out as an experiment ("" if it can), in the user's language."""
    if update is None:
        return _("This flash update no longer exists.")
    if update.is_published:
        return _("Only a draft can be rolled out as an experiment: a published update has reached its audience.")
    problems = update_publish_problems(update, experiment=True)
    return problems_text(problems) if problems else ""


def update_experiment_prepare(*, update: FlashUpdate, by: "User") -> FlashUpdate:
    """Publish a draft for an experiment: its audience becomes the reps it is given to one by one (none yet; the
    experiment adds them wave by wave), so it is withheld from everyone else. The acknowledge-by date is dropped:
    a wave given it months later would be late at once."""
    with transaction.atomic():
        locked = FlashUpdate.objects.select_for_update().get(pk=update.pk)
        problem = update_experiment_problem(locked)
        if problem:
            raise UpdateError(problem)
        before = _state(locked)
        locked.audience = FlashUpdate.Audience.EXPERIMENT
        locked.ack_due_at = None
        locked.save(update_fields=["audience", "ack_due_at"])
        locked.partners.clear()
        locked.teams.clear()
        _audit(locked, "update.experiment", by, before)
        update_publish(update=locked, publisher=by, notify=False)
    return locked


def update_recipient_add(*, update: FlashUpdate, rep: "User", by: "User") -> Recipient:
    """Give a published update to one rep (it reaches them whatever its audience), and e-mail them about it."""
    from kizuna.orgs.access import membership_of

    m = membership_of(rep)
    if m is None or not m.is_rep or not rep.is_active:
        raise UpdateError(_("Only an active rep can be given an update."))
    if not update.is_published:
        raise UpdateError(_("Publish the update before giving it to reps."))
    with transaction.atomic():
        recipient, created = Recipient.objects.get_or_create(update=update, rep=rep, defaults={"added_by": by})
        if created:  # given to one rep, like an assignment: on the trail of the rep's agency
            audit_record(
                action=Action.ASSIGNMENT_CREATE,
                actor=by,
                target=recipient,
                target_label=f"{update.title} → {rep}",
                organization_id=m.organization_id,
                after={"flash_update": update.title, "to": str(rep)},
            )
    if created:
        today = _local_day(recipient.added_at)
        transaction.on_commit(lambda: _enqueue_mail(update.pk, [rep.pk], MailSent.Kind.PUBLISHED, today))
    return recipient


def update_delete(*, update: FlashUpdate) -> None:
    """Delete a draft and its photo; published updates stay (the reps' statements refer to them)."""
    if update.is_published:
        raise UpdateError(_("A published update cannot be deleted."))
    photo = update.photo
    with transaction.atomic():
        _audit(update, "update.delete", None, _state(update), after=False)
        update.delete()
    transaction.on_commit(lambda: photo_remove(photo))


# --- The rep's events -----------------------------------------------------------------------


def _check_rep(rep: "User", update: FlashUpdate) -> None:
    if not update.is_published or not selectors.update_reaches_rep(update, rep):
        raise UpdateError(_("This update is not for you."))


def _activity(update: FlashUpdate) -> Activity:
    return Activity(iri=update_iri(update), type=vocab.TYPE_FLASH_UPDATE, name={"ja-JP": update.title})


def update_open(*, rep: "User", update: FlashUpdate, timestamp: datetime | None = None) -> Receipt:
    """Record that the rep opened the update (only the first time counts; later opens write nothing)."""
    receipt = selectors.receipt_for(update=update, rep=rep)
    if receipt is not None:
        return receipt
    _check_rep(rep, update)
    statement_record(
        actor=rep,
        verb=vocab.EXPERIENCED,
        activity=_activity(update),
        statement_id=_statement_id("experienced", update, rep),
        timestamp=timestamp,
    )
    return Receipt.objects.get(update=update, rep=rep)


def update_answer(*, rep: "User", update: FlashUpdate, option: int, timestamp: datetime | None = None) -> Receipt:
    """Record the rep's answer to the check question; the first answer counts, later ones change nothing."""
    question = selectors.check_question_of(update)
    if question is None:
        raise UpdateError(_("This update has no question."))
    receipt = selectors.receipt_for(update=update, rep=rep)
    if receipt is not None and receipt.answered_at is not None:
        return receipt
    _check_rep(rep, update)
    if not 1 <= option <= len(question.options):
        raise UpdateError(_("Choose one of the answers."), field="option")
    correct = option == question.correct
    statement_record(
        actor=rep,
        verb=records_vocab.ANSWERED,
        activity=Activity(
            iri=update_iri(update) + "/question",
            type=vocab.TYPE_INTERACTION,
            name={"ja-JP": question.text},
            parents=[update_iri(update)],
            definition={
                "interactionType": "choice",
                "choices": [
                    {"id": f"option-{n}", "description": {"ja-JP": text}} for n, text in question.numbered_options
                ],
                "correctResponsesPattern": [f"option-{question.correct}"],
            },
        ),
        result={
            "response": f"option-{option}",
            "success": correct,
            "score": {"raw": int(correct), "min": 0, "max": 1, "scaled": float(correct)},
        },
        statement_id=_statement_id("answered", update, rep),
        timestamp=timestamp,
    )
    return Receipt.objects.get(update=update, rep=rep)


def update_acknowledge(*, rep: "User", update: FlashUpdate, timestamp: datetime | None = None) -> Receipt:
    """Record 「確認しました」; a second press changes nothing. With a check question, it must be answered first."""
    receipt = selectors.receipt_for(update=update, rep=rep)
    if receipt is not None and receipt.acknowledged_at is not None:
        return receipt
    _check_rep(rep, update)
    if selectors.check_question_of(update) is not None and (receipt is None or receipt.answered_at is None):
        raise UpdateError(_("Answer the question first, then press “Got it”."))
    statement_record(
        actor=rep,
        verb=vocab.ACKNOWLEDGED,
        activity=_activity(update),
        statement_id=_statement_id("acknowledged", update, rep),
        timestamp=timestamp,
    )
    return Receipt.objects.get(update=update, rep=rep)


# --- Mail -----------------------------------------------------------------------------------


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _enqueue_mail(update_id: int, rep_ids: list[int] | None, kind: str, on: date) -> None:
    from .tasks import update_mail_task

    update_mail_task.enqueue(update_id, rep_ids, kind, on.isoformat())


def update_remind(
    *,
    update: FlashUpdate,
    by: "User",
    partner_id: int | None = None,
    team_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Queue a reminder e-mail to the reps (within what ``by`` may see, optionally one partner or team) who have
    not acknowledged; each rep gets at most one a day. Return how many reps it is for."""
    if not update.is_published:
        raise UpdateError(_("Publish the update before sending reminders."))
    today = _local_day(now or timezone.now())
    already = selectors.mail_already_sent(update=update, kind=MailSent.Kind.REMINDER, on=today)
    reps = selectors.reps_to_remind(update, viewer=by)
    if partner_id:
        reps = reps.filter(membership__organization_id=partner_id)
    if team_id:
        reps = reps.filter(membership__team_id=team_id)
    rep_ids = [pk for pk in reps.values_list("pk", flat=True) if pk not in already]
    if rep_ids:
        transaction.on_commit(lambda: _enqueue_mail(update.pk, rep_ids, MailSent.Kind.REMINDER, today))
    return len(rep_ids)


def update_mails_send(*, update: FlashUpdate, kind: str, on: date, rep_ids: list[int] | None = None) -> int:
    """E-mail the reps of the audience who have not acknowledged (or these of them); never twice for one (kind, day)."""
    reps = selectors.reps_to_remind(update, viewer=None)
    if rep_ids is not None:
        reps = reps.filter(pk__in=rep_ids)
    if kind == MailSent.Kind.OVERDUE:  # not to those who joined after the date: it was never theirs to meet
        reps = reps.filter(date_joined__lte=update.ack_due_at)
    already = selectors.mail_already_sent(update=update, kind=kind, on=on)
    has_question = selectors.check_question_of(update) is not None
    sent = 0
    connection = get_connection()
    try:
        for rep in reps.exclude(pk__in=already).iterator(chunk_size=500):
            sent += _mail_one(update, rep, kind, on, connection, has_question=has_question)
    finally:
        connection.close()
    return sent


def _mail_one(update: FlashUpdate, rep: "User", kind: str, on: date, connection: Any, *, has_question: bool) -> bool:
    try:
        with transaction.atomic():
            MailSent.objects.create(update=update, rep=rep, kind=kind, on=on)
            with translation.override(rep.language or settings.LANGUAGE_CODE):
                context = {
                    "rep": rep,
                    "update": update,
                    "kind": kind,
                    "url": settings.SITE_URL + reverse("updates:update", args=[update.pk]),
                    "has_question": has_question,
                }
                subject = render_to_string("updates/email/subject.txt", context).strip()
                body = render_to_string("updates/email/body.txt", context)
            EmailMessage(subject, body, None, [rep.email], connection=connection).send()
            if kind == MailSent.Kind.PUBLISHED:
                push_send(
                    recipient=rep,
                    kind="updates.published",
                    title=gettext_noop("New flash update: %(title)s"),
                    params={"title": update.title},
                    url=reverse("updates:update", args=[update.pk]),
                    tag=f"updates.published:{update.pk}",
                )
    except IntegrityError:
        return False  # sent already (a retried task, or two at once)
    except Exception:
        logger.exception("Could not e-mail flash update %s to user %s", update.pk, rep.pk)
        return False
    return True


def overdue_reminders_send(*, now: datetime | None = None) -> int:
    """Daily: e-mail once every rep who has not acknowledged an update whose acknowledge-by date has passed."""
    now = now or timezone.now()
    sent = 0
    for update in selectors.overdue_updates(now=now).select_related("question").order_by("pk"):
        sent += update_mails_send(update=update, kind=MailSent.Kind.OVERDUE, on=_local_day(update.ack_due_at))  # type: ignore[arg-type]  # overdue ones have a date
    return sent
