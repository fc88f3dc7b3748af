"""The Q&A community at 100,000 posts: the question list, Japanese search and similar-question suggestions.

    .venv/bin/python bench/community.py                 # make bench-community (PostgreSQL, the full bench set)
    .venv/bin/python bench/community.py --sqlite        # the same on the embedded default (SQLite FTS5)
    .venv/bin/python bench/community.py --cleanup       # delete the bench questions again

It applies the community app's migrations if they are missing, then (once; idempotent) writes --questions
questions (default 100,000) by the reps of all 20 bench partners over 180 days, and one answer to ~40% of
them, as Japanese text generated from fragments reps would write (a few words common to many posts, most
rare). Rows are bulk-inserted with the tokens made by the app's own tokenizer (kizuna.community.search),
not through the services: no statements are added to the foundation's set. Every bench question's title
starts with "[bench] " so --cleanup deletes only what this script wrote.

It measures, in-process with the test client as a rep of bench-p01 and as the coach (who sees all
agencies): the list page, the list narrowed to one topic, search pages for a common word, a rare word, two
words and a word that matches nothing, page 5 of a common search, and the htmx suggestions while a title is
typed: p50/p95 latency and SQL query count. The machine is shared: compare ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from load import TARGET_PARTNER_SLUG, default_database_url, log, setup_django  # noqa: E402

TITLE_PREFIX = "[bench] "
ROUNDS = 20

SUBJECTS = [
    "飲食店",
    "美容室",
    "介護施設",
    "建設会社",
    "小売チェーン",
    "物流センター",
    "学習塾",
    "クリニック",
    "ホテル",
    "工場",
]
TOPICS = [
    ("値引きを求められた", "他社の方が安いと言われました。見積もりの出し方を教えてください。"),
    ("無料トライアル中に使ってもらえない", "トライアルを始めたのに打刻がありません。フォローの方法は?"),
    ("有給休暇の残り日数の説明", "有給の管理について聞かれて、うまく答えられませんでした。"),
    ("シフト作成の手間を聞かれた", "店長さんがシフト作成に時間がかかっているそうです。"),
    ("導入までの期間", "来月から使いたいというお客様がいます。設定の目安は?"),
    ("決裁者に会えない", "担当者は前向きですが、社長に会わせてもらえません。"),
    ("解約を相談された", "使いこなせないので解約したいと言われました。"),
    ("打刻ミスの修正", "打刻の修正申請の流れを説明したいです。"),
    ("給与ソフトとの連携", "今使っている給与計算ソフトと連携できるか聞かれました。"),
    ("スマホ打刻の不安", "スマホで打刻すると不正ができるのではと心配されています。"),
    ("残業時間の集計", "月末の残業集計が大変だという声を聞きました。"),
    ("複数店舗の管理", "10店舗をまとめて管理したいというご相談です。"),
]
RARE = [
    "顔認証",
    "位置情報",
    "深夜割増",
    "変形労働時間制",
    "36協定",
    "派遣社員",
    "アルバイト",
    "年末調整",
    "タブレット",
    "ICカード",
]
ANSWERS = [
    "まず今の困りごとを数字で聞き、30日無料で比べてもらうのが近道です。",
    "初期費用0円と導入支援を伝えると、価格の差が気にならなくなることが多いです。",
    "店長さんの作業時間が月何時間減るかを一緒に計算すると伝わります。",
    "設定は画面共有で10分ほどです。最初の1店舗だけ一緒に進めましょう。",
]


def _ensure_schema() -> None:
    from django.core.management import call_command
    from django.db import connection

    if "community_question" not in connection.introspection.table_names():
        log("applying the community app's migrations")
        call_command("migrate", "community", interactive=False, verbosity=0)


def cleanup() -> int:
    from django.db import transaction

    from kizuna.community import search
    from kizuna.community.models import Question

    with transaction.atomic():
        ids = list(Question.objects.filter(title__startswith=TITLE_PREFIX).values_list("pk", flat=True))
        for start in range(0, len(ids), 5000):
            Question.objects.filter(pk__in=ids[start : start + 5000]).delete()
        search.rebuild_index()
    return len(ids)


def seed(n_questions: int, rng: random.Random) -> dict[str, int]:
    """Write the bench questions and answers once (bulk, with the app's tokens); return what exists."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from kizuna.catalog.models import Product, Tag
    from kizuna.community import search
    from kizuna.community.models import Answer, Question

    existing = Question.objects.filter(title__startswith=TITLE_PREFIX).count()
    if existing >= n_questions:
        log(f"{existing:,} bench questions already there")
        return {
            "questions": existing,
            "answers": Answer.objects.filter(question__title__startswith=TITLE_PREFIX).count(),
        }
    if existing:
        cleanup()
    people = list(
        get_user_model()
        .objects.filter(membership__role="rep", membership__organization__kind="partner")
        .values_list("pk", "membership__organization_id")
    )
    coach = get_user_model().objects.filter(membership__role="coach").values_list("pk", flat=True).first()
    products = list(Product.objects.values_list("pk", flat=True)[:3]) or [None]
    tags = list(Tag.objects.filter(kind=Tag.Kind.TOPIC).values_list("pk", flat=True))
    now = timezone.now()
    started = time.monotonic()
    made = 0
    answers_made = 0
    batch = 5000
    tag_through = Question.tags.through
    with transaction.atomic():
        while made < n_questions:
            questions = []
            bodies = []
            for _ in range(min(batch, n_questions - made)):
                author, partner = rng.choice(people)
                subject = rng.choice(SUBJECTS)
                topic, detail = rng.choice(TOPICS)
                rare = rng.choice(RARE) if rng.random() < 0.3 else ""
                title = f"{TITLE_PREFIX}{subject}のお客様に{topic}ときの対応 {rare}".strip()
                body = f"{subject}({rng.randint(5, 300)}名)のお客様です。{detail}{rare and rare + 'についても聞かれました。'}"
                created = now - timedelta(minutes=rng.randint(0, 180 * 24 * 60))
                answered = rng.random() < 0.4
                answer_text = rng.choice(ANSWERS) if answered else ""
                q = Question(
                    author_id=author,
                    partner_id=partner,
                    title=title,
                    body=body,
                    body_html=f"<p>{body}</p>",
                    product_id=rng.choice(products),
                    created_at=created,
                    last_activity_at=created + timedelta(hours=rng.randint(1, 48)) if answered else created,
                    answer_count=1 if answered else 0,
                    search_title=search.tokens(title.removeprefix(TITLE_PREFIX)),
                    search_body=search.tokens(body),
                    search_answers=search.tokens(answer_text),
                )
                questions.append(q)
                bodies.append(answer_text)
            Question.objects.bulk_create(questions, batch_size=1000)
            answers = [
                Answer(
                    question=q,
                    author_id=coach if rng.random() < 0.2 and coach else rng.choice(people)[0],
                    body=text,
                    body_html=f"<p>{text}</p>",
                    created_at=q.last_activity_at,
                    search_tokens=q.search_answers,
                    score=rng.randint(0, 5),
                )
                for q, text in zip(questions, bodies, strict=True)
                if text
            ]
            Answer.objects.bulk_create(answers, batch_size=1000)
            if tags:
                tag_through.objects.bulk_create(
                    [tag_through(question_id=q.pk, tag_id=rng.choice(tags)) for q in questions], batch_size=5000
                )
            made += len(questions)
            answers_made += len(answers)
            log(f"  {made:,} questions ({time.monotonic() - started:.0f} s)")
        indexed = search.rebuild_index()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE community_question; ANALYZE community_answer; ANALYZE community_question_tags")
    log(
        f"seeded {made:,} questions and {answers_made:,} answers in {time.monotonic() - started:.0f} s ({indexed:,} indexed)"
    )
    return {"questions": made, "answers": answers_made}


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
    }


