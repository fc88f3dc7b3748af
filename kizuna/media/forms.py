"""The studio's upload form, and the video picker other apps' forms use."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class VideoPicker(forms.RadioSelect):
    """Choose a video by its poster, title, length and state (a select could show only a name)."""

    template_name = "media/widgets/video_picker.html"
    option_template_name = "media/widgets/video_option.html"


class VideoChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over videos shown with VideoPicker; each option carries its video for the poster."""

    widget = VideoPicker

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # blank: keep the empty choice (its empty_label) as a radio, so a choice can be taken back.
        super().__init__(*args, blank=True, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return obj.label


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
