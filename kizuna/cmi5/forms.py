"""The studio's cmi5 import form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.packages.forms import PackageImportForm


class Cmi5ImportForm(PackageImportForm):
    file = forms.FileField(
        label=_("cmi5 course package (.zip or cmi5.xml)"),
        help_text=_(
            "A zip with cmi5.xml at its top, as your authoring tool exports it, or a cmi5.xml whose AUs are on the web."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.xml,application/zip,text/xml,application/xml"}),
    )