def measure(rounds: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import translation

    from kizuna.catalog.models import Tag

    translation.activate("ja")
    User = get_user_model()
    rep = (
        User.objects.filter(membership__organization__slug=TARGET_PARTNER_SLUG, membership__role="rep")
        .order_by("pk")
        .first()
    )
    coach = User.objects.filter(membership__role="coach").first()
    tag = Tag.objects.filter(kind=Tag.Kind.TOPIC).first()
    pages = [
        ("list", "/community/"),
        ("list, one topic", f"/community/?tag={tag.pk}" if tag else "/community/?show=unanswered"),
        ("list, page 50", "/community/?page=50"),
        ("search: common word 値引き", "/community/?q=値引き"),
        ("search: rare word 顔認証", "/community/?q=顔認証"),
        ("search: two words 飲食店 シフト", "/community/?q=飲食店 シフト作成"),
        ("search: page 5 of お客様", "/community/?q=お客様&page=5"),
        ("search: no match", "/community/?q=宇宙旅行"),
        ("suggest while typing", "/community/similar/?title=飲食店で値引きを求められたらどうする"),
    ]
    results: dict[str, Any] = {}
    for who, user in (("rep", rep), ("coach", coach)):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for label, path in pages:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            client.get(path)
            captured: list[str] = []
            with connection.execute_wrapper(
                lambda execute, sql, *rest, captured=captured: captured.append(sql) or execute(sql, *rest)
            ):
                client.get(path)
            samples = []
            for _ in range(rounds):
                started = time.perf_counter()
                client.get(path)
                samples.append((time.perf_counter() - started) * 1000)
            results[f"{who}: {label}"] = {**_stats(samples), "queries": len(captured)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--sqlite", action="store_true", help="measure on a SQLite file (var/bench-community.sqlite3)")
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--cleanup", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.sqlite:
        url = "sqlite:///" + str(BENCH.parent / "var" / "bench-community.sqlite3")
        setup_django(url)
        _sqlite_people()
    else:
        setup_django(args.database_url or default_database_url())
    _ensure_schema()
    if args.cleanup:
        log(f"deleted {cleanup():,} bench questions")
        return
    from django.db import connection

    sizes = seed(args.questions, random.Random(args.seed))
    load = _loadavg()
    results = measure(args.rounds)
    print(
        f"Community at {sizes['questions']:,} questions + {sizes['answers']:,} answers on {connection.vendor}, "
        f"{args.rounds} rounds, load average {load} (a shared machine: compare ratios)"
    )
    print(f"{'page':44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, row in results.items():
        print(f"{label:44} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['queries']:>8}")
    out = BENCH / "results" / f"community-{connection.vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"sizes": sizes, "load": load, "results": results}, ensure_ascii=False, indent=2))


def _loadavg() -> str:
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _sqlite_people() -> None:
    """On the SQLite file: the whole schema, and 20 partners with 5 reps each and a coach, made once."""
    from django.core.management import call_command

    from kizuna.orgs.models import Membership, Organization

    call_command("migrate", interactive=False, verbosity=0)
    if Organization.objects.filter(slug=TARGET_PARTNER_SLUG).exists():
        return
    from django.contrib.auth import get_user_model

    User = get_user_model()
    principal = Organization.objects.get_or_create(slug="principal", defaults={"name": "委託元", "kind": "principal"})[
        0
    ]
    coach = User.objects.create_user("coach@principal.bench.example", None, name="コーチ")
    Membership.objects.create(user=coach, organization=principal, role="coach")
    for p in range(1, 21):
        partner = Organization.objects.create(slug=f"bench-p{p:02d}", name=f"パートナー{p:02d}", kind="partner")
        for r in range(1, 6):
            user = User.objects.create_user(f"rep{r:05d}@p{p:02d}.bench.example", None, name=f"営業 {p}-{r}")
            Membership.objects.create(user=user, organization=partner, role="rep")


if __name__ == "__main__":
    main()
