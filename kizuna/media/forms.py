"""The studio's upload form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class VideoUploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Video file"),
        error_messages={
            "required": _("Choose a video file to upload."),
            "empty": _("This file is empty. Choose another video."),
        },
        # No `capture` attribute: on phones it forces the camera and hides the camera roll.
        widget=forms.FileInput(attrs={"accept": "video/*"}),
    )
