"""The audit trail as the services that change things see it: `audit_record` (and `audit_record_many`).

Every app records its changes here, the base apps included, while the trail itself (its table, its
screens, its export) is the `audit` app's: it registers the writer when Django starts. So a lower app
never imports a higher one, and there is one obvious call for "this change goes on the trail".
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Action",
    "Change",
    "audit_edit",
    "audit_record",
    "audit_record_many",
    "changed_fields",
    "register_trail_writer",
]


class Action(models.TextChoices):
    """What kind of change an entry records (the code is stable; the label is for people)."""

    PARTNER_CREATE = "partner.create", _("agency created")
    TEAM_CREATE = "team.create", _("team created")
    TEAM_UPDATE = "team.update", _("team changed")
    PERSON_CREATE = "person.create", _("person added")
    PERSON_UPDATE = "person.update", _("person changed")
    PERSON_ERASE = "person.erase", _("person erased")
    INVITATION_SEND = "person.invite", _("sign-in invitation sent")
    SHARING_UPDATE = "sharing.update", _("sharing settings changed")
    COURSE_PUBLISH = "course.publish", _("course published")
    CONTENT_PUBLISH = "content.publish", _("content published")
    ASSIGNMENT_CREATE = "assignment.create", _("assignment made")
    ASSIGNMENT_UPDATE = "assignment.update", _("assignment changed")
    ASSIGNMENT_DELETE = "assignment.delete", _("assignment removed")
    AGREEMENT_CREATE = "agreement.create", _("agreement version made")
    AGREEMENT_ACCEPT = "agreement.accept", _("agreement accepted")
    CERTIFICATION_CREATE = "certification.create", _("certification created")
    CERTIFICATION_UPDATE = "certification.update", _("certification changed")
    CERTIFICATION_REOPEN = "certification.reopen", _("certification reopened")
    CERTIFICATION_GRANT = "certification.grant", _("certification granted")
    CERTIFICATION_REVOKE = "certification.revoke", _("certification revoked")
    CERTIFICATION_EXPIRE = "certification.expire", _("certification expired")
    BADGE_REVOKE = "badge.revoke", _("badge revoked")
    POINT_RULES_UPDATE = "points.update", _("point rules changed")
    BADGE_SAVE = "badge.save", _("badge saved")
    INCENTIVE_RULE_CREATE = "incentive.create", _("incentive rule added")
    INCENTIVE_RULE_END = "incentive.end", _("incentive rule ended")
    TOKEN_CREATE = "token.create", _("API token issued")
    TOKEN_REVOKE = "token.revoke", _("API token revoked")
    WEBHOOK_CREATE = "webhook.create", _("webhook added")
    WEBHOOK_DELETE = "webhook.delete", _("webhook removed")
    WEBHOOK_SECRET_ROTATE = "webhook.rotate", _("webhook secret rotated")
    LRS_CREDENTIAL_CREATE = "lrs_credential.create", _("LRS credentials issued")
    LRS_CREDENTIAL_DEACTIVATE = "lrs_credential.deactivate", _("LRS credentials deactivated")
    LRS_FORWARDER_CREATE = "lrs_forwarder.create", _("forwarding to an external LRS set up")
    LRS_FORWARDER_UPDATE = "lrs_forwarder.update", _("forwarding to an external LRS changed")
    LRS_FORWARDER_DELETE = "lrs_forwarder.delete", _("forwarding to an external LRS removed")
    SCIM_TOKEN_CREATE = "scim_token.create", _("SCIM token issued")
    SCIM_TOKEN_REVOKE = "scim_token.revoke", _("SCIM token revoked")
    SSO_PROVIDER_CREATE = "sso.create", _("identity provider added")
    SSO_PROVIDER_UPDATE = "sso.update", _("identity provider changed")
    SSO_PROVIDER_DELETE = "sso.delete", _("identity provider removed")
    DATA_EXPORT = "data.export", _("data exported")
    MFA_POLICY_UPDATE = "mfa_policy.update", _("second-factor requirement changed")
    SESSIONS_END = "sessions.end", _("signed out everywhere")
    SECOND_FACTOR_ADD = "second_factor.add", _("second factor added")
    SECOND_FACTOR_REMOVE = "second_factor.remove", _("second factor removed")
    RECOVERY_CODES_RENEW = "second_factor.renew", _("recovery codes renewed")
    PASSWORD_CHANGE = "password.change", _("password changed")
    KPI_IMPORT = "kpi.import", _("sales figures loaded")
    KPI_TARGET_UPDATE = "kpi_target.update", _("KPI target changed")
    SPOTLIGHT_ADD = "spotlight.add", _("rep put in the spotlight")
    SPOTLIGHT_REMOVE = "spotlight.remove", _("rep taken out of the spotlight")
    LIVE_SESSION_CREATE = "live.create", _("live session scheduled")
    LIVE_SESSION_UPDATE = "live.update", _("live session changed")
    SURVEY_SEND = "survey.send", _("survey sent")
    COURSE_EDIT = "course.edit", _("course draft edited")
    SCENARIO_EDIT = "scenario.edit", _("scenario draft edited")
    QUIZ_EDIT = "quiz.edit", _("quiz draft edited")
    QUESTION_EDIT = "question.edit", _("quiz question edited")
    REVIEW_SUBMIT = "review.submit", _("coaching review given")
    POST_HIDE = "moderation.hide", _("post hidden by a moderator")
    POST_UNHIDE = "moderation.unhide", _("hidden post shown again")
    REPORT_DISMISS = "moderation.dismiss", _("report dismissed")
    POST_EDIT = "moderation.edit", _("post edited by a moderator")
    EXPERIMENT_START = "experiment.start", _("experiment started")
    EXPERIMENT_MOVE = "experiment.move", _("experiment moved in time")
    ESSAY_GRADE = "essay.grade", _("essay graded")
    GLOSSARY_EDIT = "glossary.edit", _("glossary changed")
    VIDEO_DELETE = "video.delete", _("video deleted")
    ROLEPLAY_EDIT = "roleplay.edit", _("roleplay draft edited")
    FEEDBACK_ANSWER = "feedback.answer", _("rep's feedback answered or handled")
    FRESHNESS_EDIT = "freshness.edit", _("content review date, products or check changed")
    TICKET_UPDATE = "ticket.update", _("support question answered, assigned or closed")
    HELP_PAGE_CREATE = "help_page.create", _("help page published")
    PLAIN_TARGET_UPDATE = "plain_target.update", _("target readability changed")
    PACKAGE_EDIT = "package.edit", _("SCORM or cmi5 package imported or removed")
    VIDEO_CREATE = "video.create", _("video uploaded")
    TAKE_REFERENCE = "take.reference", _("take made a calibration reference or no longer one")
    TAKE_COMMENT = "take.comment", _("take commented on by a coach or manager")
    TAKE_DELETE = "take.delete", _("rep's take deleted")
    UPDATE_EDIT = "update.edit", _("flash update draft edited")
    SURVEY_EDIT = "survey.edit", _("survey draft edited")
    PRODUCT_CREATE = "product.create", _("product added")
    TAG_EDIT = "tag.edit", _("tag or value added or renamed")
    STORY_NOMINATE = "story.nominate", _("success story nominated (rep asked for consent and an interview)")


@dataclass(frozen=True)
class Change:
    """One change among many made at once (``audit_record_many``)."""

    target: models.Model
    organization_id: int | None
    after: dict[str, Any]
    target_label: str = ""


_writers: dict[str, Callable[..., Any]] = {}


def register_trail_writer(*, one: Callable[..., Any], many: Callable[..., None]) -> None:
    """Called once by the audit app: where `audit_record` and `audit_record_many` write."""
    _writers["one"], _writers["many"] = one, many


def _writer(kind: str) -> Callable[..., Any]:
    try:
        return _writers[kind]
    except KeyError:
        raise ImproperlyConfigured("kizuna.audit is not installed: nothing writes the audit trail") from None


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return only the keys whose value differs, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)] + [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def audit_record(
    *,
    action: Action | str,
    target: models.Model | None = None,
    target_label: str = "",
    organization_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Any = None,
) -> Any:
    """Append one entry to the trail and return it; the actor defaults to whoever is signed in for this request.

    ``organization_id`` is the organization the change belongs to (an agency's manager sees its
    trail); None for changes to what the principal shares with everyone (content, settings).
    Call it inside the service's transaction, so that a change rolled back leaves no entry.
    """
    return _writer("one")(
        action=Action(action),
        target=target,
        target_label=target_label,
        organization_id=organization_id,
        before=before or {},
        after=after or {},
        actor=actor,
    )


def audit_record_many(*, action: Action | str, changes: list[Change], actor: Any = None) -> None:
    """Append one entry per change in a few inserts: an import of 1,000 people must not hold the lock longer."""
    _writer("many")(action=Action(action), changes=changes, actor=actor)


EDIT_TEXT_MAX = 2000


def _short(value: Any) -> Any:
    """A long text (a lesson's body) is kept as its start, its length and its digest, not whole in every entry."""
    if isinstance(value, str) and len(value) > EDIT_TEXT_MAX:
        digest = hashlib.sha256(value.encode()).hexdigest()[:16]
        return f"{value[:EDIT_TEXT_MAX]}… ({len(value)} chars, sha256 {digest})"
    return value


def audit_edit(
    *,
    action: Action | str,
    target: models.Model,
    edit: str,
    target_label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organization_id: int | None = None,
    actor: Any = None,
) -> Any:
    """Record one edit of a draft (or other object) by what it changed; an edit that changed nothing leaves no entry.

    ``edit`` names the part and the operation (``lesson.update``, ``choice.delete``, ...) and is kept in both
    sides, so the entry reads on its own. A creation has only ``after``; a removal only ``before``.
    """
    old, new = changed_fields(before or {}, after or {})
    old, new = {k: _short(v) for k, v in old.items()}, {k: _short(v) for k, v in new.items()}
    if before and after and not old and not new:
        return None
    return audit_record(
        action=action,
        target=target,
        target_label=target_label,
        organization_id=organization_id,
        before={"edit": edit, **old} if before else {},
        after={"edit": edit, **new} if after else {"edit": edit},
        actor=actor,
    )
