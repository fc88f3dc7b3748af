"""The demo's glossary (issue 18 part 1): the principal's words, explained plainly, as authors keep them.

The demo lessons use some of them (データ連携, 打刻ログ, タイムカード), so reps can tap them; ヨミ is insider jargon
still without an explanation: an author who writes it in an editor sees the warning that blocks publishing.
Reps of the agencies asked about words they did not understand (the authors' words page and its most-asked list):
the authors were told in one batch, 直行直帰 was explained afterwards (its askers were told), and a last ask waits for
the next batch. Written only through the plain-words services, as production would.
"""

import re
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils.html import strip_tags

from kizuna.catalog.selectors import published_courses
from kizuna.plain.lessons import lesson_for_user
from kizuna.plain.services import term_save, word_ask, word_questions_notify

AUTHOR = "author@principal.example"

# (Japanese, English, insider jargon, plain explanation, plain wording, example)
TERMS = (
    (
        "データ連携",
        "data integration",
        True,
        "打刻の記録が、給与ソフトに自動で入ること。手で入力し直さなくてよくなります。",
        "給与ソフトに自動で入る",
        "データ連携で、締め日の集計がいらなくなります。",
    ),
    (
        "打刻ログ",
        "punch log",
        True,
        "出勤や退勤のボタンを押した時刻の記録です。",
        "出勤・退勤の記録",
        "打刻ログを見れば、誰が何時に来たかがわかります。",
    ),
    (
        "タイムカード",
        "time card",
        False,
        "出勤と退勤の時刻を記録するカード。紙のものと、ICカードのものがあります。",
        "",
        "",
    ),
    (
        "締め日",
        "closing day",
        False,
        "その月の勤務時間を数えて、給料を計算する区切りの日です。",
        "",
        "締め日は毎月20日です。",
    ),
    (
        "36協定",
        "Article 36 agreement",
        True,
        "残業をさせるために、会社と社員の代表が結ぶ約束。残業時間の上限を決めます。",
        "残業の約束",
        "",
    ),
    ("KPI", "KPI", True, "目標に近づいているかを見るための数字。たとえば「今月の訪問件数」です。", "目標の数字", ""),
    ("ヨミ", "", True, "", "", ""),
)


# (word, the reps who asked about it): each asks in the first published lesson whose text has the word.
ASKS = (
    ("打刻", ("rep1@partner-a.example", "rep2@partner-a.example", "rep1@partner-b.example")),
    ("直行直帰", ("rep2@partner-a.example", "rep1@partner-c.example")),
    ("有給休暇", ("rep2@partner-b.example",)),
    ("締め日", ("rep1@partner-b.example",)),
)
# Asked about first, explained afterwards: its askers get "now explained".
EXPLAINED_LATER = (
    "直行直帰",
    "会社に寄らずに、家から直接お客様のところへ行き、終わったら会社に戻らずに家へ帰ることです。",
)
WAITING = ("シフト表", "rep2@partner-a.example")


def _lessons_with(word: str) -> list[tuple[int, str]]:
    """Return (id, text) of the published lessons whose text has the word."""
    found = []
    for course in published_courses():
        version = course.latest_version
        for lesson in version.lessons.all() if version is not None else []:
            text = strip_tags(lesson.body_html)
            if word in text:
                found.append((lesson.pk, text))
    return found


def _ask(word: str, email: str) -> None:
    rep = get_user_model().objects.filter(email=email).first()
    for lesson_id, text in _lessons_with(word) if rep is not None else []:
        try:
            lesson = lesson_for_user(rep, lesson_id)
        except Http404:  # not assigned to this rep's agency
            continue
        sentence = next((part.strip() + "。" for part in re.split(r"[。\n]", text) if word in part), "")
        word_ask(rep=rep, lesson=lesson, word=word, sentence=sentence)
        return


def seed_word_questions(*, now: datetime, author: Any) -> None:
    for word, emails in ASKS:
        for email in emails:
            _ask(word, email)
    word_questions_notify(now=now)  # the authors' hourly notice of these asks
    term_ja, explanation = EXPLAINED_LATER
    term_save(editor=author, term_ja=term_ja, explanation_ja=explanation)  # its askers are told
    _ask(*WAITING)  # reported in the next hourly notice


def seed_plain(*, now: datetime) -> None:
    author = get_user_model().objects.get(email=AUTHOR)
    for term_ja, term_en, jargon, explanation, plain, example in TERMS:
        term_save(
            editor=author,
            term_ja=term_ja,
            term_en=term_en,
            is_jargon=jargon,
            explanation_ja=explanation,
            plain_ja=plain,
            example_ja=example,
        )
    seed_word_questions(now=now, author=author)
