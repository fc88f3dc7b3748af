"""Forms of the support desk; the services check the rules, these only parse input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.orgs.access import Role

from .models import Ticket
from .services import BODY_MAX, SCREENSHOT_MAX_MB, SUBJECT_MAX


class TicketForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=[("", "---------"), *Ticket.Category.choices])
    subject = forms.CharField(label=_("Your question in a few words"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=_("Details"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you wanted to do, what you did, and what happened."),
    )
    screenshot = forms.FileField(
        label=_("Screenshot (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("A picture of the screen helps us answer faster. PNG or JPEG, at most %(mb)s MB.")
        % {"mb": SCREENSHOT_MAX_MB},
    )
    page_url = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5}))


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=pgettext_lazy("support", "Assigned to"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, team: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = {member.pk: member for member in team}
        self.fields["assignee"].choices = [("", _("Nobody yet")), *((m.pk, m.name) for m in team)]


class QueueFilterForm(forms.Form):
    STATUS_CHOICES = [("open", pgettext_lazy("support status", "Open")), ("", _("All")), *Ticket.Status.choices]
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    assignee = forms.CharField(label=pgettext_lazy("support", "Assigned to"), required=False)


class HelpPageForm(forms.Form):
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=200)
    body_ja = forms.CharField(
        label=_("Text (Japanese)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: a blank line starts a paragraph, “- ” starts a list item, **bold**."),
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    body_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Who is it for?"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )


class HelpSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the help"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
