"""Organizations (the principal and its partner agencies), teams and memberships."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    class Kind(models.TextChoices):
        PRINCIPAL = "principal", _("principal")
        PARTNER = "partner", _("partner")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=models.Q(kind="principal"), name="orgs_single_principal")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_principal(self) -> bool:
        return self.kind == self.Kind.PRINCIPAL


class Team(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="orgs_team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's one organization and their role in it."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("principal admin")
        AUTHOR = "author", _("author")
        COACH = "coach", _("coach")
        MANAGER = "manager", _("partner manager")
        REP = "rep", _("rep")

    PRINCIPAL_ROLES = (Role.ADMIN, Role.AUTHOR, Role.COACH)
    PARTNER_ROLES = (Role.MANAGER, Role.REP)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def is_principal_staff(self) -> bool:
        return self.role in self.PRINCIPAL_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_coach(self) -> bool:
        return self.role == self.Role.COACH

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def is_rep(self) -> bool:
        return self.role == self.Role.REP


class NameDisplay(models.TextChoices):
    """How people of another agency are named to a viewer."""

    REAL = "real", _("real names")
    AGENCY = "agency", _("agency name only")
    PSEUDONYM = "pseudonym", _("pseudonyms")


class SharingPolicy(models.Model):
    """The principal's choice of how people are named across agencies, per area (one row)."""

    community_names = models.CharField(
        _("community"), max_length=16, choices=NameDisplay.choices, default=NameDisplay.REAL
    )
    ranking_names = models.CharField(
        _("rankings"), max_length=16, choices=NameDisplay.choices, default=NameDisplay.AGENCY
    )
    review_names = models.CharField(
        _("roleplay reviews"), max_length=16, choices=NameDisplay.choices, default=NameDisplay.PSEUDONYM
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "sharing policy"


class PartnerSharing(models.Model):
    """What one partner takes part in across agencies, as its agreement says."""

    partner = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="sharing")
    rankings = models.BooleanField(_("cross-agency rankings"), default=False)
    reviews = models.BooleanField(_("cross-agency peer review"), default=False)
    community = models.BooleanField(_("cross-agency community"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"sharing of {self.partner}"


class SecurityPolicy(models.Model):
    """The principal admin's sign-in rules (one row): the roles that must use a second factor."""

    mfa_roles = models.JSONField(_("roles that must use a second factor"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "security policy"
