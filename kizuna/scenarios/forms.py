"""Forms of the scenario studio: the scenario, its moments and choices, the values, and importing a file.

One editor page holds a form per moment and per choice, so the options they
offer (moments, videos, values) are read once per request (``EditorOptions``)
instead of once per form.
"""

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kizuna.catalog.selectors import products_all
from kizuna.media.selectors import videos_for_studio

from .exchange import KEY_RE, MAX_IMPORT_BYTES, SLUG_RE
from .models import SCORE_MAX, SCORE_MIN, Node, Outcome, Scenario, ValueTag
from .selectors import scenarios_for_editor, value_tags_all
from .validation import question_errors

TAG_SEPARATORS = re.compile(r"[,、，]")
KEY_HELP = _("Letters a–z, digits, “-” and “_”. Reports and files refer to it.")


def _names(raw: str) -> list[str]:
    return [name.strip() for name in TAG_SEPARATORS.split(raw or "") if name.strip()]


class StudioForm(forms.Form):
    """A form whose fields render in a spaced ``.field`` box each (checkboxes beside their label)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            if isinstance(f.widget, forms.CheckboxSelectMultiple):
                f.template_name = "scenarios/_checks.html"
            elif isinstance(f.widget, forms.CheckboxInput):
                f.template_name = "scenarios/_check.html"
            else:
                f.template_name = "scenarios/_field.html"
            f.widget.attrs.setdefault("data-field", name)


def key_field(*, required: bool, max_length: int = 60, pattern: re.Pattern[str] = KEY_RE) -> forms.RegexField:
    return forms.RegexField(
        label=_("Key"),
        regex=pattern,
        max_length=max_length,
        required=required,
        help_text=KEY_HELP,
        error_messages={"invalid": _("Use letters a–z, digits, “-” and “_” only.")},
        widget=forms.TextInput(attrs={"autocapitalize": "off", "autocomplete": "off", "spellcheck": "false"}),
    )


# --- The scenario ----------------------------------------------------------------------------


class ScenarioForm(StudioForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to reps before they start."),
    )
    product = forms.ModelChoiceField(label=_("Product"), queryset=None, required=False, empty_label=_("(none)"))
    topic_tags = forms.CharField(
        label=_("Topic tags"),
        required=False,
        max_length=500,
        help_text=_("Comma separated, for example: complaint handling, listening"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products_all()

    @classmethod
    def initial_for(cls, scenario: Scenario) -> dict[str, Any]:
        return {
            "title": scenario.title,
            "description": scenario.description,
            "product": scenario.product_id,
            "topic_tags": ", ".join(tag.name for tag in scenario.tags.all()),
        }

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def topic_tag_names(self) -> list[str]:
        return _names(self.cleaned_data.get("topic_tags", ""))


class ScenarioCreateForm(ScenarioForm):
    slug = key_field(required=True, max_length=80, pattern=SLUG_RE)
    field_order = ["title", "slug", "description", "product", "topic_tags"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].label = _("Code")
        self.fields["slug"].help_text = _(
            "Letters, digits, “-” and “_”, for example: price-objection. Files and reports use it."
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Scenario.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A scenario with this code already exists. Choose another code."))
        return slug


# --- Moments and choices ---------------------------------------------------------------------


@dataclass
class EditorOptions:
    """What the moment and choice forms of one draft offer, read once per page."""

    nodes: dict[int, Node]
    videos: dict[int, Any]
    value_tags: dict[int, ValueTag]

    @classmethod
    def for_draft(cls, user: Any, nodes: list[Node]) -> "EditorOptions":
        videos = {v.pk: v for v in videos_for_studio(user).order_by("-created_at")}
        return cls(
            nodes={node.pk: node for node in nodes},
            videos=videos,
            value_tags={tag.pk: tag for tag in value_tags_all()},
        )

    def node_choices(self) -> list[tuple[Any, str]]:
        def label(node: Node) -> str:
            text = " ".join(node.text.split())
            text = text[:24] + "…" if len(text) > 25 else text
            kind = _("end") if node.kind == Node.Kind.END else _("moment")
            return f"{node.key} ({kind}) {text}".strip()

        return [("", _("(choose the next moment)")), *((pk, label(node)) for pk, node in self.nodes.items())]

    def video_choices(self) -> list[tuple[Any, str]]:
        def label(video: Any) -> str:
            return f"{video} ({video.get_status_display()})"

        return [("", _("(no video)")), *((pk, label(video)) for pk, video in self.videos.items())]


def _question_initial(question: dict[str, Any] | None) -> dict[str, Any]:
    if not question:
        return {}
    correct = question.get("correct")
    return {
        "question_text": question.get("text", ""),
        "question_options": "\n".join(question.get("options", [])),
        "question_correct": correct + 1 if isinstance(correct, int) else None,
        "question_explanation": question.get("explanation", ""),
    }


class NodeForm(StudioForm):
    """A moment's (or an end's) fields; the outcome and the debrief belong to ends only."""

    key = key_field(required=True)
    kind = forms.ChoiceField(label=_("Kind"), choices=Node.Kind.choices)
    speaker = forms.CharField(
        label=_("Speaker"), max_length=100, required=False, help_text=_("For example: the customer, 佐藤様")
    )
    text = forms.CharField(
        label=_("Situation or line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the customer says, or what is happening."),
    )
    image = forms.FileField(
        label=_("Picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at most 10 MB. Location data is removed."),
    )
    remove_image = forms.BooleanField(label=_("Remove the picture"), required=False)
    video = forms.TypedChoiceField(label=_("Video"), coerce=int, required=False, empty_value=None)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("(choose the outcome)")), *Outcome.choices]
    )
    debrief = forms.CharField(
        label=_("Debrief"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown at the end: what this ending teaches."),
    )
    question_text = forms.CharField(
        label=_("Check question"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: a question the rep answers at this moment. It does not change the score."),
    )
    question_options = forms.CharField(
        label=_("Answers to the check question"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("2 to 4 answers, one per line."),
    )
    question_correct = forms.IntegerField(
        label=_("Number of the correct answer"), required=False, min_value=1, max_value=4
    )
    question_explanation = forms.CharField(
        label=_("Explanation of the check question"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown after the rep answers."),
    )

    def __init__(self, *args: Any, options: EditorOptions, node: Node | None = None, **kwargs: Any) -> None:
        if node is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "key": node.key,
                "kind": node.kind,
                "speaker": node.speaker,
                "text": node.text,
                "video": node.video_id,
                "outcome": node.outcome,
                "debrief": node.debrief,
                **_question_initial(node.question),
            }
        kwargs.setdefault("prefix", f"n{node.pk}" if node is not None else "node")
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["video"].choices = options.video_choices()
        self.fields["kind"].widget.attrs["data-kind-switch"] = ""
        for name in ("outcome", "debrief"):
            self.fields[name].widget.attrs["data-end-only"] = ""
        if node is None or not node.image:
            del self.fields["remove_image"]

    def _clean_question(self, data: dict[str, Any]) -> None:
        text = (data.get("question_text") or "").strip()
        options = [line.strip() for line in (data.get("question_options") or "").splitlines() if line.strip()]
        correct = data.get("question_correct")
        if not text and not options and correct is None:
            data["question"] = None
            return
        question = {
            "text": text,
            "options": options,
            "correct": correct - 1 if correct is not None else None,
            "explanation": (data.get("question_explanation") or "").strip(),
        }
        if data.get("kind") == Node.Kind.MOMENT:
            for error in question_errors(question):
                self.add_error("question_" + error.path.rsplit(".", 1)[-1], error.message)
        data["question"] = question

    def clean_video(self) -> Any:
        pk = self.cleaned_data.get("video")
        if pk is None:
            return None
        if pk not in self.options.videos:
            raise forms.ValidationError(_("Choose a video from the list."))
        return self.options.videos[pk]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == Node.Kind.MOMENT:
            data["outcome"], data["debrief"] = "", ""
        self._clean_question(data)
        return data


class ChoiceForm(StudioForm):
    """What the rep may say at a moment, where it leads, its score, values and the coach's commentary."""

    text = forms.CharField(
        label=_("What the rep says"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write what the rep says.")},
    )
    next_node = forms.TypedChoiceField(label=_("Leads to"), coerce=int, required=False, empty_value=None)
    score = forms.IntegerField(
        label=_("Score"),
        min_value=SCORE_MIN,
        max_value=SCORE_MAX,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    is_reference = forms.BooleanField(label=_("The top rep's choice at this moment"), required=False)
    commentary = forms.CharField(
        label=_("Coach's commentary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown after the rep chooses this: how a top rep thinks about it."),
    )
    commentary_video = forms.TypedChoiceField(label=_("Commentary video"), coerce=int, required=False, empty_value=None)
    value_tags = forms.TypedMultipleChoiceField(
        label=_("Values"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    topic_tags = forms.CharField(
        label=_("Topic tags"),
        required=False,
        max_length=500,
        help_text=_("Comma separated, for example: complaint handling, listening"),
    )
    key = key_field(required=False)

    def __init__(self, *args: Any, options: EditorOptions, choice: Any = None, prefix: str, **kwargs: Any) -> None:
        if choice is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "text": choice.text,
                "next_node": choice.next_node_id,
                "score": choice.score,
                "is_reference": choice.is_reference,
                "commentary": choice.commentary,
                "commentary_video": choice.commentary_video_id,
                "value_tags": [tag.pk for tag in choice.value_tags.all()],
                "topic_tags": ", ".join(tag.name for tag in choice.tags.all()),
                "key": choice.key,
            }
        super().__init__(*args, prefix=prefix, **kwargs)
        self.options = options
        self.fields["next_node"].choices = options.node_choices()
        self.fields["commentary_video"].choices = options.video_choices()
        self.fields["value_tags"].choices = [(pk, tag.name) for pk, tag in options.value_tags.items()]
        self.fields["score"].help_text = gettext("From %(min)s (harmful) to %(max)s (the best answer).") % {
            "min": SCORE_MIN,
            "max": SCORE_MAX,
        }
        if choice is None:
            self.fields["key"].help_text = _("Leave empty for c1, c2, …")

    def clean_next_node(self) -> Node | None:
        pk = self.cleaned_data.get("next_node")
        if pk is None:
            return None
        if pk not in self.options.nodes:
            raise forms.ValidationError(_("Choose a moment of this scenario."))
        return self.options.nodes[pk]

    def clean_commentary_video(self) -> Any:
        pk = self.cleaned_data.get("commentary_video")
        if pk is None:
            return None
        if pk not in self.options.videos:
            raise forms.ValidationError(_("Choose a video from the list."))
        return self.options.videos[pk]

    def chosen_value_tags(self) -> list[ValueTag]:
        return [self.options.value_tags[pk] for pk in self.cleaned_data.get("value_tags") or []]

    def topic_tag_names(self) -> list[str]:
        return _names(self.cleaned_data.get("topic_tags", ""))


class StartForm(forms.Form):
    node = forms.TypedChoiceField(label=_("The scenario starts with"), coerce=int)

    def __init__(self, *args: Any, options: EditorOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = [
            (pk, f"{node.key} {' '.join(node.text.split())[:24]}".strip())
            for pk, node in options.nodes.items()
            if node.kind == Node.Kind.MOMENT
        ]


# --- Values and files ------------------------------------------------------------------------


class ValueTagForm(StudioForm):
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100)


class ValueTagCreateForm(ValueTagForm):
    slug = key_field(required=True)
    field_order = ["name_ja", "name_en", "slug"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].label = _("Code")
        self.fields["slug"].help_text = _("For example: customer-first. Files and reports use it; it cannot change.")


class ImportForm(StudioForm):
    file = forms.FileField(
        label=_("Scenario file (JSON or YAML)"),
        widget=forms.FileInput(attrs={"accept": ".json,.yaml,.yml,application/json,application/yaml,text/yaml"}),
    )
    replace = forms.ModelChoiceField(
        label=_("Import into"),
        queryset=None,
        required=False,
        empty_label=_("a new scenario"),
        help_text=_("Choosing a scenario replaces its draft; its published versions and their results stay."),
    )
    slug = key_field(required=False, max_length=80, pattern=SLUG_RE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replace"].queryset = scenarios_for_editor(user)
        self.fields["slug"].label = _("Code of the new scenario")
        self.fields["slug"].help_text = _("Leave empty to use the code written in the file.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(mb)s MB).") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        return upload
