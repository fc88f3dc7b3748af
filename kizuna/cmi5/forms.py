"""The studio's cmi5 import form."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kizuna.packages.forms import PackageImportForm

from .models import Au, Registration

# The cmi5 reasons (the values the statement carries), each with its label in the user's language.
WAIVER_REASON_CHOICES = [
    ("Tested Out", _("Tested Out (passed a test instead)")),
    ("Equivalent AU", _("Equivalent AU (took an equivalent AU)")),
    ("Equivalent Outside Activity", _("Equivalent Outside Activity (learned it elsewhere)")),
    ("Administrative", _("Administrative")),
]


class Cmi5ImportForm(PackageImportForm):
    file = forms.FileField(
        label=_("cmi5 course package (.zip or cmi5.xml)"),
        help_text=_(
            "A zip with cmi5.xml at its top, as your authoring tool exports it, or a cmi5.xml whose AUs are on the web."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.xml,application/zip,text/xml,application/xml"}),
    )


class RegistrationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Registration) -> str:
        rep = obj.rep
        return f"{rep.name} <{rep.email}>" if rep.name else rep.email


class AuChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Au) -> str:
        return obj.title


class Cmi5WaiveForm(forms.Form):
    registration = RegistrationChoiceField(
        label=_("Rep"),
        queryset=Registration.objects.none(),
        empty_label=_("Choose a rep"),
        help_text=_("Reps who launched this cmi5 course at least once."),
    )
    au = AuChoiceField(label=_("AU"), queryset=Au.objects.none(), empty_label=_("Choose an AU"))
    reason = forms.ChoiceField(label=_("Reason"), choices=WAIVER_REASON_CHOICES)

    def __init__(
        self, *args: object, registrations: QuerySet[Registration], aus: QuerySet[Au], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["registration"].queryset = registrations  # type: ignore[attr-defined]
        self.fields["au"].queryset = aus  # type: ignore[attr-defined]
