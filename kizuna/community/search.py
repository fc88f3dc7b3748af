"""Japanese full-text search of questions: SudachiPy tokens, indexed by SQLite FTS5 or PostgreSQL full text.

Japanese does not separate words with spaces, so neither database can split it by itself. Every post's text
is cut into words by SudachiPy (split mode A, the shortest units, so that 会計ソフト also matches 会計), each
word reduced to its dictionary normal form (見積り → 見積もり, 引越し → 引っ越し, ＡＢＣ → abc); particles,
auxiliaries and symbols are dropped. The database indexes that space-separated string:

- SQLite: the FTS5 table ``community_search`` (rowid = question id; columns title, body, answers), kept
  up to date by ``index_question``; ranked by bm25 with the title weighing most.
- PostgreSQL: the generated column ``search_vector`` (``setweight(to_tsvector('simple', search_title), 'A')
  || …``, made in migration 0002, nothing to maintain) with a GIN index; ranked by ts_rank.

A word found in most posts would make ranking read every one of them: only the newest MAX_RANKED matches
are ranked, which keeps a search fast at any size (and is what people want from a very common word).

The query goes through the same tokenizer, so both sides agree on what a word is.
"""

import functools
import threading
import unicodedata
from typing import Any

from django.db import connection
from django.db.models import QuerySet

FTS_TABLE = "community_search"
# Parts of speech that carry meaning; particles, auxiliary verbs, symbols and blanks are left out.
CONTENT_POS = {"名詞", "動詞", "形容詞", "形容動詞", "副詞", "代名詞", "形状詞", "接尾辞", "連体詞", "感動詞"}
# Words too common in questions to tell them apart (する, ある, いる, なる…).
STOP_WORDS = {"為る", "有る", "居る", "成る", "事", "物", "様", "其の", "此の", "為", "所", "方", "時", "中"}
MAX_QUERY_WORDS = 12
MAX_RANKED = 1000


_local = threading.local()


@functools.cache
def _dictionary() -> Any:
    from sudachipy import Dictionary

    return Dictionary(dict="core")


def _tokenizer() -> Any:
    """One Sudachi tokenizer per thread (a tokenizer must not be shared between threads)."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import SplitMode

        tokenizer = _local.tokenizer = _dictionary().tokenizer(SplitMode.A)
    return tokenizer


def _clean(word: str) -> str:
    """Keep letters and digits only (NFKC, lower case), so a word is always one token in both databases."""
    word = unicodedata.normalize("NFKC", word).lower()
    return "".join(ch for ch in word if unicodedata.category(ch)[0] in "LN")


def words(text: str) -> list[str]:
    """Return the normalized content words of a Japanese (or English) text, in order."""
    text = (text or "").strip()
    if not text:
        return []
    found = []
    # Sudachi refuses very long inputs; a post is cut into paragraphs of at most a few thousand characters.
    for chunk in _chunks(text):
        for m in _tokenizer().tokenize(chunk):
            if m.part_of_speech()[0] not in CONTENT_POS:
                continue
            normal = m.normalized_form()
            if normal in STOP_WORDS:
                continue
            word = _clean(normal)
            if word:
                found.append(word)
    return found


def _chunks(text: str, size: int = 4000) -> list[str]:
    parts: list[str] = []
    for paragraph in text.splitlines():
        while paragraph:
            parts.append(paragraph[:size])
            paragraph = paragraph[size:]
    return parts


def tokens(text: str) -> str:
    """Return the text as the space-separated token string the indexes store."""
    return " ".join(words(text))


# --- The index -----------------------------------------------------------------------------


def uses_fts5() -> bool:
    return connection.vendor == "sqlite"


def index_question(*, question_id: int, title: str, body: str, answers: str) -> None:
    """Put a question's token strings into the FTS5 table (PostgreSQL indexes the columns by itself)."""
    if not uses_fts5():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [question_id])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body, answers) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [question_id, title, body, answers],
        )


def rebuild_index() -> int:
    """Fill the FTS5 table again from the questions' token columns; return how many questions it holds."""
    from .models import Question

    if not uses_fts5():
        return Question.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body, answers) "  # noqa: S608
            f"SELECT id, search_title, search_body, search_answers FROM {Question._meta.db_table}"
        )
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")  # noqa: S608
        return cursor.fetchone()[0]


# --- Querying ------------------------------------------------------------------------------


def query_words(text: str) -> list[str]:
    """The distinct words of a query, in order, at most MAX_QUERY_WORDS."""
    return list(dict.fromkeys(words(text)))[:MAX_QUERY_WORDS]


def _match(terms: list[str], *, any_word: bool) -> str:
    if uses_fts5():
        return (" OR " if any_word else " AND ").join(f'"{t}"' for t in terms)
    return (" | " if any_word else " & ").join(f"'{t}'" for t in terms)


def _where_of(candidates: QuerySet[Any]) -> tuple[str, list[Any]]:
    """The WHERE clause of a one-table queryset of questions (filters on its columns and subqueries only)."""
    query = candidates.query
    compiler = query.get_compiler(connection=connection)
    compiler.setup_query()
    assert len([a for a, n in query.alias_refcount.items() if n]) <= 1, "the candidates must not join tables"
    if not query.where:
        return "1 = 1", []
    sql, params = compiler.compile(query.where)
    return sql or "1 = 1", list(params)


def ranked_ids(
    candidates: QuerySet[Any], text: str, *, any_word: bool, limit: int, offset: int = 0
) -> tuple[list[int], int]:
    """Return ids of the candidate questions matching the query, best first, and how many match (≤ MAX_RANKED).

    ``any_word``: a question matches when it has any of the words (for suggestions, ranked by how many and
    where), otherwise all of them (for search). ``candidates`` is the viewer's visible questions; the
    database narrows by the text index first, keeps the visible ones, and ranks the newest MAX_RANKED
    (one query; the count is taken over those, before the page is cut).
    """
    terms = query_words(text)
    if not terms:
        return [], 0
    visible_sql, visible_params = candidates.order_by().values("id").query.sql_with_params()
    table = candidates.model._meta.db_table
    match = _match(terms, any_word=any_word)
    if uses_fts5():
        # FTS5 walks its matches newest first; each is checked against the viewer's filter on the question row
        # (a join by primary key). "rowid IN (subquery)" would make SQLite run the full-text query per row.
        where_sql, where_params = _where_of(candidates)
        sql = (
            "SELECT id, count(*) OVER () FROM ("  # noqa: S608
            f"SELECT {FTS_TABLE}.rowid AS id, bm25({FTS_TABLE}, 5.0, 2.0, 1.0) AS score FROM {FTS_TABLE} "
            f"JOIN {table} ON {table}.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s AND ({where_sql}) "
            f"ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s) "
            "ORDER BY score, id DESC LIMIT %s OFFSET %s"
        )
        params = [match, *where_params, MAX_RANKED, limit, offset]
    else:
        sql = (
            "SELECT id, count(*) OVER () FROM ("  # noqa: S608
            f"SELECT q.id, q.search_vector FROM {table} q "
            f"WHERE q.search_vector @@ to_tsquery('simple', %s) AND q.id IN ({visible_sql}) "
            "ORDER BY q.id DESC LIMIT %s) m "
            "ORDER BY ts_rank(m.search_vector, to_tsquery('simple', %s)) DESC, m.id DESC LIMIT %s OFFSET %s"
        )
        params = [match, *visible_params, MAX_RANKED, match, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)
