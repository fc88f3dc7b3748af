"""Single sign-on per organization: the identity providers of the principal and of each agency."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityProvider(models.Model):
    """One OpenID Connect or SAML provider of one organization, the e-mail domains it covers and how its claims map.

    The protocol itself is django-allauth's (`socialaccount`, its OpenID Connect and SAML providers): `app`
    holds the discovery URL, client id and secret (OIDC) or the IdP's entity id, sign-in URL and certificate
    (SAML, in `app.settings`); its `provider_id` names this provider in allauth's URLs. For SAML the role and
    team "claims" are attribute names.
    """

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="identity_providers")
    app = models.OneToOneField("socialaccount.SocialApp", on_delete=models.CASCADE, related_name="identity_provider")
    name = models.CharField(_("name"), max_length=100)
    # Lowercase, one per line: the people whose address ends in one of them sign in here.
    email_domains = models.TextField(_("e-mail domains"))
    sso_required = models.BooleanField(_("require single sign-on (refuse passwords)"), default=False)
    role_claim = models.CharField(_("role claim"), max_length=100, blank=True, default="roles")
    team_claim = models.CharField(_("team claim"), max_length=100, blank=True, default="")
    # SAML: where the IdP's metadata is fetched from (daily, by the scheduled job), and how the last fetch went.
    metadata_url = models.URLField(_("IdP metadata URL"), max_length=1000, blank=True, default="")
    metadata_refreshed_at = models.DateTimeField(null=True, blank=True)
    metadata_error = models.CharField(max_length=40, blank=True, default="")  # a code of metadata.py's
    metadata_error_detail = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__kind", "organization__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def domains(self) -> list[str]:
        return [d for d in self.email_domains.split() if d]

    @property
    def is_saml(self) -> bool:
        return self.app.provider == "saml"


class SamlAssertionUse(models.Model):
    """A SAML assertion that signed someone in: its ID is kept until it expires, so it is never accepted twice."""

    provider_id = models.CharField(max_length=200)  # allauth's provider id of the IdP that issued it
    assertion_id = models.CharField(max_length=255)
    used_at = models.DateTimeField(auto_now_add=True)
    keep_until = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider_id", "assertion_id"], name="sso_assertion_used_once"),
        ]

    def __str__(self) -> str:
        return self.assertion_id


class SamlSession(models.Model):
    """A sign-in through a SAML IdP, kept while it may last, so that the IdP's sign-out (Single Logout) ends it.

    The IdP names the person by NameID and its own session by SessionIndex; Kizuna's session is `session_key`.
    """

    provider_id = models.CharField(max_length=200)  # allauth's provider id (the client_id in the SAML URLs)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40)
    name_id = models.CharField(max_length=1024)
    name_id_format = models.CharField(max_length=255, blank=True, default="")
    name_qualifier = models.CharField(max_length=1024, blank=True, default="")
    sp_name_qualifier = models.CharField(max_length=1024, blank=True, default="")
    session_index = models.CharField(max_length=1024, blank=True, default="")
    started_at = models.DateTimeField(auto_now_add=True)
    keep_until = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["provider_id", "name_id"], name="sso_samlsession_name_id")]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.name_id}"
