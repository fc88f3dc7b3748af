"""Set-up of the bench data set: schema, people, published content and assignments, through the ORM and services."""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .common import (
    DAY,
    HOUR,
    MINUTE,
    PASSWORD,
    ROOT,
    CourseInfo,
    LessonInfo,
    Planned,
    Rep,
    Size,
    local_midnight,
    log,
    to_dt,
    to_us,
)


def reset_schema() -> None:
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('public.media_video') IS NOT NULL")
        has_videos = cur.fetchone()[0]
        old_videos = []
        if has_videos:
            cur.execute("SELECT mp4 FROM media_video WHERE mp4 LIKE 'videos/%%/bench.mp4'")
            old_videos = [row[0] for row in cur.fetchall()]
        cur.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cur.execute("CREATE SCHEMA public")
    for name in old_videos:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / Path(name).parent, ignore_errors=True)
    log("schema dropped and recreated")


def ensure_empty() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('public.records_statement') IS NOT NULL")
        if cur.fetchone()[0]:
            cur.execute("SELECT EXISTS (SELECT 1 FROM accounts_user)")
            if cur.fetchone()[0]:
                sys.exit("The bench database already has data. Run with --reset to drop and rebuild it.")


def words(text: str) -> list[str]:
    return text.split()


SURNAMES = words(
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水 山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本"
)
GIVEN = words(
    "翔太 大輝 拓海 健太 陽菜 美咲 結衣 さくら 蓮 悠斗 湊 葵 花子 一郎 直樹 恵 彩 優子 誠 亮 千尋 遥 真央 大和 颯 美穂 智也 由美 達也 愛"
)
REGIONS = words("東京 大阪 名古屋 福岡 札幌 仙台 横浜 神戸 京都 広島 千葉 埼玉 静岡 新潟 金沢 岡山 熊本 那覇 松山 高松")
AGENCY_WORDS = words(
    "セールス パートナーズ ソリューション コミュニケーション マーケティング プロモーション アドバンス リンク"
)


def partner_sizes(size: Size, rng: random.Random) -> list[int]:
    """Return how many reps each partner has: the first exactly target_partner_reps, the rest varied."""
    others = size.partners - 1
    rest = size.reps - size.target_partner_reps
    if others <= 0:
        return [size.reps]
    raw = [rng.uniform(0.4, 1.6) for _ in range(others)]
    scale = rest / sum(raw)
    sizes = [max(1, int(r * scale)) for r in raw]
    i = 0
    while sum(sizes) < rest:
        sizes[i % others] += 1
        i += 1
    while sum(sizes) > rest:
        if sizes[i % others] > 1:
            sizes[i % others] -= 1
        i += 1
    return [size.target_partner_reps, *sizes]


