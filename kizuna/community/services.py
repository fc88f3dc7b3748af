"""Writes of the community: asking, answering, voting, accepting, following, editing, hiding and reporting.

Every event people are recognized for is a statement (records.services.statement_record) with an id derived
from the event, so a double tap or a retry never counts twice. When an answer is accepted or up-voted its
author *receives* a recognition (the contract gamification reads, see vocab.py); withdrawing the vote or the
acceptance voids that statement.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.catalog.markdown import render_markdown
from kizuna.notifications.services import notification_send
from kizuna.ops.errors import ApplicationError
from kizuna.ops.trail import Action, audit_record, changed_fields
from kizuna.orgs.access import Role, membership_of
from kizuna.orgs.sharing import Area, names_for
from kizuna.records.projections import reps_hold
from kizuna.records.services import Activity, statement_record, statement_void

from . import search, selectors, vocab
from .images import PhotoError, image_remove, image_store
from .models import Answer, Follow, Question, Report, Vote

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.catalog.models import Product, Tag

STATEMENT_NAMESPACE = uuid.UUID("0f6b1d2e-8a5c-4e61-9c3a-2d7e5b9a4c10")
TITLE_MAX = 150
BODY_MAX = 10_000
REASON_MAX = 300
REPORT_REASON_MAX = 500


class CommunityError(ApplicationError):
    """A change that cannot be made; the message says, in the user's language, what to do."""


# --- Statements -------------------------------------------------------------------------------


def question_iri(question: Question) -> str:
    return f"{settings.SITE_URL}/xapi/activities/community-question/{question.key}"


def answer_iri(answer: Answer) -> str:
    return f"{settings.SITE_URL}/xapi/activities/community-answer/{answer.key}"


def _sid(*parts: Any) -> uuid.UUID:
    return uuid.uuid5(STATEMENT_NAMESPACE, ":".join(str(p) for p in parts))


def recognition_statement_id(answer: Answer, kind: str, giver: "User", round_: int = 0) -> uuid.UUID:
    """uuid5 of (answer, kind, giver): one recognition per giver; a new one only after a withdrawal."""
    parts: list[Any] = ["recognition", answer.key, kind, giver.public_id]
    if round_:
        parts.append(round_)
    return _sid(*parts)


def _question_activity(question: Question) -> Activity:
    return Activity(iri=question_iri(question), type=vocab.TYPE_QUESTION, name={"ja-JP": question.title})


def _answer_activity(answer: Answer) -> Activity:
    question = answer.question
    return Activity(
        iri=answer_iri(answer),
        type=vocab.TYPE_ANSWER,
        name={"ja-JP": question.title},
        parents=[question_iri(question)],
    )


def _recognize(*, answer: Answer, kind: str, giver: "User", round_: int, when: datetime) -> uuid.UUID:
    statement_id = recognition_statement_id(answer, kind, giver, round_)
    statement_record(
        actor=answer.author,
        verb=vocab.RECEIVED,
        activity=_answer_activity(answer),
        result={"extensions": {vocab.EXT_RECOGNITION.iri: kind}},
        statement_id=statement_id,
        timestamp=when,
    )
    return statement_id


def _void(*, statement_id: uuid.UUID, by: "User", when: datetime) -> None:
    statement_void(actor=by, statement_id=statement_id, void_id=_sid("void", statement_id), timestamp=when)


# --- Helpers ----------------------------------------------------------------------------------


def _partner_id(user: "User") -> int | None:
    m = membership_of(user)
    if m is None:
        raise CommunityError(_("Only members of an organization can post."))
    return None if m.organization.is_principal else m.organization_id


def _check_text(title: str | None, body: str, *, body_required: bool) -> None:
    if title is not None:
        if not title:
            raise CommunityError(_("Write your question in one sentence."), field="title")
        if len(title) > TITLE_MAX:
            raise CommunityError(
                _("Make the title shorter (at most %(max)s characters).") % {"max": TITLE_MAX}, field="title"
            )
    if body_required and not body:
        raise CommunityError(_("Write your answer."), field="body")
    if len(body) > BODY_MAX:
        raise CommunityError(
            _("The text is too long (at most %(max)s characters). Shorten it.") % {"max": BODY_MAX}, field="body"
        )


def _store_image(image: Any) -> tuple[str, int | None, int | None]:
    if image is None:
        return "", None, None
    try:
        return image_store(image)
    except PhotoError as error:
        raise CommunityError(error.message, field="image") from None


