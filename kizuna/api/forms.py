"""The admin's form for making an integration token."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.orgs.access import visible_people


class ApiTokenForm(forms.Form):
    email = forms.EmailField(
        label=_("Person’s e-mail address"),
        help_text=_("The token acts as this person and sees exactly what they may see."),
    )
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use it, e.g. “CRM sync”. Shown in this list only."),
    )

    def __init__(self, *args: Any, admin: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.admin = admin
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "inputmode": "email"})

    def clean_email(self) -> Any:
        email = self.cleaned_data["email"].strip()
        person = visible_people(self.admin).filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(_("No one has this e-mail address. Check it against the People list."))
        if not person.is_active:
            raise forms.ValidationError(_("This person’s account is deactivated. Reactivate it first."))
        self.cleaned_data["person"] = person
        return email
