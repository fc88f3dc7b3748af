"""Forms of the community: a question, an answer, a reason (hide, report) and the list's filters."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.catalog.selectors import products_all, topic_tags

from .services import BODY_MAX, REASON_MAX, TITLE_MAX

MARKDOWN_HELP = _("**bold**, lists with -, links as [text](https://…).")
IMAGE_HELP = _("Optional. A picture from your phone (JPEG or PNG). Location data is removed.")


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = "community/_field.html"


class QuestionForm(_Form):
    title = forms.CharField(
        label=pgettext_lazy("community", "Question"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Write your question in one sentence.")},
        help_text=_("One sentence, e.g. “How do I answer when a customer says it is too expensive?”"),
    )
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=products_all(), required=False, empty_label=_("(none)")
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=topic_tags(), required=False, widget=forms.CheckboxSelectMultiple
    )
    image = forms.FileField(
        label=_("Photo"), required=False, widget=forms.FileInput(attrs={"accept": "image/*"}), help_text=IMAGE_HELP
    )
    remove_image = forms.BooleanField(label=_("Remove the photo"), required=False)

    def __init__(self, *args: Any, has_image: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tags"].label_from_instance = lambda tag: tag.name
        if not has_image:
            del self.fields["remove_image"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.files.get("image") and self.errors:
            self.add_error(None, _("Please choose the photo again after fixing the rest."))
        return cleaned


class AnswerForm(_Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your answer.")},
        help_text=MARKDOWN_HELP,
    )
    image = forms.FileField(
        label=_("Photo"), required=False, widget=forms.FileInput(attrs={"accept": "image/*"}), help_text=IMAGE_HELP
    )
    remove_image = forms.BooleanField(label=_("Remove the photo"), required=False)

    def __init__(self, *args: Any, has_image: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_image:
            del self.fields["remove_image"]


class ReasonForm(_Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the reason.")},
    )


class HideForm(ReasonForm):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write why the post is hidden.")},
        help_text=_("The author and moderators see this reason."),
    )


class ListFilterForm(_Form):
    SHOW_CHOICES = [
        ("", _("All")),
        ("unanswered", _("Unanswered")),
        ("following", _("Following")),
        ("mine", _("My questions")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    product = forms.ModelChoiceField(label=_("Product"), queryset=products_all(), required=False, empty_label=_("All"))
    tag = forms.ModelChoiceField(label=_("Topic"), queryset=topic_tags(), required=False, empty_label=_("All"))
    show = forms.ChoiceField(label=_("Show"), choices=SHOW_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].label_from_instance = lambda tag: tag.name
        self.fields["q"].widget.input_type = "search"