def _reindex(question: Question) -> None:
    """Refresh the question's tokens of its visible answers and its FTS row."""
    question.search_answers = " ".join(
        question.answers.filter(hidden_at__isnull=True).order_by("pk").values_list("search_tokens", flat=True)
    )
    question.answer_count = question.answers.filter(hidden_at__isnull=True).count()
    Question.objects.filter(pk=question.pk).update(
        search_answers=question.search_answers, answer_count=question.answer_count
    )
    search.index_question(
        question_id=question.pk,
        title=question.search_title,
        body=question.search_body,
        answers=question.search_answers,
    )


# --- Questions --------------------------------------------------------------------------------


def question_ask(
    *,
    author: "User",
    title: str,
    body: str = "",
    product: "Product | None" = None,
    tags: Iterable["Tag"] = (),
    image: Any = None,
    when: datetime | None = None,
) -> Question:
    """Post a question: the asker follows it, and it is recorded as ``asked``. Refuse with CommunityError."""
    title, body = (title or "").strip(), (body or "").strip()
    _check_text(title, body, body_required=False)
    partner_id = _partner_id(author)
    image_name, width, height = _store_image(image)
    now = when or timezone.now()
    try:
        with transaction.atomic():
            question = Question.objects.create(
                author=author,
                partner_id=partner_id,
                title=title,
                body=body,
                body_html=render_markdown(body),
                product=product,
                image=image_name,
                image_width=width,
                image_height=height,
                created_at=now,
                last_activity_at=now,
                search_title=search.tokens(title),
                search_body=search.tokens(body),
            )
            question.tags.set(list(tags))
            Follow.objects.create(question=question, user=author, created_at=now)
            search.index_question(
                question_id=question.pk, title=question.search_title, body=question.search_body, answers=""
            )
            statement_record(
                actor=author,
                verb=vocab.ASKED,
                activity=_question_activity(question),
                statement_id=_sid("asked", question.key),
                timestamp=now,
            )
    except BaseException:
        image_remove(image_name)
        raise
    return question


def question_edit(
    *,
    question: Question,
    editor: "User",
    title: str,
    body: str,
    product: "Product | None" = None,
    tags: Iterable["Tag"] = (),
    image: Any = None,
    remove_image: bool = False,
) -> Question:
    """Change a question (its author, or a moderator); it is marked as edited."""
    if not selectors.can_edit(editor, question):
        raise CommunityError(_("You cannot edit this question."))
    title, body = (title or "").strip(), (body or "").strip()
    _check_text(title, body, body_required=False)
    new_image, width, height = _store_image(image)
    old_image = question.image
    try:
        with transaction.atomic():
            before = {"title": question.title, "body": question.body, "image": str(question.image or "")}
            question.title, question.body, question.body_html = title, body, render_markdown(body)
            question.product = product
            question.search_title, question.search_body = search.tokens(title), search.tokens(body)
            if new_image or remove_image:
                question.image, question.image_width, question.image_height = new_image, width, height
            question.edited_at, question.edited_by = timezone.now(), editor
            question.save()
            question.tags.set(list(tags))
            _moderator_edit_record(
                question, editor, before, {"title": title, "body": body, "image": str(question.image or "")}
            )
            search.index_question(
                question_id=question.pk,
                title=question.search_title,
                body=question.search_body,
                answers=question.search_answers,
            )
    except BaseException:
        image_remove(new_image)
        raise
    if old_image and (new_image or remove_image):
        transaction.on_commit(lambda: image_remove(old_image))
    return question


def question_follow(*, question: Question, user: "User") -> Follow:
    """Follow a question the person may see: they are told of new answers."""
    if not selectors.question_visible_to(user, question):
        raise CommunityError(_("This question is not available."))
    follow, _created = Follow.objects.get_or_create(question=question, user=user)
    return follow


def question_unfollow(*, question: Question, user: "User") -> None:
    Follow.objects.filter(question=question, user=user).delete()


# --- Answers ----------------------------------------------------------------------------------


