"""The demo's glossary (issue 18 part 1): the principal's words, explained plainly, as authors keep them.

The demo lessons use some of them (データ連携, 打刻ログ, タイムカード), so reps can tap them; ヨミ is insider jargon
still without an explanation: an author who writes it in an editor sees the warning that blocks publishing.
Written only through the plain-words services, as production would.
"""

from datetime import datetime

from django.contrib.auth import get_user_model

from kizuna.plain.services import term_save

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
