"""The form of a new agreement version: its terms, and for each published course whether it is asked for."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.ops.bounds import bound_integer_fields

from .models import AgreementVersion
from .services import CourseTerm


class AgreementVersionForm(forms.ModelForm):
    class Meta:
        model = AgreementVersion
        fields = [
            "effective_from",
            "min_minutes_per_month",
            "counts_as_work",
            "work_cap_minutes_per_month",
            "evaluation_text",
            "share_rankings",
            "share_reviews",
            "share_community",
            "manager_may_export",
            "retention_days",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "evaluation_text": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "work_cap_minutes_per_month": _("Leave empty for no cap. Only used when learning counts as work."),
            "evaluation_text": _("For example: finishing the required courses is part of the quarterly review."),
            "retention_days": _("Counted from the day the rep is deactivated; then name and e-mail are removed."),
        }

    COURSE_CHOICES = [("", _("Not in the agreement")), ("required", _("Required")), ("optional", _("Optional"))]

    def __init__(self, *args: Any, courses: list[Any], previous: AgreementVersion | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        month = 31 * 24 * 60
        bound_integer_fields(
            self,
            min_minutes_per_month=(0, month),
            work_cap_minutes_per_month=(0, month),
            retention_days=(0, 100 * 366),
        )
        self.course_list = courses
        earlier = {c.course_id: c for c in previous.courses.all()} if previous else {}
        for course in courses:
            term = earlier.get(course.pk)
            self.fields[f"course_{course.pk}"] = forms.ChoiceField(
                label=course.title,
                choices=self.COURSE_CHOICES,
                required=False,
                initial=("required" if term.required else "optional") if term else "",
            )
            self.fields[f"due_{course.pk}"] = forms.DateField(
                label=_("Due"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                initial=term.due_on if term else None,
            )

    @property
    def course_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(c, self[f"course_{c.pk}"], self[f"due_{c.pk}"]) for c in self.course_list]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for course in self.course_list:
            if data.get(f"course_{course.pk}") == "required" and not data.get(f"due_{course.pk}"):
                self.add_error(f"due_{course.pk}", _("Give a required course a due date."))
        if data.get("counts_as_work") is False:
            data["work_cap_minutes_per_month"] = None
        return data

    def course_terms(self) -> list[CourseTerm]:
        terms = []
        for course in self.course_list:
            choice = self.cleaned_data.get(f"course_{course.pk}")
            if choice:
                terms.append(
                    CourseTerm(
                        course=course,
                        required=choice == "required",
                        due_on=self.cleaned_data.get(f"due_{course.pk}") if choice == "required" else None,
                    )
                )
        return terms
