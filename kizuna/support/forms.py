"""Forms of the support desk; the services check the rules, these only parse input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
