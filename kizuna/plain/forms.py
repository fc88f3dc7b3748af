"""Forms of plain words: a glossary term, the CSV import, the target level."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .analysis import EN_BANDS, JA_BANDS, level_labels
from .glossary_csv import TERM_MAX, TEXT_MAX


class TermForm(forms.Form):
    term_ja = forms.CharField(label=_("Term (Japanese)"), max_length=TERM_MAX, required=False)
    term_en = forms.CharField(label=_("Term (English)"), max_length=TERM_MAX, required=False)
    is_jargon = forms.BooleanField(
        label=_("Insider jargon"),
        required=False,
        help_text=_(
            "Words only the principal's staff use. A lesson cannot be published with one that has no explanation."
        ),
    )
    explanation_ja = forms.CharField(
        label=_("Plain explanation (Japanese)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        required=False,
        help_text=_("As you would say it to a bright 14-year-old."),
    )
    explanation_en = forms.CharField(
        label=_("Plain explanation (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        required=False,
    )
    plain_ja = forms.CharField(label=_("Plain wording (Japanese)"), max_length=TERM_MAX, required=False)
    plain_en = forms.CharField(label=_("Plain wording (English)"), max_length=TERM_MAX, required=False)
    example_ja = forms.CharField(
        label=_("Example (Japanese)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX, required=False
    )
    example_en = forms.CharField(
        label=_("Example (English)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("At most 2 MB and 5,000 terms."))


def _choices(bands: tuple[tuple[float, str], ...]) -> list[tuple[str, str]]:
    labels = level_labels()
    return [(str(bound), labels[band]) for bound, band in bands if bound != float("-inf")]


class TargetForm(forms.Form):
    level_ja = forms.TypedChoiceField(label=_("Japanese texts at least"), coerce=float, choices=())
    level_en = forms.TypedChoiceField(label=_("English texts at least"), coerce=float, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level_ja"].choices = _choices(JA_BANDS)  # type: ignore[attr-defined]
        self.fields["level_en"].choices = _choices(EN_BANDS)  # type: ignore[attr-defined]
