"""Form widgets drawn in Python: the HTML of Django's own widget templates, without the template engine.

Django draws each widget through its form renderer: a template (`text.html`) that includes another (`input.html`)
that includes a third (`attrs.html`), each with its own context. On the profile page (`/me/`, the benchmark's
floor) the name field and the three language choices took about a quarter of the page's CPU that way. These
widgets write the same characters directly (`tests/test_widgets.py` compares them with Django's templates in every
state: unbound, bound, with errors, checked, with characters to escape); any other template falls back to Django's.
"""

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("input", "text", "email", "number", "password", "url", "search")
)
_OPTIONS = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("input_option", "radio_option", "checkbox_option")
)


def _attrs(attrs: dict[str, Any]) -> str:
    # attrs.html: {% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}
    # {% if value is not True %}="{{ value|stringformat:'s' }}"{% endif %}{% endif %}{% endfor %}
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    # input.html: <input type="…" name="…"{% if widget.value != None %} value="…"{% endif %}{% include attrs %}>
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _drawn(template_name: str, widget: dict[str, Any]) -> SafeString | None:
    if template_name in _INPUTS:
        return mark_safe(_input(widget))  # noqa: S308 (every value above is escaped)
    if template_name in _OPTIONS:
        # input_option.html: the input, wrapped in its label unless drawn alone ({{ radio.tag }})
        if not widget.get("wrap_label"):
            return mark_safe(_input(widget))  # noqa: S308
        label_for = widget["attrs"].get("id")
        opening = f'<label for="{conditional_escape(label_for)}">' if label_for else "<label>"
        # (input.html ends with a line break, which stays inside the label)
        return mark_safe(f"{opening}{_input(widget)}\n {conditional_escape(widget['label'])}</label>")  # noqa: S308
    return None


class _Drawn:
    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        html = _drawn(template_name, context["widget"])
        return html if html is not None else super()._render(template_name, context, renderer)  # type: ignore[misc]


class TextInput(_Drawn, forms.TextInput):
    pass


class RadioSelect(_Drawn, forms.RadioSelect):
    """Each choice (`{{ radio.tag }}`, or a choice with its label) is drawn in Python; the whole list
    (`{{ form.field }}`) still goes through Django's template."""