def build_people(size: Size, seed: int, window_start_us: int, window_end_us: int) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password

    from kizuna.accounts.models import User
    from kizuna.orgs.models import Membership, Organization, Team

    rng = random.Random(f"{seed}-people")
    password_hash = make_password(PASSWORD)
    principal = Organization.objects.create(name="絆ソフト株式会社", slug="principal", kind="principal")
    staff = {}
    for role, name in [("admin", "管理 花子"), ("author", "作成 太郎"), ("coach", "指導 一郎")]:
        user = User.objects.create(
            email=f"{role}@principal.bench.example", name=name, password=password_hash, is_staff=role == "admin"
        )
        Membership.objects.create(user=user, organization=principal, role=role)
        staff[role] = user

    partners: list[dict[str, Any]] = []
    users: list[Any] = []
    member_specs: list[tuple[int, int, str]] = []  # (index into users, partner index, role)
    for p, count in enumerate(partner_sizes(size, rng), start=1):
        org = Organization.objects.create(
            name=f"{REGIONS[(p - 1) % len(REGIONS)]}{AGENCY_WORDS[(p - 1) % len(AGENCY_WORDS)]}株式会社",
            slug=f"bench-p{p:02d}",
            kind="partner",
        )
        n_teams = max(1, math.ceil(count / size.team_size))
        teams = Team.objects.bulk_create(
            [
                Team(organization=org, name=f"{REGIONS[t % len(REGIONS)]}第{t // len(REGIONS) + 1}チーム")
                for t in range(n_teams)
            ]
        )
        partners.append({"org": org, "teams": teams, "size": count})
        users.append(
            User(
                email=f"manager@p{p:02d}.bench.example",
                name=f"{rng.choice(SURNAMES)} 課長",
                password=password_hash,
                date_joined=to_dt(window_start_us - 400 * DAY),
            )
        )
        member_specs.append((len(users) - 1, p - 1, "manager"))
        for r in range(count):
            joined = (
                window_start_us - rng.randint(10, 500) * DAY
                if rng.random() < 0.9
                else rng.randint(window_start_us, window_end_us - 7 * DAY)  # joined during the window
            )
            lang = "en" if rng.random() < 0.05 else ("ja" if rng.random() < 0.05 else "")
            users.append(
                User(
                    email=f"rep{r + 1:05d}@p{p:02d}.bench.example",
                    name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                    password=password_hash,
                    language=lang,
                    date_joined=to_dt(joined),
                )
            )
            member_specs.append((len(users) - 1, p - 1, "rep"))
    users = User.objects.bulk_create(users, batch_size=2000)
    memberships = []
    reps: list[Rep] = []
    team_rank: dict[int, int] = {}
    for index, partner_index, role in member_specs:
        user, partner = users[index], partners[partner_index]
        teams = partner["teams"]
        if role == "manager":
            team = teams[0]
            team_rank[partner_index] = 0
        else:
            # Consecutive reps fill one team after another, ~team_size each.
            n = team_rank[partner_index]
            team = teams[min(n // size.team_size, len(teams) - 1)]
            team_rank[partner_index] = n + 1
            roll = rng.random()
            weight = 0.05 if roll < 0.12 else (1.0 if roll < 0.6 else 2.5)
            if partner_index == 0 and n < 20:
                weight = 1.5  # the reps the load run signs in as are never dormant
            reps.append(
                Rep(
                    user_id=user.pk,
                    partner_id=partner["org"].pk,
                    team_id=team.pk,
                    language=user.language,
                    weight=weight,
                    joined_us=to_us(user.date_joined),
                )
            )
        memberships.append(Membership(user=user, organization=partner["org"], team=team, role=role))
    Membership.objects.bulk_create(memberships, batch_size=2000)
    managers = {m.organization_id: m.user for m in memberships if m.role == "manager"}
    for partner in partners:
        partner["manager"] = managers[partner["org"].pk]
    log(
        f"people: {len(partners)} partners, {sum(len(p['teams']) for p in partners)} teams, "
        f"{len(reps):,} reps, {len(partners)} managers, 3 principal staff"
    )
    return {"principal": principal, "staff": staff, "partners": partners, "reps": reps}


ARTICLE_LINES = [
    "お客様の話を最後まで聞くことが、提案の第一歩です。",
    "創業当時、私たちは「売る前に、わかる」を合言葉にしていました。",
    "失注の理由を振り返ると、ヒアリング不足がいちばん多く見つかります。",
    "製品の強みは機能の数ではなく、お客様の業務がどう変わるかで語ります。",
    "価格の質問には、まず導入後の効果を一緒に確かめてからお答えします。",
    "現場で迷ったら、お客様にとっての「次の一歩」を考えてください。",
    "トップ営業は、商談の前に必ず相手の業界ニュースを確認しています。",
    "断られた理由は、次の商談のいちばんの教材です。",
]


def article_body(rng: random.Random, title: str) -> str:
    parts = [f"## {title}", ""]
    for _ in range(rng.randint(3, 6)):
        parts.append("".join(rng.sample(ARTICLE_LINES, 3)))
        parts.append("")
    parts.append("### ポイント")
    parts.extend(f"- {line}" for line in rng.sample(ARTICLE_LINES, 3))
    parts.append("")
    parts.append("> " + rng.choice(ARTICLE_LINES))
    return "\n".join(parts)


def make_video_file(out_dir: Path) -> tuple[Path, Path, float, int, int]:
    """Make the one tiny real MP4 (and its poster) the video lessons point at; reuse it once made."""
    mp4, poster = out_dir / "bench.mp4", out_dir / "poster.jpg"
    out_dir.mkdir(parents=True, exist_ok=True)
    if not mp4.exists() or not poster.exists():
        ffmpeg = shutil.which("ffmpeg")
        if not ffmpeg:
            sys.exit("ffmpeg is needed once to make the benchmark's sample video (apt-get install ffmpeg).")
        subprocess.run(
            [
                ffmpeg,
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=256x144:rate=10:duration=30",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=30",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "36",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-b:a",
                "24k",
                "-movflags",
                "+faststart",
                "-shortest",
                str(mp4),
            ],
            check=True,
        )
        subprocess.run(
            [
                ffmpeg,
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-ss",
                "1",
                "-i",
                str(mp4),
                "-frames:v",
                "1",
                str(poster),
            ],
            check=True,
        )
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=width,height", "-of", "json", str(mp4)],
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(probe.stdout)
    video_stream = next(s for s in info["streams"] if s.get("width"))
    return mp4, poster, float(info["format"]["duration"]), int(video_stream["width"]), int(video_stream["height"])


STORY_TAGS = [
    ("founder-story", "創業者の想い", "Founder story"),
    ("customer-voice", "お客様の声", "Customer voice"),
    ("failure-case", "失敗事例", "Failure case"),
    ("partner-success", "パートナー成功事例", "Partner success"),
    ("product-update", "製品アップデート", "Product update"),
]
TOPIC_TAGS = [
    ("hearing", "ヒアリング", "Discovery"),
    ("proposal", "提案", "Proposal"),
    ("closing", "クロージング", "Closing"),
    ("objections", "切り返し", "Handling objections"),
    ("product", "製品知識", "Product knowledge"),
    ("compliance", "コンプライアンス", "Compliance"),
    ("follow-up", "フォローアップ", "Follow-up"),
    ("prospecting", "見込み客開拓", "Prospecting"),
]
PRODUCTS = [
    ("kizuna-crm", "キズナCRM"),
    ("kizuna-pay", "キズナペイ"),
    ("kizuna-cloud", "キズナクラウド"),
    ("kizuna-support", "キズナサポート"),
]
COURSE_THEMES = [
    "入門",
    "実践",
    "ケーススタディ",
    "よくある質問",
    "商談の進め方",
    "価値の伝え方",
    "失敗から学ぶ",
    "トップ営業の考え方",
    "最新アップデート",
    "お客様の声を聞く",
]


def build_content(size: Size, seed: int, staff: dict[str, Any], window_start_us: int) -> list[CourseInfo]:
    """Create and publish the courses through the real catalog services; return what the simulation needs."""
    from django.conf import settings
    from django.db import transaction

    from kizuna.catalog import services as catalog
    from kizuna.catalog.models import PublishedLesson
    from kizuna.catalog.selectors import course_activity_data, lesson_activity_data
    from kizuna.media.models import Video

    rng = random.Random(f"{seed}-content")
    author = staff["author"]
    mp4, poster, length, width, height = make_video_file(ROOT / "var" / "bench" / "assets")
    video_courses = set(rng.sample(range(size.courses), min(size.video_courses, size.courses)))
    published_us = window_start_us - 120 * DAY
    with transaction.atomic():
        tags = {
            kind: [catalog.tag_create(kind=kind, slug=slug, name_ja=ja, name_en=en) for slug, ja, en in items]
            for kind, items in (("story", STORY_TAGS), ("topic", TOPIC_TAGS))
        }
        products = [catalog.product_create(name=name, slug=slug) for slug, name in PRODUCTS]
        courses = []
        for c in range(size.courses):
            product = rng.choice(products + [None])
            theme = COURSE_THEMES[c % len(COURSE_THEMES)]
            title = f"{product.name if product else '営業の基本'}：{theme} #{c + 1}"
            course = catalog.course_create(
                author=author,
                title=title,
                slug=f"bench-course-{c + 1:03d}",
                summary=rng.choice(ARTICLE_LINES),
                product=product,
                tags=[rng.choice(tags["story"]), *rng.sample(tags["topic"], rng.randint(1, 2))],
            )
            n_lessons = rng.randint(3, 8)
            n_modules = 1 if n_lessons <= 4 else rng.randint(2, 3)
            video_at = rng.randrange(n_lessons) if c in video_courses else -1
            modules = [catalog.module_create(course=course, title=f"第{m + 1}章") for m in range(n_modules)]
            for i in range(n_lessons):
                lesson_title = f"{theme} {i + 1}：{rng.choice(['基本', '考え方', '事例', '練習', 'まとめ'])}"
                module = modules[min(i * n_modules // n_lessons, n_modules - 1)]
                if i == video_at:
                    key = uuid.uuid4()
                    folder = Path(settings.MEDIA_ROOT) / "videos" / str(key)
                    folder.mkdir(parents=True, exist_ok=True)
                    for src, name in ((mp4, "original"), (mp4, "bench.mp4"), (poster, "poster.jpg")):
                        shutil.copyfile(src, folder / name)
                    video = Video.objects.create(
                        key=key,
                        title=lesson_title,
                        uploaded_by=author,
                        original=f"videos/{key}/original",
                        status=Video.Status.READY,
                        duration_seconds=length,
                        width=width,
                        height=height,
                        mp4=f"videos/{key}/bench.mp4",
                        poster=f"videos/{key}/poster.jpg",
                        ready_at=to_dt(published_us),
                    )
                    catalog.lesson_create(
                        module=module, kind="video", title=lesson_title, video=video, estimated_minutes=1
                    )
                else:
                    catalog.lesson_create(
                        module=module,
                        kind="article",
                        title=lesson_title,
                        body=article_body(rng, lesson_title),
                        estimated_minutes=rng.randint(3, 8),
                    )
            when = to_dt(published_us + c * HOUR)
            if rng.random() < 0.1:
                # An older version nobody in the window learns on: reps learn the latest.
                catalog.course_publish(course=course, publisher=author, when=when - timedelta(days=30))
            version = catalog.course_publish(course=course, publisher=author, when=when)
            courses.append(version)

    infos = []
    lessons = PublishedLesson.objects.filter(version__in=courses).select_related("version__course", "video")
    by_version: dict[int, list[Any]] = {}
    for lesson in lessons.order_by("version_id", "position"):
        by_version.setdefault(lesson.version_id, []).append(lesson)
    for version in courses:
        course_data = course_activity_data(version)
        lesson_infos = []
        for lesson in by_version[version.pk]:
            data = lesson_activity_data(lesson)
            lesson_infos.append(
                LessonInfo(
                    id=lesson.pk,
                    course_id=data["course_id"],
                    version_id=data["course_version_id"],
                    kind=lesson.kind,
                    estimated_minutes=lesson.estimated_minutes,
                    video_length=float(lesson.video.duration_seconds or 0) if lesson.video_id else 0.0,
                    base=(
                        data["iri"],
                        data["type"].iri,
                        json.dumps(data["name"]),
                        data["course_id"],
                        data["course_version_id"],
                        data["lesson_id"],
                    ),
                    parents=tuple(data.get("parents", [])),
                )
            )
        infos.append(
            CourseInfo(
                id=version.course_id,
                version_id=version.pk,
                lesson_count=version.lesson_count,
                lessons=lesson_infos,
                base=(
                    course_data["iri"],
                    course_data["type"].iri,
                    json.dumps(course_data["name"]),
                    course_data["course_id"],
                    course_data["course_version_id"],
                    None,
                ),
            )
        )
    log(
        f"content: {len(infos)} published courses, {sum(len(c.lessons) for c in infos):,} lessons, "
        f"{len(video_courses)} with a video lesson ({length:.0f} s MP4)"
    )
    return infos


@dataclass
class PlannedAssignment:
    course: CourseInfo
    partner_index: int
    team: Any
    required: bool
    due_us: int | None
    at_us: int


def plan_assignments(
    size: Size,
    seed: int,
    world: dict[str, Any],
    courses: list[CourseInfo],
    window_start_us: int,
    window_end_us: int,
    tz: ZoneInfo,
) -> list[PlannedAssignment]:
    """Pick ~courses_per_partner courses for each partner: mostly partner-wide, a few for single teams."""
    planned = []
    core = courses[: max(1, len(courses) // 6)]  # a popular core every agency is likely to get
    for p, partner in enumerate(world["partners"]):
        # Seeded per partner and independent of its size, so the small data set gets the same courses.
        rng = random.Random(f"{seed}-assign-{p}")
        n_core = min(len(core), size.courses_per_partner // 2)
        chosen = rng.sample(core, n_core)
        rest = [c for c in courses if c not in chosen]
        chosen += rng.sample(rest, min(len(rest), size.courses_per_partner - n_core))
        n_team_level = max(1, len(chosen) // 5)
        for i, course in enumerate(chosen):
            if i < len(chosen) * 0.6:
                at = window_start_us - rng.randint(5, 60) * DAY  # onboarding before the window
            else:
                at = rng.randint(window_start_us, window_end_us - 10 * DAY)  # rolled out during it
            at = local_midnight(at, tz) + rng.randint(9 * HOUR, 18 * HOUR)  # office hours
            required = rng.random() < 0.45
            due = at + rng.randint(14, 60) * DAY if required else None
            if i >= len(chosen) - n_team_level:
                teams = partner["teams"]
                picks = rng.sample(range(len(teams)), min(len(teams), rng.randint(1, 4)))
                for t in picks:
                    planned.append(PlannedAssignment(course, p, teams[t], required, due, at + t * MINUTE))
            else:
                planned.append(PlannedAssignment(course, p, None, required, due, at))
    return planned


def create_assignments(world: dict[str, Any], planned: list[PlannedAssignment]) -> None:
    from kizuna.catalog.models import Assignment

    rows = []
    for a in planned:
        partner = world["partners"][a.partner_index]
        # Partner-wide work is assigned by the principal's admin, team work by the agency's manager.
        assigned_by = partner["manager"] if a.team else world["staff"]["admin"]
        rows.append(
            Assignment(
                course_id=a.course.id,
                partner=partner["org"],
                team=a.team,
                required=a.required,
                due_at=to_dt(a.due_us) if a.due_us else None,
                assigned_by=assigned_by,
            )
        )
    created = Assignment.objects.bulk_create(rows, batch_size=1000)
    # created_at is auto_now_add: put it back to when the assignment was made.
    for assignment, a in zip(created, planned, strict=True):
        assignment.created_at = to_dt(a.at_us)
    Assignment.objects.bulk_update(created, ["created_at"], batch_size=1000)
    log(
        f"assignments: {len(created)} ({sum(1 for a in planned if a.team)} team-level, "
        f"{sum(1 for a in planned if a.required)} required with a due date)"
    )


def plan_reps(world: dict[str, Any], planned: list[PlannedAssignment], seed: int) -> None:
    """Give every rep the ordered list of courses they will work through."""
    rng = random.Random(f"{seed}-plans")
    by_partner: dict[int, list[PlannedAssignment]] = {}
    for a in planned:
        by_partner.setdefault(world["partners"][a.partner_index]["org"].pk, []).append(a)
    for rep in world["reps"]:
        plan = []
        for a in by_partner.get(rep.partner_id, []):
            if a.team is not None and a.team.pk != rep.team_id:
                continue
            if not a.required and rng.random() < 0.35:
                continue  # optional work some reps never open
            start = max(a.at_us, rep.joined_us)
            urgency = a.due_us if a.due_us else start + 120 * DAY
            plan.append(
                Planned(
                    course=a.course, available_us=start, priority=(0 if a.required else 1, urgency), required=a.required
                )
            )
        plan.sort(key=lambda p: p.priority)
        rep.plan = plan
