"""Forms of the survey studio: the survey, a question, and sending it to partners."""

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.orgs.models import Organization, Team

from .models import QuestionKind


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown above the questions: why you ask and how long it takes."),
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)
    text = forms.CharField(label=pgettext_lazy("survey", "Question"), max_length=300)
    options = forms.CharField(
        label=_("Choices (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only for “One choice” and “Several choices”."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)

    def option_list(self) -> list[str]:
        return self.cleaned_data["options"].splitlines()


class SendForm(forms.Form):
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Organization.objects.filter(kind=Organization.Kind.PARTNER),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Or only these teams"),
        queryset=Team.objects.filter(organization__kind=Organization.Kind.PARTNER).select_related("organization"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = forms.DateField(
        label=_("Answer by (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].label_from_instance = lambda t: f"{t.organization.name} / {t.name}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("partners") and not data.get("teams"):
            raise forms.ValidationError(_("Choose at least one partner or team."))
        return data

    def due_at(self) -> datetime | None:
        day = self.cleaned_data.get("due_on")
        if day is None:
            return None
        return datetime.combine(day, time(23, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))