def answer_post(
    *, question: Question, author: "User", body: str, image: Any = None, when: datetime | None = None
) -> Answer:
    """Answer a visible question; followers and the asker are notified, and it is recorded as ``answered``."""
    body = (body or "").strip()
    _check_text(None, body, body_required=True)
    if question.is_hidden or not selectors.question_visible_to(author, question):
        raise CommunityError(_("This question is not available."))
    partner_id = _partner_id(author)
    m = membership_of(author)
    image_name, width, height = _store_image(image)
    now = when or timezone.now()
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                question=question,
                author=author,
                partner_id=partner_id,
                body=body,
                body_html=render_markdown(body),
                by_coach=m is not None and m.role == Role.COACH,
                image=image_name,
                image_width=width,
                image_height=height,
                created_at=now,
                search_tokens=search.tokens(body),
            )
            Question.objects.filter(pk=question.pk).update(last_activity_at=now)
            question.last_activity_at = now
            _reindex(question)
            statement_record(
                actor=author,
                verb=vocab.ANSWERED,
                activity=_question_activity(question),
                result={"response": body[:500], "extensions": {vocab.EXT_ANSWER.iri: answer_iri(answer)}},
                statement_id=_sid("answered", answer.key),
                timestamp=now,
            )
            _notify_answer(answer)
    except BaseException:
        image_remove(image_name)
        raise
    return answer


def _notify_answer(answer: Answer) -> None:
    """Tell the question's followers (the asker among them) of a new answer they may see."""
    question = answer.question
    url = answer.get_absolute_url()
    for recipient in selectors.followers_of(question).exclude(pk=answer.author_id):
        if not selectors.answer_visible_to(recipient, answer):
            continue
        notification_send(
            recipient=recipient,
            kind="community.answered",
            title=gettext_noop("%(name)s answered “%(title)s”"),
            body=gettext_noop("Open the question to read the answer."),
            params={"name": names_for(recipient, Area.COMMUNITY).name(answer.author), "title": question.title},
            url=url,
            dedupe_key=f"community.answered:{answer.pk}",
            at=answer.created_at,
        )


def answer_edit(*, answer: Answer, editor: "User", body: str, image: Any = None, remove_image: bool = False) -> Answer:
    """Change an answer (its author, or a moderator); it is marked as edited."""
    if not selectors.can_edit(editor, answer):
        raise CommunityError(_("You cannot edit this answer."))
    body = (body or "").strip()
    _check_text(None, body, body_required=True)
    new_image, width, height = _store_image(image)
    old_image = answer.image
    try:
        with transaction.atomic():
            before = {"body": answer.body, "image": str(answer.image or "")}
            answer.body, answer.body_html, answer.search_tokens = body, render_markdown(body), search.tokens(body)
            if new_image or remove_image:
                answer.image, answer.image_width, answer.image_height = new_image, width, height
            answer.edited_at, answer.edited_by = timezone.now(), editor
            answer.save()
            _moderator_edit_record(answer, editor, before, {"body": body, "image": str(answer.image or "")})
            _reindex(answer.question)
    except BaseException:
        image_remove(new_image)
        raise
    if old_image and (new_image or remove_image):
        transaction.on_commit(lambda: image_remove(old_image))
    return answer


# --- Votes ------------------------------------------------------------------------------------


def answer_vote(*, answer: Answer, voter: "User", when: datetime | None = None) -> Vote:
    """Up-vote an answer once; its author receives an "upvoted" recognition. Refuse a second vote."""
    if answer.author_id == voter.pk:
        raise CommunityError(_("You cannot vote for your own answer."))
    if answer.is_hidden or not selectors.answer_visible_to(voter, answer):
        raise CommunityError(_("This answer is not available."))
    now = when or timezone.now()
    with transaction.atomic():
        vote, created = Vote.objects.select_for_update().get_or_create(
            answer=answer, voter=voter, defaults={"created_at": now}
        )
        if not created:
            if vote.withdrawn_at is None:
                raise CommunityError(_("You have already voted for this answer."))
            vote.withdrawn_at, vote.created_at, vote.round = None, now, vote.round + 1
            vote.save(update_fields=["withdrawn_at", "created_at", "round"])
        Answer.objects.filter(pk=answer.pk).update(score=F("score") + 1)
        answer.score += 1
        statement_record(
            actor=voter,
            verb=vocab.VOTED_UP,
            activity=_answer_activity(answer),
            statement_id=_sid("voted", answer.key, voter.public_id, vote.round),
            timestamp=now,
        )
        _recognize(answer=answer, kind=vocab.RECOGNITION_UPVOTED, giver=voter, round_=vote.round, when=now)
    return vote


def answer_vote_withdraw(*, answer: Answer, voter: "User", when: datetime | None = None) -> None:
    """Take an up-vote back: the vote and the recognition it gave are voided."""
    now = when or timezone.now()
    with transaction.atomic():
        vote = Vote.objects.select_for_update().filter(answer=answer, voter=voter, withdrawn_at__isnull=True).first()
        if vote is None:
            return
        vote.withdrawn_at = now
        vote.save(update_fields=["withdrawn_at"])
        Answer.objects.filter(pk=answer.pk).update(score=F("score") - 1)
        answer.score -= 1
        _void(statement_id=_sid("voted", answer.key, voter.public_id, vote.round), by=voter, when=now)
        _void(
            statement_id=recognition_statement_id(answer, vocab.RECOGNITION_UPVOTED, voter, vote.round),
            by=voter,
            when=now,
        )


