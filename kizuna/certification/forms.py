"""Forms of certifications, entitlements and webhook endpoints (principal admin)."""

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.catalog.models import Product
from kizuna.orgs.access import visible_partners

from .models import Certification, Entitlement, Requirement, WebhookEndpoint


class CertificationForm(forms.Form):
    slug = forms.SlugField(
        label=_("Code"), max_length=60, help_text=_("Letters, digits and hyphens, such as cloud-pro.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False, empty_label=_("(none)")
    )
    skill = forms.CharField(
        label=_("Skill"),
        max_length=200,
        required=False,
        help_text=_("When it certifies a skill rather than a product."),
    )
    validity_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=100 * 366,
        required=False,
        help_text=_("Leave empty if it never expires."),
    )
    reminder_days = forms.IntegerField(
        label=_("Remind this many days before expiry"), min_value=0, max_value=366, initial=30
    )
    entitlements = forms.ModelMultipleChoiceField(
        label=_("Entitlements granted"),
        queryset=Entitlement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to offer it to every partner."),
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.order_by("name")
        self.fields["entitlements"].queryset = Entitlement.objects.order_by("name")
        self.fields["partners"].queryset = visible_partners(user).order_by("name")
        if editing:
            del self.fields["slug"]


@dataclass(frozen=True)
class ScoredLesson:
    """A scored lesson offered where quizzes are: what the view reads of a quiz (its key and title)."""

    key: uuid.UUID
    title: str


class RequirementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Requirement"), choices=Requirement.Kind.choices)
    course = forms.ChoiceField(label=_("Course"), required=False)
    quiz = forms.ChoiceField(label=_("Quiz or package"), required=False)
    min_score = forms.IntegerField(
        label=_("Minimum score (%)"),
        min_value=0,
        max_value=100,
        initial=80,
        required=False,
        help_text=_("0 means: a pass is enough."),
    )
    roleplay = forms.ChoiceField(label=_("Roleplay"), required=False)
    as_experiment = forms.BooleanField(
        label=_("As an experiment"),
        required=False,
        help_text=_(
            "It applies to no one at first: next you choose the partners, the metric and a design, and reps drawn at "
            "random get it now, later or in waves."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from kizuna.assessments.selectors import quizzes_all
        from kizuna.catalog.selectors import published_courses, scored_lesson_choices
        from kizuna.coaching.selectors import roleplay_choices

        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.courses = {str(c.pk): c for c in published_courses()}
        self.quizzes: dict[str, Any] = {
            str(q.key): q for q in quizzes_all().filter(latest_version__isnull=False, micro=False)
        }
        # A scored lesson (a SCORM package or cmi5 course) is required by its score like a quiz, by its key.
        for key, title in scored_lesson_choices():
            self.quizzes[str(key)] = ScoredLesson(key=key, title=title)
        self.roleplays = {str(pk): title for pk, title in roleplay_choices()}
        self.fields["course"].choices = blank + [(k, c.latest_version.title) for k, c in self.courses.items()]
        self.fields["quiz"].choices = blank + [(k, q.title) for k, q in self.quizzes.items()]
        self.fields["roleplay"].choices = blank + list(self.roleplays.items())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        needed = {
            "course": _("Choose the course to finish."),
            "quiz": _("Choose the quiz."),
            "roleplay": _("Choose the roleplay."),
        }
        if kind in needed and not data.get(kind):
            self.add_error(kind, needed[kind])
        return data


class ReopenForm(forms.Form):
    requirements = forms.ModelMultipleChoiceField(
        label=_("What changed (holders must redo these)"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("What changed, for the reps"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, certification: Certification, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirements"].queryset = certification.requirements.order_by("kind", "id")
        self.fields["requirements"].label_from_instance = lambda r: f"{r.get_kind_display()}: {r.label}"


class EntitlementForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=60, help_text=_("What the sales systems see, such as sell-cloud-pro.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("URL"), max_length=500, assume_scheme="https", help_text=_("http:// or https:// only.")
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(e, e) for e in WebhookEndpoint.EVENTS],
        initial=list(WebhookEndpoint.EVENTS),
        widget=forms.CheckboxSelectMultiple,
    )
