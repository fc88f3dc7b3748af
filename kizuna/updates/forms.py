"""The form for writing a flash update on a phone, and the rep's answer to its check question."""

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuna.catalog.selectors import products_all, topic_tags
from kizuna.orgs.access import visible_partners, visible_teams

from .models import FlashUpdate
from .services import MAX_OPTIONS, QuestionData

OPTION_FIELDS = [f"option_{n}" for n in range(1, MAX_OPTIONS + 1)]


class Checkboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class UpdateForm(forms.Form):
    """Title, text, a photo or a video, tags, audience, acknowledge-by date and an optional check question.

    Once an update is published (``published=True``) its audience and question are fixed and not in the form.
    """

    title = forms.CharField(label=_("Title"), max_length=120, error_messages={"required": _("Write a title.")})
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Short and to the point. **bold**, lists with -, links as [text](https://…)."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*"}),
        help_text=_("A picture from your phone (JPEG or PNG). Location data is removed."),
    )
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)
    video = forms.FileField(
        label=_("Video"),
        required=False,
        # No `capture` attribute: on phones it forces the camera and hides the camera roll.
        widget=forms.FileInput(attrs={"accept": "video/*"}),
        help_text=_("A short phone video. It is converted for phones after saving; this takes a few minutes."),
    )
    remove_video = forms.BooleanField(label=_("Remove the video"), required=False)
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=products_all(), required=False, empty_label=_("(none)")
    )
    tags = Checkboxes(label=_("Topic tags"), queryset=topic_tags(), required=False)
    audience = forms.ChoiceField(
        label=_("For"),
        # An experiment's audience is set by the experiment (kpis), never chosen here.
        choices=[c for c in FlashUpdate.Audience.choices if c[0] != FlashUpdate.Audience.EXPERIMENT],
        initial=FlashUpdate.Audience.ALL,
        widget=forms.RadioSelect,
    )
    partners = Checkboxes(label=_("Partners"), queryset=visible_partners(None), required=False)
    teams = Checkboxes(label=_("Teams"), queryset=visible_teams(None), required=False)
    ack_due_on = forms.DateField(
        label=_("Acknowledge by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional. Reps who have not pressed “Got it” by the end of this day get a reminder."),
    )
    question_text = forms.CharField(label=_("Question"), max_length=300, required=False)
    option_1 = forms.CharField(label=_("Option 1"), max_length=200, required=False)
    option_2 = forms.CharField(label=_("Option 2"), max_length=200, required=False)
    option_3 = forms.CharField(label=_("Option 3"), max_length=200, required=False)
    option_4 = forms.CharField(label=_("Option 4"), max_length=200, required=False)
    question_correct = forms.TypedChoiceField(
        label=_("Correct option"),
        choices=[(n, str(n)) for n in range(1, MAX_OPTIONS + 1)],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown after answering, whether the answer was right or wrong."),
    )

    def __init__(self, *args: Any, user: Any, update: FlashUpdate | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.update = update
        self.fields["partners"].queryset = visible_partners(user).order_by("name")
        self.fields["teams"].queryset = (
            visible_teams(user).select_related("organization").order_by("organization__name", "name")
        )
        self.fields["teams"].label_from_instance = lambda team: f"{team.organization} / {team.name}"
        self.fields["tags"].label_from_instance = lambda tag: tag.name
        for field in self.fields.values():
            field.template_name = "updates/_field.html"
        if update is None or not update.photo:
            del self.fields["remove_photo"]
        if update is None or not update.video_id:
            del self.fields["remove_video"]
        if update is not None and update.is_published:
            for name in [
                "audience",
                "partners",
                "teams",
                "question_text",
                *OPTION_FIELDS,
                "question_correct",
                "explanation",
            ]:
                del self.fields[name]

    @classmethod
    def initial_for(cls, update: FlashUpdate, question: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": update.title,
            "body": update.body,
            "product": update.product_id,
            "tags": [t.pk for t in update.tags.all()],
            "audience": update.audience,
            "partners": [p.pk for p in update.partners.all()],
            "teams": [t.pk for t in update.teams.all()],
            "ack_due_on": timezone.localtime(update.ack_due_at).date() if update.ack_due_at else None,
        }
        if question is not None:
            initial.update(
                {
                    "question_text": question.text,
                    "question_correct": question.correct,
                    "explanation": question.explanation,
                }
            )
            for n, text in question.numbered_options:
                initial[f"option_{n}"] = text
        return initial

    @property
    def has_question_fields(self) -> bool:
        return "question_text" in self.fields

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_ack_due_on(self) -> Any:
        day = self.cleaned_data.get("ack_due_on")
        unchanged = (
            self.update is not None
            and self.update.ack_due_at
            and day == timezone.localtime(self.update.ack_due_at).date()
        )
        if day is not None and day < timezone.localdate() and not unchanged:
            raise forms.ValidationError(_("Choose today or a later day."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("photo") and cleaned.get("remove_photo"):
            cleaned["remove_photo"] = False
        if cleaned.get("video") and cleaned.get("remove_video"):
            cleaned["remove_video"] = False
        selected = "audience" in self.fields and cleaned.get("audience") == FlashUpdate.Audience.SELECTED
        if selected and not cleaned.get("partners") and not cleaned.get("teams") and "partners" not in self.errors:
            self.add_error("partners", _("Choose at least one partner or team."))
        if self.has_question_fields:
            self._clean_question(cleaned)
        if (self.files.get("photo") or self.files.get("video")) and self.errors:
            # Browsers never send a file twice: say so, so nobody thinks it was kept.
            self.add_error(None, _("Please choose the photo or video again after fixing the rest."))
        return cleaned

    def _clean_question(self, cleaned: dict[str, Any]) -> None:
        texts = [(cleaned.get(name) or "").strip() for name in OPTION_FIELDS]
        question = (cleaned.get("question_text") or "").strip()
        correct = cleaned.get("question_correct")
        cleaned["question"] = None
        if not question and not any(texts):
            return  # no check question
        if not question:
            self.add_error("question_text", _("Write the question, or clear the options."))
        filled = [(n, text) for n, text in enumerate(texts, start=1) if text]
        if len(filled) < 2:
            self.add_error("option_2", _("Write at least two options."))
            return
        if len({text for _n, text in filled}) != len(filled):
            self.add_error("option_2", _("Two options are the same. Make every option different."))
            return
        if correct is None or not texts[correct - 1]:
            self.add_error("question_correct", _("Choose which option is correct."))
            return
        if question:
            positions = [n for n, _text in filled]
            cleaned["question"] = QuestionData(
                text=question,
                options=[text for _n, text in filled],
                correct=positions.index(correct) + 1,
                explanation=(cleaned.get("explanation") or "").strip(),
            )

    def ack_due_at(self) -> datetime | None:
        """Return the end of the chosen day in the current time zone."""
        day = self.cleaned_data.get("ack_due_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


class AnswerForm(forms.Form):
    option = forms.TypedChoiceField(
        label=_("Your answer"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the answers."), "invalid_choice": _("Choose one of the answers.")},
    )

    def __init__(self, *args: Any, question: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = question.numbered_options


class ReportFilterForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("Partner"), coerce=int, required=False, empty_value=None)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, partners: list[Any], teams: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("All partners")), *[(p.pk, p.name) for p in partners]]
        self.fields["team"].choices = [("", _("All teams")), *[(t.pk, f"{t.organization} / {t.name}") for t in teams]]
        for field in self.fields.values():
            field.template_name = "updates/_field.html"
