"""Forms of the partner and people screens; the services check the rules, these only parse input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Membership, NameDisplay, Organization, Team
from .selectors import organizations_all, teams_all
from .services import IMPORT_MAX_BYTES, roles_for

Role = Membership.Role


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Partner name"), max_length=200)
    slug = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lowercase letters, digits and hyphens, for example partner-a. Used in CSV files."),
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=200)


class TeamSelect(forms.Select):
    """A team list that tells the browser each team's organization, so the form can hide other teams."""

    def __init__(self, *args: Any, organization_of: dict[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization_of = organization_of or {}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        organization_id = self.organization_of.get(str(value))
        if organization_id is not None:
            option["attrs"]["data-organization"] = str(organization_id)
        return option


class RoleSelect(forms.Select):
    """A role list that tells the browser which kind of organization each role belongs to."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value in Membership.PRINCIPAL_ROLES:
            option["attrs"]["data-kind"] = Organization.Kind.PRINCIPAL
        elif value in Membership.PARTNER_ROLES:
            option["attrs"]["data-kind"] = Organization.Kind.PARTNER
        return option


def _team_choices(teams: list[Team]) -> list[Any]:
    """Group the teams under their organization's name."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for team in teams:
        groups.setdefault(team.organization.name, []).append((str(team.pk), team.name))
    return [("", _("No team")), *groups.items()]


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("Family name first, e.g. 山田 太郎."))
    email = forms.EmailField(label=_("E-mail address"), help_text=_("They sign in with this address."))
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    team = forms.ChoiceField(label=_("Team"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices], widget=RoleSelect)
    send_invitation = forms.BooleanField(
        label=_("Send an invitation e-mail now"),
        required=False,
        initial=True,
        help_text=_("The e-mail has a link with which they set their password and sign in."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = organizations_all()
        self.fields["organization"].queryset = organizations
        self.fields["organization"].widget.attrs["data-kinds"] = ",".join(f"{o.pk}:{o.kind}" for o in organizations)
        self.teams = {str(t.pk): t for t in teams_all()}
        self.fields["team"].choices = _team_choices(list(self.teams.values()))
        self.fields["team"].widget = TeamSelect(
            choices=self.fields["team"].choices,
            organization_of={pk: t.organization_id for pk, t in self.teams.items()},
        )

    def clean_team(self) -> Team | None:
        value = self.cleaned_data.get("team")
        return self.teams.get(value) if value else None


class PersonEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    team = forms.ChoiceField(label=_("Team"), required=False)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(t.pk): t for t in organization.teams.all()}
        self.fields["team"].choices = [("", _("No team")), *((pk, t.name) for pk, t in self.teams.items())]
        self.fields["role"].choices = [(r, Role(r).label) for r in roles_for(organization)]

    def clean_team(self) -> Team | None:
        value = self.cleaned_data.get("team")
        return self.teams.get(value) if value else None


class PeopleFilterForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organization"), required=False, coerce=int, empty_value=None)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        if len(organizations) > 1:
            self.fields["organization"].choices = [
                ("", _("All organizations")),
                *((o.pk, o.name) for o in organizations),
            ]
        else:
            del self.fields["organization"]
            self.fields["role"].choices = [
                ("", _("All roles")),
                *((r, Role(r).label) for r in Membership.PARTNER_ROLES),
            ]


class PeopleImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("At most 2 MB and 1,000 people."))
    send_invitations = forms.BooleanField(
        label=_("Send everyone an invitation e-mail"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if file.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most 2 MB). Split it into several files and upload them one by one.")
            )
        return file


class SharingPolicyForm(forms.Form):
    community_names = forms.ChoiceField(label=_("Community"), choices=NameDisplay.choices)
    ranking_names = forms.ChoiceField(label=_("Rankings"), choices=NameDisplay.choices)
    review_names = forms.ChoiceField(label=_("Roleplay reviews"), choices=NameDisplay.choices)


class SecurityPolicyForm(forms.Form):
    mfa_roles = forms.MultipleChoiceField(
        label=_("Roles that must use a second factor"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with these roles are led to set one up at their next sign-in, before anything else."),
    )
