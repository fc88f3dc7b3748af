"""The push preferences form: a switch per kind, and quiet hours."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .push import CATEGORIES


class PushPreferencesForm(forms.Form):
    quiet_start = forms.TimeField(label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_end = forms.TimeField(label=_("until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for category, label in CATEGORIES.items():
            self.fields[category] = forms.BooleanField(label=label, required=False)
        # The switches first, in the registry's order.
        self.order_fields([*CATEGORIES, "quiet_start", "quiet_end"])

    def switched_on(self) -> set[str]:
        return {category for category in CATEGORIES if self.cleaned_data.get(category)}