# --- Acceptance -------------------------------------------------------------------------------


def answer_accept(*, answer: Answer, by: "User", when: datetime | None = None) -> Answer:
    """Choose the accepted answer (the asker, or a coach); its author receives an "accepted" recognition.

    Choosing another answer withdraws the earlier choice (its recognition is voided).
    """
    question = answer.question
    if not selectors.can_accept(by, question):
        raise CommunityError(_("Only the person who asked, or a coach, can choose the accepted answer."))
    if answer.author_id == by.pk:
        raise CommunityError(_("You cannot choose your own answer."))
    if answer.is_hidden or question.is_hidden or not selectors.answer_visible_to(by, answer):
        raise CommunityError(_("This answer is not available."))
    now = when or timezone.now()
    with transaction.atomic():
        reps_hold(by.pk)  # before the question's lock: a rebuild of theirs ends first, nobody waits behind it
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.accepted_answer_id == answer.pk:
            return answer
        if locked.accepted_answer is not None:
            _withdraw_acceptance(locked.accepted_answer, by=by, when=now)
        locked.accepted_answer = answer
        locked.last_activity_at = now
        locked.save(update_fields=["accepted_answer", "last_activity_at"])
        question.accepted_answer_id = answer.pk
        answer.refresh_from_db(fields=["accept_round"])
        answer.accepted_at, answer.accepted_by = now, by
        answer.save(update_fields=["accepted_at", "accepted_by"])
        statement_record(
            actor=by,
            verb=vocab.ACCEPTED,
            activity=_answer_activity(answer),
            statement_id=_sid("accepted", answer.key, by.public_id, answer.accept_round),
            timestamp=now,
        )
        _recognize(answer=answer, kind=vocab.RECOGNITION_ACCEPTED, giver=by, round_=answer.accept_round, when=now)
        notification_send(
            recipient=answer.author,
            kind="community.accepted",
            title=gettext_noop("Your answer to “%(title)s” was chosen as the accepted answer"),
            params={"title": question.title},
            url=answer.get_absolute_url(),
            dedupe_key=f"community.accepted:{answer.pk}:{answer.accept_round}",
            at=now,
        )
    return answer


def _withdraw_acceptance(answer: Answer, *, by: "User", when: datetime) -> None:
    """Void the acceptance of this answer and the recognition it gave, and mark it not accepted."""
    answer.refresh_from_db(fields=["accepted_at", "accepted_by", "accept_round"])
    giver = answer.accepted_by
    if giver is not None:
        _void(statement_id=_sid("accepted", answer.key, giver.public_id, answer.accept_round), by=by, when=when)
        _void(
            statement_id=recognition_statement_id(answer, vocab.RECOGNITION_ACCEPTED, giver, answer.accept_round),
            by=by,
            when=when,
        )
    answer.accepted_at, answer.accepted_by, answer.accept_round = None, None, answer.accept_round + 1
    answer.save(update_fields=["accepted_at", "accepted_by", "accept_round"])


def answer_unaccept(*, answer: Answer, by: "User", when: datetime | None = None) -> None:
    """Withdraw the choice of the accepted answer (the asker, or a coach)."""
    question = answer.question
    if not selectors.can_accept(by, question):
        raise CommunityError(_("Only the person who asked, or a coach, can choose the accepted answer."))
    now = when or timezone.now()
    with transaction.atomic():
        reps_hold(by.pk)  # before the question's lock: a rebuild of theirs ends first, nobody waits behind it
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.accepted_answer_id != answer.pk:
            return
        _withdraw_acceptance(answer, by=by, when=now)
        locked.accepted_answer = None
        locked.save(update_fields=["accepted_answer"])
    question.accepted_answer_id = None
    answer.refresh_from_db()


# --- Moderation -------------------------------------------------------------------------------


