"""The widgets drawn in Python (kizuna.ops.widgets) give exactly the HTML of Django's widget templates."""

import pytest
from django import forms

from kizuna.ops import widgets

CHOICES = [("ja", "日本語"), ("en", "English <&\"'>"), ("", "ブラウザの設定")]


def _form(text_widget, radio_widget):
    class Form(forms.Form):
        name = forms.CharField(label="名前", max_length=150, help_text="姓を先に", widget=text_widget)
        code = forms.CharField(
            required=False, widget=text_widget(attrs={"autofocus": True, "hidden": False, "size": 0})
        )
        language = forms.ChoiceField(choices=CHOICES, required=False, widget=radio_widget)

    return Form


DJANGO, OURS = _form(forms.TextInput, forms.RadioSelect), _form(widgets.TextInput, widgets.RadioSelect)


def _drawn(form):
    parts = [str(form["name"]), str(form["code"]), str(form["language"])]
    for radio in form["language"]:
        parts += [radio.tag(), str(radio), radio.id_for_label, radio.choice_label]
    return parts


@pytest.mark.parametrize(
    "state",
    [
        {"initial": {"name": '山田 "太郎" <b>&amp;', "language": "en"}},
        {"initial": {}},
        {"data": {"name": "", "language": "fr"}},  # bound, with errors on both fields (aria-invalid)
        {"data": {"name": "x" * 151, "code": "<script>", "language": ""}},
        {"data": {"name": "鈴木", "language": "ja"}, "auto_id": "f_%s", "prefix": "p"},
    ],
)
def test_the_drawn_html_is_djangos(state):
    ours, django = OURS(**state), DJANGO(**state)
    if ours.is_bound:
        assert ours.is_valid() == django.is_valid()
    assert _drawn(ours) == _drawn(django)


def test_the_profile_page_shows_the_form_django_would_draw(cast, signed_in):
    from kizuna.accounts.forms import ProfileForm

    page = signed_in(cast.rep_a1).get("/me/").content.decode()
    django = ProfileForm(initial={"name": cast.rep_a1.name, "language": cast.rep_a1.language})
    for name, widget in (("name", forms.TextInput), ("language", forms.RadioSelect)):
        field = django.fields[name]
        field.widget = widget(attrs=field.widget.attrs, **({"choices": field.choices} if name == "language" else {}))
    assert str(django["name"]) in page and 'maxlength="150"' in str(django["name"])
    radios = [radio.tag() for radio in django["language"]]
    assert len(radios) == 3 and all(radio in page for radio in radios)
