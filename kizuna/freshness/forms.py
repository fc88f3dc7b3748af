"""Forms of the freshness pages; the services check the rules, these only parse input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContentKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *ContentKind.choices])
    stale = forms.BooleanField(label=_("Only what is due"), required=False)


class FreshnessForm(forms.Form):
    review_by = forms.DateField(label=_("Review by"), required=False, widget=DateInput())
    products = forms.ModelMultipleChoiceField(
        label=_("Products it depends on"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("When one of them changes, this content is flagged for review."),
    )

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products


class ConfirmForm(forms.Form):
    next_review_by = forms.DateField(label=_("Next review by"), widget=DateInput())


class ProductChangedForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Authors see this in their notification and next to each flagged piece of content."),
    )
    certifications = forms.TypedMultipleChoiceField(
        label=_("Also reopen these certifications"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Holders lose the entitlements until they redo the requirements."),
    )

    def __init__(self, *args: Any, certifications: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["certifications"].choices = certifications
        if not certifications:
            del self.fields["certifications"]
