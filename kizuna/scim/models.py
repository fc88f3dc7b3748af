"""SCIM 2.0 provisioning: an agency's directory token, and what its directory says about people and teams."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "kzscim_"  # noqa: S105 (a marker that makes leaked tokens easy to spot, not a secret)


class ScimToken(models.Model):
    """A bearer token with which one agency's directory (Entra ID, Okta, …) provisions that agency only."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="scim_tokens")
    name = models.CharField(_("name"), max_length=100)
    # The first characters, shown so people can tell their tokens apart; only the hash is kept.
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ScimUser(models.Model):
    """What the directory keeps about one person: its own id for them, and whether it deleted them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scim")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(max_length=255, blank=True, default="")
    # The directory's userName when it is not the e-mail address (Entra ID's UPN, for instance).
    user_name = models.CharField(max_length=255, blank=True, default="", db_index=True)
    # The User resource as the directory last sent it (name parts, title, …), returned as it was sent;
    # what Kizuna holds itself (e-mail, name, active, team) is filled in from Kizuna on every read.
    attributes = models.JSONField(default=dict, blank=True)
    # DELETE keeps the person (their records follow the agreement's retention rule) but hides them from SCIM.
    deleted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"scim {self.user_id} ({self.external_id})"


class ScimGroup(models.Model):
    """What the directory keeps about one team (a SCIM group)."""

    team = models.OneToOneField("orgs.Team", on_delete=models.CASCADE, related_name="scim")
    external_id = models.CharField(max_length=255, blank=True, default="")
    # DELETE empties the team and hides it from SCIM; the team stays, with its assignments and history.
    deleted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"scim group {self.team_id} ({self.external_id})"
