"""Forms of the quiz studio: banks, a question of each type (with its rows of options), quizzes, draw rules, GIFT.

A question's form is two parts: ``QuestionForm`` (text, explanation, topics and the few
fields a type has once, like the answer of a true/false question) and a formset of rows
(options, accepted answers or pairs) whose shape the type decides (``ROW_KINDS``). All row
fields are optional: empty rows are skipped, and the question type itself
(``QuestionType.clean`` through the services) says what is missing.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.catalog.models import Product, Tag
from kizuna.catalog.selectors import topic_tags

from .errors import GiftImportError
from .gift import GIFT_MAX_BYTES, GiftError
from .gift_imports import gift_source_text, gift_too_large_message
from .models import Question, QuestionBank, Quiz
from .services import MAX_TIME_LIMIT_MINUTES
from .types import type_choices
from .types.choice import multiple_weights

TOPIC_NAME_SEPARATORS = re.compile(r"[,、，]")
MAX_ROWS = 30
FULL = 100.0


class StudioForm(forms.Form):
    """A form whose fields render in a spaced ``.field`` box each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = "assessments/_field.html"


class TopicCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Tag) -> str:  # type: ignore[override]
        return obj.name


class TopicChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Tag) -> str:  # type: ignore[override]
        return obj.name


def split_names(raw: str) -> list[str]:
    return [name.strip() for name in TOPIC_NAME_SEPARATORS.split(raw or "") if name.strip()]


# --- Banks ---------------------------------------------------------------------------------------------


