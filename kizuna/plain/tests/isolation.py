"""Glossary terms are the principal's content: partner people are refused every glossary route (404)."""

from typing import Any


def partner_a_objects(cast: Any) -> dict[str, Any]:
    from kizuna.plain.services import term_save

    term = term_save(editor=cast.author, term_ja="社外秘の用語", is_jargon=True)
    return {"term_id": term.pk}
