"""Forms of coaching: the roleplay and its rubric, targeting, reviews and comments."""

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from kizuna.ops.bounds import BIGINT_MAX, bound_integer_fields
from kizuna.orgs.models import Organization, Team

from .models import Criterion, Roleplay
from .services import CriterionInput


class RoleplayForm(forms.ModelForm):
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Roleplay
        fields = [
            "title",
            "situation",
            "persona",
            "goal",
            "pass_threshold",
            "review_by_coach",
            "review_by_manager",
            "peer_count",
            "review_days",
            "due_at",
        ]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 4}),
            "persona": forms.Textarea(attrs={"rows": 4}),
            "goal": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_integer_fields(self, pass_threshold=(0, 100), peer_count=(0, 20), review_days=(0, 365))


class CriterionForm(forms.Form):
    title = forms.CharField(label=_("Criterion"), max_length=200, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=10, initial=1, required=False)
    levels = forms.CharField(
        label=_("Levels, lowest first (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def criterion(self) -> CriterionInput | None:
        data = self.cleaned_data
        if not (data.get("title") or "").strip() and not (data.get("levels") or "").strip():
            return None
        return CriterionInput(
            title=data.get("title") or "",
            weight=data.get("weight") or 1,
            levels=(data.get("levels") or "").splitlines(),
        )


CriterionFormSet = formset_factory(CriterionForm, extra=0, max_num=10)


def criterion_initial(criteria: list[Criterion], *, blank: int = 2) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"title": c.title, "weight": c.weight, "levels": "\n".join(c.levels)} for c in criteria
    ]
    return rows + [{"weight": 1} for _i in range(blank)]


class TargetForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Organization.objects.filter(kind=Organization.Kind.PARTNER), required=False
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.filter(organization__kind=Organization.Kind.PARTNER).select_related("organization"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("partner") and not data.get("team"):
            raise forms.ValidationError(_("Choose a partner or a team."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    at_second = forms.IntegerField(label=_("Second"), min_value=0, max_value=24 * 3600, required=False, initial=0)
    parent = forms.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    """One level and one reason per criterion, plus overall feedback."""

    feedback = forms.CharField(label=_("Overall feedback"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"level_{c.pk}"] = forms.TypedChoiceField(
                label=c.title,
                choices=[(i + 1, f"{i + 1}. {text}") for i, text in enumerate(c.levels)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level.")},
            )
            self.fields[f"reason_{c.pk}"] = forms.CharField(
                label=_("Reason"),
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=4000,
                error_messages={"required": _("Write a reason.")},
            )

    def rows(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"level_{c.pk}"], self[f"reason_{c.pk}"]) for c in self.criteria]

    def levels(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"level_{c.pk}"] for c in self.criteria}

    def reasons(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"reason_{c.pk}"] for c in self.criteria}
