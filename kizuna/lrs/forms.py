"""Forms of the LRS's settings pages (principal admins)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.orgs.access import visible_partners

from .forwarding import MAX_BATCH
from .models import LrsForwarder


class ForwarderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Such as the company LRS."))
    endpoint = forms.URLField(
        label=_("LRS endpoint"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The xAPI base address, such as https://lrs.example.com/xapi/ (statements go to …/statements)."),
    )
    username = forms.CharField(label=_("Key (user name)"), max_length=200)
    secret = forms.CharField(
        label=_("Secret (password)"),
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    version = forms.ChoiceField(label=_("xAPI version"), choices=LrsForwarder.Version.choices, initial="1.0.3")
    batch_size = forms.IntegerField(label=_("Statements per request"), min_value=1, max_value=MAX_BATCH, initial=100)

    def __init__(self, *args: Any, user: Any, forwarder: LrsForwarder | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if forwarder is None:
            self.fields["partner"] = forms.ModelChoiceField(
                label=_("Statements to send"),
                queryset=visible_partners(user),
                required=False,
                empty_label=_("Every agency's (all statements)"),
                to_field_name="slug",
                help_text=_("Or only one agency's statements."),
            )
        else:
            self.fields["secret"].required = False
            self.fields["secret"].help_text = _("Saved; never shown. Leave empty to keep it.")
            self.fields["active"] = forms.BooleanField(label=_("Send (untick to pause)"), required=False)
