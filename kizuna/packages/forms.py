"""The studio's package import form."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.catalog.forms import StudioForm
from kizuna.catalog.selectors import draft_courses


class PackageImportForm(StudioForm):
    course = forms.TypedChoiceField(label=_("Course"), coerce=int)
    file = forms.FileField(
        label=_("SCORM package (.zip)"),
        help_text=_("A SCORM 1.2 or SCORM 2004 (3rd or 4th edition) zip, as your authoring tool exports it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    title = forms.CharField(
        label=_("Lesson title"), max_length=200, required=False, help_text=_("Empty: the package's own title.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", _("(choose a course)"))] + list(
            draft_courses().order_by("title", "pk").values_list("pk", "title")
        )

    def clean_course(self) -> Any:
        course = draft_courses().filter(pk=self.cleaned_data["course"]).first()
        if course is None:
            raise forms.ValidationError(_("Choose a course."))
        return course
