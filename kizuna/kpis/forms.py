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


class ExperimentPlanForm(forms.Form):
    """What the principal is thinking of rolling out as an experiment, to see what it could detect."""

    # The rates and, as other imported KPIs, the counts per rep and month (`experiments.METRICS`).
    METRICS = (
        ("appointment_rate", _("Appointment rate")),
        ("close_rate", _("Close rate")),
        ("appointments", _("Appointments per rep and month")),
        ("closed", _("Deals closed per rep and month")),
        ("calls", _("Calls per rep and month")),
    )
    METRIC_WORDS = (
        ("appointment_rate", _("appointment rate")),
        ("close_rate", _("close rate")),
        ("appointments", _("appointments")),
        ("closed", _("deals closed")),
        ("calls", _("calls")),
    )
    DESIGNS = (
        ("holdout", _("Holdout: a random share of the reps gets it after the period")),
        ("waves", _("Staggered waves: everyone gets it, in randomly ordered waves")),
    )

    partners = forms.ModelMultipleChoiceField(label=_("Partners"), queryset=None, widget=forms.CheckboxSelectMultiple)  # type: ignore[arg-type]
    metric = forms.ChoiceField(label=_("Primary metric"), choices=METRICS, initial="appointment_rate")
    design = forms.ChoiceField(label=_("Design"), choices=DESIGNS, initial="holdout", widget=forms.RadioSelect)
    period = forms.IntegerField(label=_("Period (months)"), min_value=1, max_value=12, initial=3)
    held_out = forms.IntegerField(label=_("Held out (percent of the reps)"), min_value=10, max_value=90, initial=50)
    waves = forms.IntegerField(label=_("Waves"), min_value=2, max_value=6, initial=3)
    spacing = forms.IntegerField(label=_("Months between waves"), min_value=1, max_value=3, initial=1)

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partners  # type: ignore[attr-defined]


def metric_unit(metric: str) -> str:
    """The unit of a change in the metric: percentage points for a rate, per rep a month for a count."""
    from .experiments import METRICS

    spec = METRICS.get(metric)
    if spec is not None and spec.denominator is None:
        return str(_("per rep a month"))
    return str(_("points"))


class ExperimentStartForm(ExperimentPlanForm):
    """Content rolled out as an experiment: the plan's choices plus what is rolled out and the first month.

    A course (`course`) or any other rollout kind (`rollout`: "kind:id", the kinds of `catalog.rollouts`)."""

    course = forms.ModelChoiceField(
        label=_("Course"), queryset=None, required=False, help_text=_("Only published courses.")
    )  # type: ignore[arg-type]
    rollout = forms.ChoiceField(
        label=_("Or other content"),
        required=False,
        help_text=_("A flash update (a draft), a scenario or a certification requirement, instead of a course."),
    )
    start = MonthField(label=_("First month"), help_text=_("This month or one of the next three."))

    field_order = [
        "course",
        "rollout",
        "partners",
        "metric",
        "design",
        "start",
        "period",
        "held_out",
        "waves",
        "spacing",
    ]

    def __init__(self, *args: Any, partners: Any, courses: Any, **kwargs: Any) -> None:
        from kizuna.catalog.rollouts import rollout_kinds

        super().__init__(*args, partners=partners, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
        groups: list[tuple[str, Any]] = [("", "—")]
        for kind in rollout_kinds():
            if kind.kind != "course":
                choices = [(f"{kind.kind}:{pk}", title) for pk, title in kind.choices()]
                if choices:
                    groups.append((str(kind.label), choices))
        self.fields["rollout"].choices = groups  # type: ignore[attr-defined]
        self.fields["start"].required = True
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        course, rollout = cleaned.get("course"), cleaned.get("rollout")
        if course is None and not rollout and "course" not in self.errors:
            self.add_error("course", _("Choose a course or other content to roll out."))
        elif course is not None and rollout:
            self.add_error("rollout", _("Choose a course or other content, not both."))
        kind, _sep, content = (rollout or "").partition(":")
        cleaned["kind"] = kind or "course"
        cleaned["content_id"] = int(content) if content.isdecimal() else None
        return cleaned
