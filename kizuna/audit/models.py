"""The audit trail: one append-only row per change a member of staff or a manager made."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What kind of change an entry records (the code is stable; the label is for people)."""

    PARTNER_CREATE = "partner.create", _("agency created")
    TEAM_CREATE = "team.create", _("team created")
    TEAM_UPDATE = "team.update", _("team changed")
    PERSON_CREATE = "person.create", _("person added")
    PERSON_UPDATE = "person.update", _("person changed")
    PERSON_ERASE = "person.erase", _("person erased")
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
    SCIM_TOKEN_CREATE = "scim_token.create", _("SCIM token issued")
    SCIM_TOKEN_REVOKE = "scim_token.revoke", _("SCIM token revoked")
    SSO_PROVIDER_CREATE = "sso.create", _("identity provider added")
    SSO_PROVIDER_UPDATE = "sso.update", _("identity provider changed")
    SSO_PROVIDER_DELETE = "sso.delete", _("identity provider removed")
    DATA_EXPORT = "data.export", _("data exported")
    MFA_POLICY_UPDATE = "mfa_policy.update", _("second-factor requirement changed")
    SESSIONS_END = "sessions.end", _("signed out everywhere")


class AuditEntry(models.Model):
    """Who changed what, when, from where, in which organization; never changed or deleted once written.

    The actor and organization are kept without a database constraint: a trail outlives the rows it
    names, and nothing may cascade into it.
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("from"), null=True, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("change"), max_length=40, choices=Action.choices)
    target_type = models.CharField(_("kind of object"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("audit entries are append-only")
