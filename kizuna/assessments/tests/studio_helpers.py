"""Helpers to post the quiz studio's forms as a browser would."""

from typing import Any


def rows(*items: dict[str, Any], initial: int = 0) -> dict[str, Any]:
    """The formset fields of a question's rows (options, accepted answers, pairs)."""
    data: dict[str, Any] = {
        "rows-TOTAL_FORMS": str(len(items)),
        "rows-INITIAL_FORMS": str(initial),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "30",
    }
    for n, item in enumerate(items):
        for name, value in item.items():
            if value is True:
                value = "on"
            if value is False or value is None:
                continue
            data[f"rows-{n}-{name}"] = value
    return data


def question_post(type_code: str, text: str, *, explanation: str = "", **extra: Any) -> dict[str, Any]:
    return {"type": type_code, "text": text, "explanation": explanation, "title": "", "new_topics": "", **extra}


def form_fields(html: str, form_id: str) -> dict[str, Any]:
    """The fields a browser would post from the form with this id, as rendered (checked boxes, selected options)."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.inside = False
            self.fields: dict[str, list[str]] = {}
            self.textarea: str | None = None
            self.select: str | None = None
            self.select_value: str | None = None
            self.first_option: str | None = None

        def add(self, name: str, value: str) -> None:
            self.fields.setdefault(name, []).append(value)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {k: v or "" for k, v in attrs}
            if tag == "form":
                self.inside = a.get("id") == form_id
            if not self.inside or "disabled" in a:
                return
            if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
                if a.get("type") in ("checkbox", "radio"):
                    if "checked" in a:
                        self.add(a["name"], a.get("value") or "on")
                else:
                    self.add(a["name"], a.get("value", ""))
            elif tag == "textarea":
                self.textarea = a.get("name")
                self.add(self.textarea or "", "")
            elif tag == "select":
                self.select, self.select_value, self.first_option = a.get("name"), None, None
            elif tag == "option" and self.select:
                if self.first_option is None:
                    self.first_option = a.get("value", "")
                if "selected" in a:
                    self.select_value = a.get("value", "")

        def handle_data(self, data: str) -> None:
            if self.textarea is not None:
                self.fields[self.textarea][-1] += data

        def handle_endtag(self, tag: str) -> None:
            if tag == "form":
                self.inside = False
            elif tag == "textarea" and self.textarea is not None:
                # Browsers drop the newline that follows <textarea>.
                value = self.fields[self.textarea][-1]
                self.fields[self.textarea][-1] = value[1:] if value.startswith("\n") else value
                self.textarea = None
            elif tag == "select" and self.select:
                self.add(self.select, self.select_value if self.select_value is not None else self.first_option or "")
                self.select = None

    reader = Reader()
    reader.feed(html)
    return {k: v if len(v) > 1 else v[0] for k, v in reader.fields.items()}
