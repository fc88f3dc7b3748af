"""Forms of single sign-on: the e-mail on the sign-in page, and the admin's provider settings."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class SsoStartForm(forms.Form):
    email = forms.EmailField(label=_("Work e-mail"), max_length=254)


class IdentityProviderForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example “Microsoft Entra ID”."))
    discovery_url = forms.CharField(
        label=_("Issuer or discovery URL"),
        max_length=500,
        help_text=_(
            "https://login.microsoftonline.com/<tenant id>/v2.0, https://<your domain>.okta.com, https://accounts.google.com"
        ),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=191)
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the secret already saved."),
    )
    email_domains = forms.CharField(
        label=_("E-mail domains"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. People whose address ends in one of them sign in through this provider."),
    )
    sso_required = forms.BooleanField(
        label=_("Require single sign-on (passwords are refused for this organization's people)"), required=False
    )
    role_claim = forms.CharField(
        label=_("Role claim"),
        max_length=100,
        required=False,
        help_text=_("The claim whose value is the Kizuna role (manager, rep; admin, author, coach for the principal)."),
    )
    team_claim = forms.CharField(
        label=_("Team claim"),
        max_length=100,
        required=False,
        help_text=_("The claim whose value is the name of the person's team (optional)."),
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class SamlIdentityProviderForm(forms.Form):
    """A SAML identity provider: its metadata XML, or its entity ID, sign-in URL and signing certificate."""

    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example “Microsoft Entra ID”."))
    metadata_url = forms.CharField(
        label=_("IdP metadata URL"),
        max_length=1000,
        required=False,
        help_text=_(
            "https://… (Entra ID: App Federation Metadata Url; Okta: Metadata URL). Kizuna reads it now and every "
            "night, so a new certificate of the provider is taken automatically."
        ),
    )
    metadata_xml = forms.CharField(
        label=_("IdP metadata XML"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Or paste the federation metadata XML; or leave both empty and fill in the fields below."),
    )
    entity_id = forms.CharField(label=_("IdP entity ID (issuer)"), max_length=1024, required=False)
    sso_url = forms.CharField(label=_("IdP sign-in (SSO) URL"), max_length=1000, required=False)
    slo_url = forms.CharField(
        label=_("IdP sign-out (SLO) URL"),
        max_length=1000,
        required=False,
        help_text=_("Optional: signing out of Kizuna then signs out of the identity provider too."),
    )
    x509cert = forms.CharField(
        label=_("IdP signing certificate"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("X.509, Base64 or PEM (-----BEGIN CERTIFICATE-----)."),
    )
    email_domains = IdentityProviderForm.base_fields["email_domains"]
    sso_required = IdentityProviderForm.base_fields["sso_required"]
    role_claim = forms.CharField(
        label=_("Role attribute"),
        max_length=100,
        required=False,
        help_text=_(
            "The attribute whose value is the Kizuna role (manager, rep; admin, author, coach for the principal)."
        ),
    )
    team_claim = forms.CharField(
        label=_("Team attribute"),
        max_length=100,
        required=False,
        help_text=_("The attribute whose value is the name of the person's team (optional)."),
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
