"""Template tags of plain words: a lesson's stored readability level as a badge (the studio's lists), and the
glossary for reps: ``{% glossed %}`` around what a rep reads, ``{% glossary_sheet %}`` once at the end of the page.

Marking glossary terms (one way, on every page a rep reads principal-authored text):

* In the template, the elements a rep reads carry ``data-glossary`` (an article's body, a quiz question, each of
  its choices, its explanation, a scenario moment, each choice, the coach's "why"...), and the text is rendered
  inside ``{% glossed %}…{% endglossed %}`` so the page knows which terms it uses.
* ``{% glossary_sheet lesson %}`` (after the last ``{% glossed %}`` block) sends those terms, explained, as JSON
  with the bottom sheet; ``plain/glossary.js`` then makes the first use of each term in each ``data-glossary``
  block tappable. First use per block, not per page: a rep who reads question 3 or the second moment must not
  scroll back to find the word explained; marking every use would underline a paragraph full of one word.
"""

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.template.loader import render_to_string

from kizuna.plain.selectors import glossary_in_blocks, stored_level, target

register = template.Library()

_BLOCKS = "plain:glossed_blocks"


def _blocks(context: Any) -> list[str]:
    # The bottom of the render context is shared by the page and every template it includes.
    return context.render_context.dicts[0].setdefault(_BLOCKS, [])


@register.simple_tag(takes_context=True)
def plain_stored_level(context: Any, level: float | None, lang: str) -> str:
    """Render the badge of a level stored with the text (a lesson's): nothing is analysed while the page renders.

    The principal's target is read once per page and shown next to the level.
    """
    if level is None:
        return ""
    goal = context.render_context.get("plain_target")
    if goal is None:
        goal = context.render_context["plain_target"] = target()
    shown = stored_level(level, lang, goal)
    return render_to_string("plain/_level.html", {"level": shown}) if shown else ""


class GlossedNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Any) -> str:
        output = self.nodelist.render(context)
        _blocks(context).append(output)
        return output


@register.tag
def glossed(parser: Parser, token: Token) -> GlossedNode:
    """``{% glossed %}…{% endglossed %}``: text a rep reads, whose glossary terms the page's sheet must explain."""
    nodelist = parser.parse(("endglossed",))
    parser.delete_first_token()
    return GlossedNode(nodelist)


@register.inclusion_tag("plain/_glossary_sheet.html", takes_context=True)
def glossary_sheet(context: Any, lesson: Any = None) -> dict[str, Any]:
    """The glossary terms the page's ``{% glossed %}`` blocks use (tappable, explained in a bottom sheet), and,
    with a lesson (or its id), "I didn't understand this word" (sent to the authors with that lesson; the rep
    comes back to this page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    blocks = _blocks(context)
    terms = glossary_in_blocks(user, blocks) if user is not None and user.is_authenticated and blocks else []
    return {
        "lesson_id": getattr(lesson, "pk", lesson),
        "terms": terms,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
