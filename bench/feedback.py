"""Field voice on the bench data: the report (most frequent questions and objections per product and period,
their month-by-month trend, topics, products, the answered share) and its CSV over 50,000 entries.

In the full bench database (or --database-url), this script:

1. applies the `feedback` app's migrations if they are missing (and the `accounts` ones the pages need);
2. adds, once, --entries field voice rows (default 50,000) from the bench reps of all 20 partners over the last
   year: ~60 recurring questions/objections/competitor offers written in varying widths, punctuation and spacing
   (Zipf-like frequencies) plus a long tail of one-off texts, 5 bench products, 1–2 topic tags on ~60%, ~35%
   answered. They are inserted as rows (bulk_create), not through the service: 50,000 extra statements would
   change the foundation's statement set that the other benchmarks measure. Their submission ids are derived
   from this script's namespace, so a second run adds nothing and --cleanup removes exactly them;
3. measures, in-process: ``voice_report`` for the principal's admin over the default period (six months), over
   a year, with a product filter, and for bench-p01's manager (one agency); the report page and the CSV through
   the test client; the SQL query count of each, p50/p95, and EXPLAIN ANALYZE of the grouping query;
4. writes bench/results/feedback-<timestamp>.json and prints it.

    .venv/bin/python bench/feedback.py                 # make bench-feedback
    .venv/bin/python bench/feedback.py --cleanup       # remove the generated entries again
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from load import RESULTS, TARGET_PARTNER_SLUG, default_database_url, log, setup_django  # noqa: E402

NAMESPACE = uuid.UUID("0c8e7d1a-4b2f-4e61-9a57-5f0d3c2b1e90")
PRODUCTS = (
    ("bench-fv-attendance", "[bench] クラウド勤怠"),
    ("bench-fv-payroll", "[bench] 給与計算"),
    ("bench-fv-expense", "[bench] 経費精算"),
    ("bench-fv-hr", "[bench] 人事評価"),
    ("bench-fv-shift", "[bench] シフト管理"),
)
RECURRING = {
    "objection": [
        "他社より高いのでは?",
        "今の紙のタイムカードで困っていない",
        "導入の手間がかかりそう",
        "現場のスタッフが使いこなせるか不安",
        "来年度の予算で検討したい",
        "社長の決裁が必要",
        "セキュリティが心配",
        "今のシステムの契約が残っている",
        "月額ではなく買い切りがいい",
        "サポートが電話だけだと困る",
        "無料お試しの期間が短い",
        "アルバイトにスマホを使わせたくない",
        "乗り換えのデータ移行が不安",
        "機能が多すぎて使わない",
        "他の部署と相談してから",
        "もっと安いプランはないのか",
        "解約のときに違約金があるのでは",
        "既存の給与ソフトと合わない",
        "小さな会社には大げさ",
        "ネットがつながらない現場がある",
    ],
    "question": [
        "給与ソフトへの連携はCSVだけですか?",
        "スマホを持っていない人はどう打刻しますか?",
        "有給休暇の年5日取得を自動で知らせられますか?",
        "導入までに何日かかりますか?",
        "何人から契約できますか?",
        "複数の店舗をまとめて管理できますか?",
        "シフト表から自動で勤務予定を作れますか?",
        "打刻の位置情報は記録されますか?",
        "残業の上限を超えそうなときに通知できますか?",
        "管理者は何人まで追加できますか?",
        "データはどこに保存されますか?",
        "請求書払いに対応していますか?",
        "英語表示に切り替えられますか?",
        "過去の勤怠データを取り込めますか?",
        "顔認証で打刻できますか?",
        "労働基準監督署の調査に使える帳票は出せますか?",
        "夜勤の日またぎはどう集計されますか?",
        "テレワークの勤務も記録できますか?",
        "契約の途中で人数を増やせますか?",
        "サポートの受付時間は何時までですか?",
    ],
    "competitor": [
        "競合A社が初月無料キャンペーン中",
        "B社は顔認証打刻を標準で付けている",
        "C社は導入支援を無料にしている",
        "A社は1人200円で提案している",
        "D社は給与計算とセットで割引している",
        "B社の営業が毎週来ている",
        "C社はLINEで打刻できると言っている",
        "A社はシフト管理を無料で付けている",
        "E社は年契約で2か月無料",
        "B社は紙のタイムカードからの移行を代行している",
        "C社は店舗タブレットを無料で貸している",
        "A社は解約金なしをうたっている",
        "D社は電話サポートが24時間",
        "E社は100人以上で半額",
        "B社は補助金の申請を手伝っている",
        "C社は英語と中国語に対応",
        "A社は初期設定を1日で終わらせると言っている",
        "D社は位置情報つき打刻が標準",
        "E社は有給管理を無料で付けている",
        "B社が既存顧客に値下げを案内している",
    ],
}
STAGES = ["first_contact", "hearing", "proposal", "negotiation", "closing", "after_sale", ""]
INDUSTRIES = ["manufacturing", "retail", "it", "finance", "healthcare", "real_estate", "services", "public", "other"]


def _variant(text: str, rng: random.Random) -> str:
    """The same words as a rep might type them: full-width or half-width, a space, a different mark at the end."""
    roll = rng.random()
    if roll < 0.25:
        text = text.rstrip("?。!") + rng.choice(["", "?", "。", "!", "…"])
    elif roll < 0.4:
        text = text.replace("A社", "Ａ社").replace("B社", "Ｂ社").replace("CSV", "ＣＳＶ")
    elif roll < 0.5 and len(text) > 6:
        cut = rng.randint(2, len(text) - 2)
        text = text[:cut] + " " + text[cut:]
    return text


def _ensure_schema() -> None:
    """Apply the feedback app's migrations, and the accounts ones the pages need (the notification counter)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    for app in ("accounts", "feedback"):
        targets = [key for key in executor.loader.graph.leaf_nodes() if key[0] == app]
        if executor.migration_plan(targets):
            log(f"applying the {app} app's migrations")
            call_command("migrate", app, interactive=False, verbosity=0)


