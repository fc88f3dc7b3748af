"""Forms of success stories; the services check the rules, these only parse input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SuccessStory
from .services import ANSWER_MAX, HEADLINE_MAX, NOTE_MAX


class NominateForm(forms.Form):
    rep = forms.ModelChoiceField(label=_("Rep"), queryset=None)
    headline = forms.CharField(
        label=_("The success in one line"),
        max_length=HEADLINE_MAX,
        help_text=_("For example: “Won back a customer who had moved to a competitor”."),
    )
    source = forms.ChoiceField(label=_("Where you saw it"), choices=SuccessStory.Source.choices)
    source_note = forms.CharField(
        label=_("What you saw there"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, reps: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = reps
        self.fields["rep"].label_from_instance = lambda rep: f"{rep.name} · {rep.membership.organization.name}"


class ConsentForm(forms.Form):
    credit = forms.ChoiceField(
        label=_("How may the lesson name you?"),
        choices=SuccessStory.Credit.choices,
        widget=forms.RadioSelect,
        initial=SuccessStory.Credit.NAME,
        help_text=_("Your name is shown only where the principal shows names across agencies."),
    )


def _answer(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=ANSWER_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InterviewForm(forms.Form):
    situation = _answer(_("What was the situation?"), _("The customer, what they needed, what stood in the way."))
    tried = _answer(_("What did you try?"), _("What you said or did, in order."))
    worked = _answer(_("What worked?"), _("The moment it turned, and why you think it did."))
    advice = _answer(_("What would you tell a colleague?"), _("One or two sentences another rep can use tomorrow."))
    transcript = _answer(
        _("What you said in the recording (transcript)"),
        _("If you recorded your answers, write what you said: reps who cannot play sound read it in the lesson."),
    )
