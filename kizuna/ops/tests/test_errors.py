"""The page side of the one application error: on the form field it names, or as a page message."""

from django import forms
from django.contrib.messages import ERROR, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from kizuna.ops.errors import ApplicationError, add_to_form, message_user


class TeamForm(forms.Form):
    name = forms.CharField()
    size = forms.IntegerField()


def _valid_form() -> TeamForm:
    form = TeamForm({"name": "東京チーム", "size": "5"})
    assert form.is_valid()
    return form


def test_add_to_form_puts_an_error_about_a_field_on_that_field():
    form = _valid_form()
    add_to_form(form, ApplicationError("A team with this name exists already.", field="name"))
    assert form.errors == {"name": ["A team with this name exists already."]}
    assert not form.is_valid()


def test_add_to_form_puts_an_error_about_no_field_above_the_form():
    form = _valid_form()
    add_to_form(form, ApplicationError("This partner is archived."))
    assert form.non_field_errors() == ["This partner is archived."]
    assert "name" not in form.errors


def test_add_to_form_puts_an_error_about_a_field_the_form_lacks_above_the_form():
    form = _valid_form()
    add_to_form(form, ApplicationError("Choose a time zone from the list.", field="time_zone"))
    assert form.non_field_errors() == ["Choose a time zone from the list."]


def test_add_to_form_uses_the_views_field_when_the_error_names_none_of_the_forms():
    form = _valid_form()
    add_to_form(form, ApplicationError("Enter a number of at most 50."), field="size")
    assert form.errors == {"size": ["Enter a number of at most 50."]}
    form = _valid_form()
    add_to_form(form, ApplicationError("Enter a name.", field="name"), field="size")
    assert form.errors == {"name": ["Enter a name."]}


def test_message_user_shows_the_message_as_an_error_on_the_next_page():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    message_user(request, ApplicationError("You asked for your data a moment ago."))
    shown = list(get_messages(request))
    assert [(m.level, m.message) for m in shown] == [(ERROR, "You asked for your data a moment ago.")]


def test_the_error_carries_its_message_field_and_code():
    error = ApplicationError("Enter a name.", field="name", code="validation")
    assert (str(error), error.message, error.field, error.code, error.status) == (
        "Enter a name.",
        "Enter a name.",
        "name",
        "validation",
        422,
    )
    assert ApplicationError("x").code == "rejected"