class BankForm(StudioForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False, empty_label=_("(none)")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.order_by("name")

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()


class BankCreateForm(BankForm):
    slug = forms.SlugField(
        label=_("Code"),
        max_length=80,
        help_text=_(
            "Letters, digits and hyphens, for example: product-basics. Used by the gift_import command; "
            "it cannot be changed later."
        ),
    )
    field_order = ["title", "slug", "product"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if QuestionBank.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A question bank with this code already exists. Choose another code."))
        return slug


class BankFilterForm(forms.Form):
    """The bank page's filter: one type, one topic and/or one category (with its subcategories)."""

    type = forms.ChoiceField(label=_("Type"), required=False)
    topic = TopicChoice(label=_("Topic"), queryset=Tag.objects.none(), required=False, empty_label=_("All topics"))
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: Any, topics: Any = None, categories: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All types")), *type_choices()]
        self.fields["topic"].queryset = topics if topics is not None else topic_tags()
        self.fields["category"].choices = [
            ("", _("All categories")),
            *[(c.path, "\u3000" * c.depth + f"{c.name} ({c.count})") for c in categories],
        ]


class GiftUploadForm(StudioForm):
    file = forms.FileField(
        label=_("GIFT file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".gift,.txt,text/plain"}),
        help_text=_("A UTF-8 text file in Moodle's GIFT format (.gift or .txt), at most 4 MB and 60,000 questions."),
    )
    text = forms.CharField(
        label=_("…or paste GIFT text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocapitalize": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload is None and not text.strip():
            raise forms.ValidationError(_("Choose a GIFT file or paste GIFT text."))
        try:
            if upload is not None and upload.size > GIFT_MAX_BYTES:
                raise GiftImportError([GiftError(1, gift_too_large_message())])
            cleaned["source"] = gift_source_text(upload if upload is not None else text)
        except GiftImportError as exc:
            raise forms.ValidationError([error.message for error in exc.errors]) from None
        return cleaned

    def source(self) -> str:
        """The GIFT text (checked: UTF-8, at most GIFT_MAX_BYTES)."""
        return str(self.cleaned_data["source"])


# --- Questions -----------------------------------------------------------------------------------------


class QuestionForm(StudioForm):
    """What every question has, plus the fields a type has once (true/false's answer, numerical's other feedback)."""

    title = forms.CharField(
        label=_("Short name (optional)"),
        max_length=200,
        required=False,
        help_text=_("Shown in lists and reports instead of the start of the question."),
    )
    text = forms.CharField(label=_("Question (Markdown)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    explanation = forms.CharField(
        label=_("Explanation (Markdown, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Shown to every rep after they answer: why the right answer is right."),
    )
    category = forms.CharField(
        label=_("Category (optional)"),
        required=False,
        max_length=1000,
        help_text=_("Where it sits in the bank, from the top down: for example 製品/料金/割引 (Moodle's $CATEGORY)."),
    )
    topics = TopicCheckboxes(label=_("Topics"), queryset=Tag.objects.none(), required=False)
    new_topics = forms.CharField(
        label=_("New topics"),
        required=False,
        max_length=500,
        help_text=_("Comma separated, for example: pricing, objection handling"),
    )

    def __init__(self, *args: Any, type_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type_code = type_code
        self.fields["topics"].queryset = topic_tags()
        if type_code == "truefalse":
            self.fields["answer"] = forms.TypedChoiceField(
                label=_("The statement is"),
                choices=[("true", _("True")), ("false", _("False"))],
                coerce=lambda v: v == "true",
                widget=forms.RadioSelect,
            )
            self.fields["feedback_true"] = forms.CharField(
                label=_("Feedback for “True”"), required=False, max_length=1000
            )
            self.fields["feedback_false"] = forms.CharField(
                label=_("Feedback for “False”"), required=False, max_length=1000
            )
        if type_code == "numerical":
            self.fields["otherwise_feedback"] = forms.CharField(
                label=_("Feedback for any other number (optional)"), required=False, max_length=1000
            )
        if type_code == "essay":
            self.fields["rubric"] = forms.CharField(
                label=_("Rubric (optional)"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_(
                    "One criterion per line: its name | its weight | its levels from lowest to highest, separated "
                    "by /. For example: 共感 | 2 | できていない / 一部できている / できている. "
                    "Empty: one criterion for the answer as a whole, with four levels."
                ),
            )
        for name in ("answer", "feedback_true", "feedback_false", "otherwise_feedback", "rubric"):
            if name in self.fields:
                self.fields[name].template_name = "assessments/_field.html"

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": question.title,
            "text": question.text,
            "explanation": question.explanation,
            "category": question.category,
            "topics": [t.pk for t in question.topics.all()],
        }
        if question.type == "truefalse":
            initial |= {
                "answer": "true" if question.data.get("answer") else "false",
                "feedback_true": question.data.get("feedback_true", ""),
                "feedback_false": question.data.get("feedback_false", ""),
            }
        if question.type == "numerical":
            initial["otherwise_feedback"] = question.data.get("otherwise_feedback", "")
        if question.type == "essay":
            initial["rubric"] = "\n".join(
                f"{c['title']} | {c['weight']} | " + " / ".join(c["levels"]) for c in question.data.get("rubric") or []
            )
        return initial

    def clean_rubric(self) -> list[dict[str, Any]]:
        """The rubric's lines as criteria (the essay type checks the rest: weights, number of levels)."""
        criteria = []
        for number, line in enumerate((self.cleaned_data.get("rubric") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not parts[0]:
                raise forms.ValidationError(
                    _("Line %(line)s: write name | weight | levels separated by /.") % {"line": number}
                )
            try:
                weight = int(parts[1])
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(line)s: the weight must be a whole number.") % {"line": number}
                ) from None
            levels = [level.strip() for level in parts[2].split("/") if level.strip()]
            criteria.append({"id": str(len(criteria) + 1), "title": parts[0], "weight": weight, "levels": levels})
        return criteria

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()

    def new_topic_names(self) -> list[str]:
        return split_names(self.cleaned_data.get("new_topics") or "")


def _weight(label: Any = None) -> forms.FloatField:
    return forms.FloatField(
        label=label or _("Score (%)"),
        required=False,
        min_value=-100,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )


def _number(label: Any) -> forms.FloatField:
    return forms.FloatField(
        label=label, required=False, widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"})
    )


class RowForm(forms.Form):
    """One row (an option, an accepted answer, a pair); ``id`` keeps the row's identity across edits."""

    id = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    text_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return all(not (data.get(name) or "").strip() for name in self.text_fields)


class ChoiceRowForm(RowForm):
    text = forms.CharField(label=_("Option"), required=False, max_length=500)
    right = forms.BooleanField(label=_("Right answer"), required=False)
    feedback = forms.CharField(
        label=_("Feedback when chosen (why it is right or wrong)"), required=False, max_length=1000
    )
    weight = _weight(_("Score (%) — leave empty for the usual"))
    text_fields = ("text", "feedback")


class ShortRowForm(RowForm):
    text = forms.CharField(
        label=_("Accepted answer"),
        required=False,
        max_length=500,
        help_text=_("Compared ignoring full-width/half-width, katakana/hiragana, case and spaces. * matches anything."),
    )
    weight = _weight(_("Score (%) — empty means 100"))
    feedback = forms.CharField(label=_("Feedback for this answer"), required=False, max_length=1000)
    text_fields = ("text", "feedback")


class NumericRowForm(RowForm):
    kind = forms.ChoiceField(
        label=_("Accept"),
        choices=[("tolerance", _("a value ± a tolerance")), ("range", _("a range from … to …"))],
        initial="tolerance",
    )
    value = _number(_("Value"))
    tolerance = _number(_("± tolerance"))
    min = _number(_("From"))
    max = _number(_("To"))
    weight = _weight(_("Score (%) — empty means 100"))
    feedback = forms.CharField(label=_("Feedback for this answer"), required=False, max_length=1000)
    text_fields = ("feedback",)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return super().is_blank() and all(data.get(n) is None for n in ("value", "tolerance", "min", "max"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.is_blank():
            return cleaned
        if cleaned.get("kind") == "range":
            for name in ("min", "max"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Enter a number."))
        elif cleaned.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("Enter the right value."))
        if cleaned.get("tolerance") is not None and cleaned["tolerance"] < 0:
            self.add_error("tolerance", _("A tolerance cannot be negative."))
        return cleaned


class PairRowForm(RowForm):
    left = forms.CharField(
        label=_("Item"), required=False, max_length=500, help_text=_("Leave empty to add a wrong answer only.")
    )
    right = forms.CharField(label=_("Its answer"), required=False, max_length=500)
    text_fields = ("left", "right")


# type → (row form, rows shown at least, "add rows" step)
ROW_KINDS: dict[str, tuple[type[RowForm], int]] = {
    "single": (ChoiceRowForm, 4),
    "multiple": (ChoiceRowForm, 4),
    "short": (ShortRowForm, 2),
    "numerical": (NumericRowForm, 1),
    "matching": (PairRowForm, 4),
}
ROWS_STEP = 2


def _initial_rows(type_code: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    if type_code in ("single", "multiple"):
        options = data.get("options", [])
        if type_code == "single":
            return [
                {
                    "id": o["id"],
                    "text": o["text"],
                    "right": o["weight"] == FULL,
                    "feedback": o.get("feedback", ""),
                    "weight": None if o["weight"] in (FULL, 0) else o["weight"],
                }
                for o in options
            ]
        flags = [o["weight"] > 0 for o in options]
        usual = multiple_weights(flags)
        return [
            {
                "id": o["id"],
                "text": o["text"],
                "right": o["weight"] > 0,
                "feedback": o.get("feedback", ""),
                "weight": None if abs(o["weight"] - default) < 0.01 else o["weight"],
            }
            for o, default in zip(options, usual, strict=True)
        ]
    if type_code == "short":
        return [
            {
                "id": a["id"],
                "text": a["text"],
                "weight": None if a["weight"] == FULL else a["weight"],
                "feedback": a["feedback"],
            }
            for a in data.get("answers", [])
        ]
    if type_code == "numerical":
        return [
            {
                "id": a["id"],
                "kind": a["kind"],
                "value": a.get("value"),
                "tolerance": a.get("tolerance"),
                "min": a.get("min"),
                "max": a.get("max"),
                "weight": None if a["weight"] == FULL else a["weight"],
                "feedback": a["feedback"],
            }
            for a in data.get("answers", [])
        ]
    if type_code == "matching":
        return [{"id": p["id"], "left": p["left"], "right": p["right"]} for p in data.get("pairs", [])]
    return []


class QuestionEditor:
    """The form and the rows of one question of one type, and the ``data`` they make for the type."""

    def __init__(
        self,
        type_code: str,
        post: Any = None,
        *,
        question: Question | None = None,
        more_rows: bool = False,
    ) -> None:
        self.type = type_code
        initial = QuestionForm.initial_for(question) if question is not None else {}
        if question is None and type_code == "truefalse":
            initial["answer"] = "true"
        self.form = QuestionForm(post, type_code=type_code, initial=initial)
        self.rows: Any = None
        if type_code not in ROW_KINDS:
            return
        row_form, at_least = ROW_KINDS[type_code]
        formset = forms.formset_factory(row_form, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS)
        if post is not None:
            if more_rows:
                post = post.copy()
                total = int(post.get("rows-TOTAL_FORMS") or 0)
                post["rows-TOTAL_FORMS"] = str(min(MAX_ROWS, total + ROWS_STEP))
            self.rows = formset(post, prefix="rows")
        else:
            rows = _initial_rows(type_code, question.data) if question is not None else []
            rows += [{}] * max(at_least - len(rows), 1 if rows else 0)
            self.rows = formset(initial=rows, prefix="rows")

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        if self.rows is not None:
            valid = self.rows.is_valid() and valid
            if valid and self.type == "single":
                right = sum(1 for row in self._filled() if row.cleaned_data.get("right"))
                if right > 1:
                    self.form.add_error(None, _("Tick only one right answer, or make it a multiple choice question."))
                    valid = False
        return valid

    def _filled(self) -> list[RowForm]:
        return [row for row in self.rows.forms if not row.is_blank()]

    def data(self) -> dict[str, Any]:
        """The question's data as its type stores it (checked by the type when saved)."""
        cleaned = self.form.cleaned_data
        if self.type == "truefalse":
            return {
                "answer": cleaned["answer"],
                "feedback_true": cleaned["feedback_true"],
                "feedback_false": cleaned["feedback_false"],
            }
        if self.type == "essay":
            # Empty: the default rubric (GIFT carries none, so imported essays start with it).
            return {"rubric": cleaned.get("rubric") or []}
        if self.rows is None:  # a description: its text is all there is
            return {}
        rows = [row.cleaned_data for row in self._filled()]
        if self.type == "single":
            return {
                "options": [
                    {
                        "id": r["id"] or None,
                        "text": r["text"],
                        "weight": FULL if r["right"] else (r["weight"] or 0.0),
                        "feedback": r["feedback"],
                    }
                    for r in rows
                ]
            }
        if self.type == "multiple":
            return {"options": _multiple_options(rows)}
        if self.type == "short":
            return {
                "answers": [
                    {
                        "id": r["id"] or None,
                        "text": r["text"],
                        "weight": FULL if r["weight"] is None else r["weight"],
                        "feedback": r["feedback"],
                    }
                    for r in rows
                ]
            }
        if self.type == "numerical":
            answers = []
            for r in rows:
                answer: dict[str, Any] = {
                    "id": r["id"] or None,
                    "kind": r["kind"],
                    "weight": FULL if r["weight"] is None else r["weight"],
                    "feedback": r["feedback"],
                }
                if r["kind"] == "range":
                    answer |= {"min": r["min"], "max": r["max"]}
                else:
                    answer |= {"value": r["value"], "tolerance": r["tolerance"] or 0.0}
                answers.append(answer)
            return {"answers": answers, "otherwise_feedback": self.form.cleaned_data.get("otherwise_feedback", "")}
        if self.type == "matching":
            return {"pairs": [{"id": r["id"] or None, "left": r["left"], "right": r["right"]} for r in rows]}
        return {}


def _multiple_options(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ticked options share 100% and unticked ones take away (choice.multiple_weights) unless a score is given."""
    usual = multiple_weights([bool(r["right"]) for r in rows])
    given_right = sum(r["weight"] for r in rows if r["right"] and r["weight"] is not None)
    auto_right = [r for r in rows if r["right"] and r["weight"] is None]
    share = (FULL - given_right) / len(auto_right) if auto_right else 0.0
    options = []
    for r, default in zip(rows, usual, strict=True):
        automatic = share if r["right"] else default
        weight = automatic if r["weight"] is None else r["weight"]
        options.append(
            {"id": r["id"] or None, "text": r["text"], "weight": round(weight, 5), "feedback": r["feedback"]}
        )
    return options


# --- Quizzes -----------------------------------------------------------------------------------------


class QuizForm(StudioForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    micro = forms.BooleanField(
        label=_("Check questions of a micro lesson"),
        required=False,
        help_text=_("At most 3 questions, answered right after a short video."),
    )
    pass_mark = forms.IntegerField(
        label=_("Pass mark (%)"),
        min_value=0,
        max_value=100,
        initial=80,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    allowed_attempts = forms.IntegerField(
        label=_("Allowed attempts"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("0 means unlimited."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"),
        min_value=1,
        max_value=MAX_TIME_LIMIT_MINUTES,
        required=False,
        help_text=_("Empty means no time limit."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    shuffle_options = forms.BooleanField(label=_("Shuffle the options"), required=False, initial=True)
    shuffle_questions = forms.BooleanField(label=_("Shuffle the questions"), required=False)

    @classmethod
    def initial_for(cls, quiz: Quiz) -> dict[str, Any]:
        return {
            "title": quiz.title,
            "micro": quiz.micro,
            "pass_mark": quiz.pass_mark,
            "allowed_attempts": quiz.allowed_attempts,
            "time_limit_minutes": quiz.time_limit_minutes,
            "shuffle_options": quiz.shuffle_options,
            "shuffle_questions": quiz.shuffle_questions,
        }

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()


class DrawRuleForm(StudioForm):
    """N random questions from a bank (optionally of one topic), drawn anew for every attempt."""

    bank = forms.ModelChoiceField(label=_("Question bank"), queryset=QuestionBank.objects.none())
    topic = TopicChoice(label=_("Topic"), queryset=Tag.objects.none(), required=False, empty_label=_("Any topic"))
    count = forms.IntegerField(
        label=_("How many"),
        min_value=1,
        max_value=100,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = QuestionBank.objects.filter(staging=False).order_by("title")
        self.fields["topic"].queryset = topic_tags()
