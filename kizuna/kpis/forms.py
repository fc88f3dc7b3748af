"""Forms of the KPI app: the principal's targets, the spreadsheet upload, and the filters of the read pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Metric, TargetKind
from .periods import parse_month


class MonthField(forms.CharField):
    """A month written as 2026-10 (the browser's <input type="month">)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"})

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(_("Write the month as 2026-10."))
        return month


class TargetForm(forms.Form):
    metric = forms.ChoiceField(label=_("Figure"), choices=Metric.choices)
    value = forms.FloatField(
        label=_("Target"),
        help_text=_(
            "Completion: percent. Quiz score: points out of 100. Appointment rate: the rise over the baseline."
        ),
    )
    kind = forms.ChoiceField(label=_("Rise measured in"), choices=TargetKind.choices, initial=TargetKind.POINTS)
    baseline_from = MonthField(label=_("Baseline from"), required=False)
    baseline_to = MonthField(label=_("Baseline to"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.csv or .xlsx)"),
        help_text=_("UTF-8 or Shift_JIS. The header row may be in Japanese or in English."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