def _submission_id(i: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"voice:{i}")


def _seed(n: int, rng: random.Random) -> int:
    """Insert the entries that are missing; return how many were added."""
    from django.db import connection, transaction
    from django.utils import timezone

    from kizuna.catalog.models import Product, Tag
    from kizuna.feedback.models import FieldVoice
    from kizuna.feedback.services import normalize_text
    from kizuna.orgs.models import Membership

    have = FieldVoice.objects.filter(submission_id__in=[_submission_id(i) for i in (0, n - 1)]).count()
    if have == 2:
        log(f"{n} bench entries already there")
        return 0
    products = [Product.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in PRODUCTS]
    tags = list(Tag.objects.filter(kind=Tag.Kind.TOPIC))
    reps = list(
        Membership.objects.filter(role="rep", organization__kind="partner").values_list("user_id", "organization_id")
    )
    answerer = Membership.objects.filter(role="coach").values_list("user_id", flat=True).first()
    weights = [1 / (rank + 1) for rank in range(20)]
    now = timezone.now()
    rows, tag_rows = [], []
    TagLink = FieldVoice.tags.through
    started = time.perf_counter()
    existing = set(
        FieldVoice.objects.filter(submission_id__in=[_submission_id(i) for i in range(n)]).values_list(
            "submission_id", flat=True
        )
    )
    for i in range(n):
        kind = rng.choices(["objection", "question", "competitor"], weights=[5, 4, 2])[0]
        if rng.random() < 0.7:
            text = _variant(rng.choices(RECURRING[kind], weights=weights)[0], rng)
        else:
            text = f"{rng.choice(RECURRING[kind]).rstrip('?。')}(お客様{rng.randint(1, 10**6)}の事情)"
        sid = _submission_id(i)
        if sid in existing:
            continue
        rep_id, partner_id = rng.choice(reps)
        created = now - timedelta(days=rng.random() ** 0.7 * 365)
        answered = rng.random() < 0.35
        rows.append(
            FieldVoice(
                submission_id=sid,
                rep_id=rep_id,
                partner_id=partner_id,
                kind=kind,
                text=text,
                normalized=normalize_text(text),
                product=rng.choice(products) if rng.random() < 0.9 else None,
                deal_stage=rng.choice(STAGES),
                industry=rng.choice(INDUSTRIES),
                status="answered" if answered else "new",
                answer="回答しました。" if answered else "",
                answered_by_id=answerer if answered else None,
                answered_at=created + timedelta(hours=rng.randint(1, 72)) if answered else None,
                created_at=created,
            )
        )
    with transaction.atomic():
        FieldVoice.objects.bulk_create(rows, batch_size=5000)
        ids = dict(
            FieldVoice.objects.filter(submission_id__in=[r.submission_id for r in rows]).values_list(
                "submission_id", "pk"
            )
        )
        for row in rows:
            if tags and rng.random() < 0.6:
                for tag in rng.sample(tags, rng.choice([1, 1, 2])):
                    tag_rows.append(TagLink(fieldvoice_id=ids[row.submission_id], tag_id=tag.pk))
        TagLink.objects.bulk_create(tag_rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feedback_fieldvoice; ANALYZE feedback_fieldvoice_tags;")
    log(f"added {len(rows)} entries and {len(tag_rows)} topic links in {time.perf_counter() - started:.1f}s")
    return len(rows)


def _cleanup(n: int) -> int:
    from kizuna.feedback.models import FieldVoice

    deleted = 0
    ids = [_submission_id(i) for i in range(n)]
    for start in range(0, len(ids), 5000):
        count, _per = FieldVoice.objects.filter(submission_id__in=ids[start : start + 5000]).delete()
        deleted += count
    return deleted


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
    }