def post_hide(*, post: Question | Answer, moderator: "User", reason: str) -> None:
    """Hide a post with a reason: only moderators see it afterwards (marked as hidden); its reports close."""
    if not selectors.can_moderate(moderator, post):
        raise CommunityError(_("You cannot moderate this post."))
    reason = (reason or "").strip()
    if not reason:
        raise CommunityError(_("Write why the post is hidden."), field="reason")
    if len(reason) > REASON_MAX:
        raise CommunityError(
            _("Make the reason shorter (at most %(max)s characters).") % {"max": REASON_MAX}, field="reason"
        )
    now = timezone.now()
    with transaction.atomic():
        post.hidden_at, post.hidden_by, post.hidden_reason = now, moderator, reason
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        _moderation_record(
            Action.POST_HIDE,
            post,
            moderator=moderator,
            before={"hidden": False},
            after={
                "hidden": True,
                "reason": reason,
            },
        )
        _close_reports(post, moderator=moderator, resolution="hidden", when=now)
        if isinstance(post, Answer):
            _reindex(post.question)
        title = post.question.title if isinstance(post, Answer) else post.title
        notification_send(
            recipient=post.author,
            kind="community.hidden",
            title=gettext_noop("Your post on “%(title)s” was hidden by a moderator"),
            body=gettext_noop("Reason: %(reason)s"),
            params={"title": title, "reason": reason},
            email=False,
        )


def post_unhide(*, post: Question | Answer, moderator: "User") -> None:
    """Show a hidden post again."""
    if not selectors.can_moderate(moderator, post):
        raise CommunityError(_("You cannot moderate this post."))
    with transaction.atomic():
        before = {"hidden": post.hidden_at is not None, "reason": post.hidden_reason}
        post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        _moderation_record(Action.POST_UNHIDE, post, moderator=moderator, before=before, after={"hidden": False})
        if isinstance(post, Answer):
            _reindex(post.question)


def _moderation_record(
    action: Action, post: Question | Answer, *, moderator: "User", before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Put a moderator's action on the audit trail, in the organization the post belongs to (None: the principal's)."""
    question = post.question if isinstance(post, Answer) else post
    kind = "answer" if isinstance(post, Answer) else "question"
    audit_record(
        action=action,
        actor=moderator,
        target=post,
        target_label=f"{question.title} ({kind}, {post.author.email})",
        organization_id=post.partner_id,
        before=before,
        after=after,
    )


def _moderator_edit_record(
    post: Question | Answer, editor: "User", before: dict[str, Any], after: dict[str, Any]
) -> None:
    """A moderator changing someone else's post goes on the trail (only what changed); an author's own edit does not."""
    if editor.pk == post.author_id:
        return
    old, new = changed_fields(before, after)
    if old or new:
        _moderation_record(Action.POST_EDIT, post, moderator=editor, before=old, after=new)


def _close_reports(post: Question | Answer, *, moderator: "User", resolution: str, when: datetime) -> None:
    reports = Report.objects.filter(resolved_at__isnull=True)
    reports = reports.filter(answer=post) if isinstance(post, Answer) else reports.filter(question=post, answer=None)
    reports.update(resolved_at=when, resolved_by=moderator, resolution=resolution)


def post_report(*, post: Question | Answer, reporter: "User", reason: str) -> Report:
    """Report a post one may see to its moderators."""
    visible = (
        selectors.answer_visible_to(reporter, post)
        if isinstance(post, Answer)
        else selectors.question_visible_to(reporter, post)
    )
    if not visible:
        raise CommunityError(_("This post is not available."))
    reason = (reason or "").strip()
    if not reason:
        raise CommunityError(_("Write what is wrong with the post."), field="reason")
    if len(reason) > REPORT_REASON_MAX:
        raise CommunityError(
            _("Make the reason shorter (at most %(max)s characters).") % {"max": REPORT_REASON_MAX}, field="reason"
        )
    return Report.objects.create(
        question=post.question if isinstance(post, Answer) else post,
        answer=post if isinstance(post, Answer) else None,
        partner_id=post.partner_id,
        reporter=reporter,
        reason=reason,
    )


def report_resolve(*, report: Report, moderator: "User", hide: bool, reason: str = "") -> Report:
    """Close a report: hide the post (with the reason) or dismiss the report."""
    post = report.post
    if not selectors.can_moderate(moderator, post):
        raise CommunityError(_("You cannot moderate this post."))
    if report.resolved_at is not None:
        return report
    if hide:
        post_hide(post=post, moderator=moderator, reason=reason or report.reason[:REASON_MAX])
        report.refresh_from_db()
        return report
    with transaction.atomic():
        report.resolved_at, report.resolved_by, report.resolution = timezone.now(), moderator, "dismissed"
        report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        _moderation_record(
            Action.REPORT_DISMISS,
            post,
            moderator=moderator,
            before={"report": report.pk, "reason": report.reason},
            after={"report": report.pk, "resolution": "dismissed"},
        )
    return report
