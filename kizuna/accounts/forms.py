"""Forms of a person's own account: their profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