def _measure(rounds: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation

    from kizuna.catalog.models import Product
    from kizuna.feedback import selectors

    translation.activate("ja")
    User = get_user_model()
    admin = User.objects.filter(membership__role="admin").select_related("membership__organization").first()
    manager = User.objects.get(membership__role="manager", membership__organization__slug=TARGET_PARTNER_SLUG)
    manager = User.objects.select_related("membership__organization").get(pk=manager.pk)
    product = Product.objects.get(slug=PRODUCTS[0][0])
    today = timezone.localdate()
    six = selectors.default_period(today)
    cases = {
        "admin_6_months": (admin, selectors.ReportFilter(since=six[0], until=six[1])),
        "admin_12_months": (admin, selectors.ReportFilter(since=today - timedelta(days=365), until=today)),
        "admin_12_months_one_product": (
            admin,
            selectors.ReportFilter(since=today - timedelta(days=365), until=today, product_id=product.pk),
        ),
        "manager_p01_6_months": (manager, selectors.ReportFilter(since=six[0], until=six[1])),
    }
    results: dict[str, Any] = {}
    for key, (user, flt) in cases.items():
        with CaptureQueriesContext(connection) as captured:
            report = selectors.voice_report(user, flt)
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            selectors.voice_report(user, flt)
            samples.append((time.perf_counter() - started) * 1000)
        results[key] = {
            "entries_in_period": report.total,
            "answered_percent": report.answered_percent,
            "top_count": report.top[0].count if report.top else 0,
            "queries": len(captured.captured_queries),
            **_stats(samples),
        }
    pages: dict[str, Any] = {}
    for key, path in (("report_page", "/field-voice/report/"), ("csv_12_months", "/field-voice/report.csv")):
        client = Client(HTTP_HOST="127.0.0.1")  # the bench's ALLOWED_HOSTS
        client.force_login(admin)
        query = {} if key == "report_page" else {"since": str(today - timedelta(days=365)), "until": str(today)}
        client.get(path, query)
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get(path, query)
            samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        pages[key] = {**_stats(samples), "bytes": len(response.content)}
    return {"report": results, "pages": pages, "explain": _explain(admin, cases["admin_12_months"][1])}


def _explain(user: Any, flt: Any) -> list[str]:
    """EXPLAIN ANALYZE of the report's grouping query (the most frequent texts), trimmed to its summary lines."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kizuna.feedback import selectors

    with CaptureQueriesContext(connection) as captured:
        selectors.voice_report(user, flt)
    sql = next(q["sql"] for q in captured.captured_queries if "MAX" in q["sql"] and "normalized" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    return [line for line in lines if "Execution Time" in line or "Planning Time" in line or "Scan" in line][:8]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cleanup", action="store_true", help="delete the generated entries and stop")
    args = parser.parse_args()
    setup_django(args.database_url or default_database_url())
    _ensure_schema()
    if args.cleanup:
        log(f"deleted {_cleanup(args.entries)} rows")
        return
    added = _seed(args.entries, random.Random(args.seed))
    from kizuna.feedback.models import FieldVoice

    result = {
        "benchmark": "feedback",
        "entries": FieldVoice.objects.count(),
        "added_now": added,
        "note": "2 shared cores, other benchmarks and test runs may be running: figures are noisy",
        **_measure(args.rounds),
        "date": str(date.today()),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"feedback-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
