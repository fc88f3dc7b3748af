"""Forms of gamification's screens."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.ops.bounds import bound_integer_fields

from .models import Badge, EventKind


class PointRuleForm(forms.Form):
    kind = forms.ChoiceField(choices=EventKind.choices, widget=forms.HiddenInput)
    points = forms.IntegerField(label=_("Points"), min_value=0, max_value=10000)
    daily_cap = forms.IntegerField(label=_("Daily cap"), min_value=0, max_value=1000)
    threshold = forms.FloatField(label=_("Threshold"), min_value=0, max_value=365, required=False)
    active = forms.BooleanField(label=_("Active"), required=False)


PointRuleFormSet = forms.formset_factory(PointRuleForm, extra=0)


class LevelForm(forms.Form):
    threshold = forms.IntegerField(label=_("Points needed"), min_value=0, max_value=100_000_000, required=False)
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=60, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=60, required=False)


LevelFormSet = forms.formset_factory(LevelForm, extra=2)


class BadgeForm(forms.ModelForm):
    image_upload = forms.FileField(
        label=_("Image (PNG)"),
        required=False,
        help_text=_("Optional. Without one, a round badge in the chosen colour is drawn."),
    )

    class Meta:
        model = Badge
        fields = [
            "slug",
            "name_ja",
            "name_en",
            "description_ja",
            "description_en",
            "criterion",
            "event_kind",
            "amount",
            "course",
            "color",
            "active",
        ]
        widgets = {
            "description_ja": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "color": forms.TextInput(attrs={"type": "color"}),
        }

    def __init__(self, *args: Any, courses: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_integer_fields(self, amount=(1, 1_000_000))
        if courses is not None:
            self.fields["course"].queryset = courses
        self.fields["amount"].help_text = _("How many events, points, days or the score (%) the criterion needs.")


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class KudosForm(forms.Form):
    message = forms.CharField(label=_("Message"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class SpotlightForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"), input_formats=["%Y-%m"]
    )
    email = forms.EmailField(label=_("The rep's e-mail address"))
    note = forms.CharField(label=_("Why"), max_length=300)
