"""The principal admin's form for a provisioning token."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ScimTokenForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, empty_label=None)
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        initial="SCIM",
        help_text=_("What the token is for, for example “Entra ID” or “Okta”."),
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
