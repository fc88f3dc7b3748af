"""Forms of a person's own account: their profile, and allauth's password reset refusing SSO-only people."""

from typing import Any

from allauth.account.forms import ResetPasswordForm, ResetPasswordKeyForm
from django import forms
from django.utils.translation import gettext_lazy as _

from . import signin_rules
from .models import User


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("Family name first, e.g. 山田 太郎."))
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[(value, label) for value, label in User.Language.choices if value]
        + [("", User.Language.BROWSER.label)],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("“Browser setting” follows the language of your phone or browser."),
    )


class PasswordResetForm(ResetPasswordForm):
    """allauth's "forgot your password": refused, with the reason, where the organization requires single sign-on."""

    def clean_email(self) -> str:
        email = super().clean_email()
        refusal = signin_rules.password_refusal(email)
        if refusal:
            raise forms.ValidationError(refusal, code="sso_required")
        return email


class PasswordResetKeyForm(ResetPasswordKeyForm):
    """allauth's new password from a reset link: refused once the person's organization requires single sign-on."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        refusal = signin_rules.password_refusal(self.user.email) if self.user is not None else None
        if refusal:
            raise forms.ValidationError(refusal, code="sso_required")
        return cleaned
