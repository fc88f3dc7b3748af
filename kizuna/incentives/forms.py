"""The admin's form for an incentive rule."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import IncentiveRule


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Achievement"), choices=IncentiveRule.Kind.choices)
    certification = forms.TypedChoiceField(
        label=_("Certification"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty for any certification."),
    )
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=None, required=False, empty_label=_("(any required course)")
    )
    amount_yen = forms.IntegerField(label=_("Amount (yen)"), min_value=1, max_value=10_000_000)
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    effective_to = forms.DateField(
        label=_("Effective until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty while the agreement runs."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from kizuna.catalog.selectors import published_courses
        from kizuna.certification.selectors import certification_choices

        super().__init__(*args, **kwargs)
        self.fields["certification"].choices = [("", _("(any certification)"))] + certification_choices()
        self.fields["course"].queryset = published_courses()
        self.fields["course"].label_from_instance = lambda c: c.latest_version.title
