"""Forms of field voice (the rep's one-minute entry, the staff's answer and conversions, the report's filter)
and of content feedback (the rep's widget on the lesson page, the author's "handled" note)."""

import uuid
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.catalog.selectors import products_all, topic_tags

from .models import FieldVoice
from .services import MAX_TEXT


class Checkboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


def _blank(choices: Any, label: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class FieldVoiceForm(forms.Form):
    submission_id = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("What did you hear?"),
        choices=FieldVoice.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you heard: a question, an objection or a competitor's offer.")},
    )
    text = forms.CharField(
        label=_("In the customer's words"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what the customer said.")},
    )
    product = forms.ModelChoiceField(label=_("Product"), queryset=products_all(), required=False, empty_label="—")
    deal_stage = forms.ChoiceField(
        label=_("Deal stage"), choices=_blank(FieldVoice.DealStage.choices, "—"), required=False
    )
    industry = forms.ChoiceField(
        label=_("Customer industry"), choices=_blank(FieldVoice.Industry.choices, "—"), required=False
    )
    tags = Checkboxes(label=_("Topics"), queryset=topic_tags(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_id", uuid.uuid4())


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=pgettext_lazy("field voice", "Answer"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the answer.")},
    )


class ToLessonForm(forms.Form):
    module = forms.TypedChoiceField(label=_("Course and module"), coerce=int)
    lesson_kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("article", _("article")), ("micro", _("micro lesson"))],
        initial="article",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, modules: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = modules


class ToScenarioForm(forms.Form):
    scenario = forms.TypedChoiceField(label=_("Scenario"), coerce=int)

    def __init__(self, *args: Any, scenarios: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = scenarios


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=_blank(FieldVoice.Status.choices, _("All")), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(FieldVoice.Kind.choices, _("All")), required=False)
    product = forms.ModelChoiceField(label=_("Product"), queryset=products_all(), required=False, empty_label=_("All"))
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, required=False, empty_label=_("All"))

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        if partners.count() <= 1:
            del self.fields["partner"]


class ReportFilterForm(InboxFilterForm):
    since = forms.DateField(
        label=pgettext_lazy("period", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=pgettext_lazy("period", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, partners=partners, **kwargs)
        del self.fields["status"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date. Swap them and try again."))
        if since and until and (until - since).days > 366 * 3:
            raise forms.ValidationError(_("Choose a period of at most three years."))
        return data

    def period(self, default: tuple[date, date]) -> tuple[date, date]:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("since") or default[0], data.get("until") or default[1]


class LessonFeedbackForm(forms.Form):
    submission_id = forms.UUIDField(widget=forms.HiddenInput)
    worked = forms.TypedChoiceField(
        label=_("Did this lesson work with your customers?"),
        choices=[("yes", _("It worked")), ("no", _("It didn't work"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose “It worked” or “It didn't work”.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened with the customer? What would help?"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_id", uuid.uuid4())


class HandleForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what changed (or why nothing changed).")},
        help_text=_("The rep sees this note on the lesson."),
    )
