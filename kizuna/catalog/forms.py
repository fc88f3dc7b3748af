"""Forms of the author's studio and the admin's assignment screen."""

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuna.media.forms import VideoChoiceField
from kizuna.media.selectors import videos_for_studio
from kizuna.orgs.access import visible_partners, visible_reps, visible_teams

from . import selectors
from .kinds import content_kind
from .models import Assignment, Course, LessonKind, Module, Product, Tag

TOPIC_NAME_SEPARATORS = re.compile(r"[,、，]")


class StudioForm(forms.Form):
    """A form whose fields render in a spaced ``.field`` box each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = "catalog/_field.html"


class TagCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Tag) -> str:  # type: ignore[override]
        return obj.name


class CourseForm(StudioForm):
    """The course fields an author edits; the code is set once, when the course is created."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False, empty_label=_("(none)")
    )
    story_tags = TagCheckboxes(label=_("Story tags"), queryset=Tag.objects.none(), required=False)
    topic_tags = TagCheckboxes(label=_("Topic tags"), queryset=Tag.objects.none(), required=False)
    new_topic_tags = forms.CharField(
        label=_("New topic tags"),
        required=False,
        max_length=500,
        help_text=_("Comma separated, for example: closing, objection handling"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.order_by("name")
        self.fields["story_tags"].queryset = selectors.story_tags()
        self.fields["topic_tags"].queryset = selectors.topic_tags()

    @classmethod
    def initial_for(cls, course: Course) -> dict[str, Any]:
        tags = list(course.tags.all())
        return {
            "title": course.title,
            "summary": course.summary,
            "product": course.product_id,
            "story_tags": [t.pk for t in tags if t.kind == Tag.Kind.STORY],
            "topic_tags": [t.pk for t in tags if t.kind == Tag.Kind.TOPIC],
        }

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def new_topic_tag_names(self) -> list[str]:
        raw = self.cleaned_data.get("new_topic_tags") or ""
        return [name.strip() for name in TOPIC_NAME_SEPARATORS.split(raw) if name.strip()]

    def chosen_tags(self) -> list[Tag]:
        return [*self.cleaned_data["story_tags"], *self.cleaned_data["topic_tags"]]


class CourseCreateForm(CourseForm):
    slug = forms.SlugField(
        label=_("Code"),
        max_length=80,
        help_text=_("Letters, digits and hyphens, for example: product-basics. It cannot be changed later."),
    )
    field_order = ["title", "slug", "summary", "product", "story_tags", "topic_tags", "new_topic_tags"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if Course.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A course with this code already exists. Choose another code."))
        return slug


class TitleForm(StudioForm):
    title = forms.CharField(label=_("Title"), max_length=200)

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()


def _minutes_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Estimated minutes"),
        min_value=1,
        max_value=600,
        initial=5,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class LessonForm(StudioForm):
    """A lesson's fields; which of body and video appear depends on the lesson's kind."""

    title = forms.CharField(label=_("Title"), max_length=200)
    estimated_minutes = _minutes_field()
    body = forms.CharField(
        label=_("Body (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Headings with ##, lists with -, **bold**, links as [text](https://…)."),
    )
    video = VideoChoiceField(
        label=_("Video"),
        queryset=videos_for_studio(None),
        required=False,
        empty_label=_("(choose later)"),
        help_text=_("Only ready videos can be published; a video still processing may be chosen now."),
    )

    content = forms.TypedChoiceField(label=_("Content"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, kind: str, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        owner = content_kind(kind)
        if kind == LessonKind.VIDEO or (owner and owner.uses_video):
            self.fields["video"].queryset = videos_for_studio(user).order_by("-created_at")
        else:
            del self.fields["video"]
        if kind == LessonKind.VIDEO:
            del self.fields["body"]
        if owner is None:
            del self.fields["content"]
        else:
            self.fields["content"].choices = [("", _("(choose later)")), *owner.choices(user)]
            self.fields["body"].label = _("Notes shown with the lesson (Markdown, optional)")

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()


class LessonUseForm(StudioForm):
    """Where to put a quiz, scenario, survey or video as a new lesson: a course's module, the title and the time."""

    module = forms.TypedChoiceField(label=_("Course and module"), coerce=int)
    title = forms.CharField(label=_("Lesson title"), max_length=200)
    estimated_minutes = _minutes_field()

    def __init__(self, *args: Any, offer: selectors.LessonOffer, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"title": offer.title[:200], "estimated_minutes": offer.estimated_minutes})
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", _("(choose a module)")), *selectors.module_choices()]

    def clean_module(self) -> Module:
        try:
            return Module.objects.select_related("course").get(pk=self.cleaned_data["module"])
        except Module.DoesNotExist:
            raise forms.ValidationError(_("Choose a module of a course.")) from None

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()


class ProductForm(StudioForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Code"), max_length=60, help_text=_("Letters, digits and hyphens."))

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if Product.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A product with this code already exists. Choose another code."))
        return slug


class TopicTagForm(StudioForm):
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100)

    def __init__(self, *args: Any, tag: Tag | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tag = tag

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        names = [cleaned.get("name_ja", "").strip(), cleaned.get("name_en", "").strip()]
        cleaned["name_ja"], cleaned["name_en"] = names
        taken = selectors.topic_tags().filter(name_ja__in=names) | selectors.topic_tags().filter(name_en__in=names)
        if self.tag is not None:
            taken = taken.exclude(pk=self.tag.pk)
        if all(names) and taken.exists():
            raise forms.ValidationError(_("A topic tag with this name already exists."))
        return cleaned


class AssignmentForm(StudioForm):
    """Assign a published course to a whole partner, one team, or one rep (found by e-mail)."""

    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none(), help_text=_("Only published courses can be assigned.")
    )
    target = forms.ChoiceField(
        label=_("Assign to"), choices=Assignment.Target.choices, initial="partner", widget=forms.RadioSelect
    )
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=visible_partners(None), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=visible_teams(None), required=False)
    rep_email = forms.EmailField(
        label=_("Rep's e-mail address"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required courses need a due date; the course is due at the end of that day."),
    )
    as_experiment = forms.BooleanField(
        label=_("As an experiment"),
        required=False,
        help_text=_("Draw the partner's reps at random into a holdout or waves, to measure what the course changes."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["course"].queryset = selectors.published_courses()
        self.fields["partner"].queryset = visible_partners(user).order_by("name")
        self.fields["team"].queryset = (
            visible_teams(user).select_related("organization").order_by("organization__name", "name")
        )
        self.fields["team"].label_from_instance = lambda team: f"{team.organization} / {team.name}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        target = cleaned.get("target")
        cleaned["rep"] = None
        if target == Assignment.Target.PARTNER and not cleaned.get("partner"):
            self.add_error("partner", _("Choose the partner."))
        elif target == Assignment.Target.TEAM and not cleaned.get("team"):
            self.add_error("team", _("Choose the team."))
        elif target == Assignment.Target.REP and "rep_email" not in self.errors:
            email = (cleaned.get("rep_email") or "").strip().lower()
            rep = visible_reps(self.user).filter(email=email).first() if email else None
            if rep is None:
                self.add_error("rep_email", _("No rep has this e-mail address. Check the address."))
            cleaned["rep"] = rep
        if cleaned.get("as_experiment"):
            if target != Assignment.Target.PARTNER:
                self.add_error("as_experiment", _("An experiment draws among a partner's reps: choose a partner."))
            return cleaned  # the experiment sets the due dates as it gives the course
        if cleaned.get("required") and not cleaned.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", _("Required courses need a due date."))
        return cleaned

    def due_at(self) -> datetime | None:
        """Return the end of the chosen day in the current time zone."""
        day = self.cleaned_data.get("due_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))

    def target_kwargs(self) -> dict[str, Any]:
        target = self.cleaned_data["target"]
        if target == Assignment.Target.REP:
            return {"rep": self.cleaned_data["rep"]}
        if target == Assignment.Target.TEAM:
            return {"team": self.cleaned_data["team"]}
        return {"partner": self.cleaned_data["partner"]}


class AssignmentFilterForm(StudioForm):
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=visible_partners(None), required=False, empty_label=_("All partners")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = visible_partners(user).order_by("name")
