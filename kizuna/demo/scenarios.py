"""The demo's branching scenarios: two sales conversations, a course that plays them, and four weeks of plays.

Runs after the foundation demo (people, product, topic tags) and writes only through the real services:
``kizuna.scenarios.services`` (import, publish, attempt_start, choice_make) and ``kizuna.catalog.services``
(course, lessons, publish, assignments), so statements and projections are what production would have.

- クレーム対応: the requirements' example, where the first words differ — 「申し訳ございません」 or
  「詳しくお聞かせいただけますか」 (the documented example, docs/examples/complaint-handling.yaml).
- 価格の相談: 「他社より高いですね」 — a price objection answered with questions, not a discount.

The coach plays each scenario once, right after it is published, along the top rep's choices. Reps play through
the course's lessons for four weeks. Each agency has its habits: partner A mostly chooses like the top rep,
partner C apologises first and rushes to close, partner B reaches for a discount; everyone gets closer to the
top rep on a replay (they have read the commentary). Idle reps never play. Everything is seeded per rep, so
the plays are the same on every machine.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from kizuna.catalog import selectors as catalog_selectors
from kizuna.catalog import services as catalog
from kizuna.catalog.models import Product, Tag
from kizuna.orgs.models import Organization
from kizuna.scenarios import services as scenarios
from kizuna.scenarios.scoring import Graph

from .people import ACE, IDLE, PARTNERS, SCRIPTED, SLOW, STEADY

RANDOM_SEED = 20240422
COURSE_SLUG = "sales-scenarios"
COMPLAINT_FILE = Path(settings.BASE_DIR) / "docs" / "examples" / "complaint-handling.yaml"

# Days before "now": the scenarios are published, the coach plays them, the course reaches every partner.
PUBLISHED_DAYS_AGO = 29
COURSE_DAYS_AGO = 28
NOT_AFTER = timedelta(minutes=20)  # nothing in the last minutes before "now"

# How often a rep of each agency chooses like the top rep on a first play; each replay adds REPLAY_GAIN.
TOP_REP_CHANCE = {"partner-a": 0.74, "partner-b": 0.56, "partner-c": 0.4}
REPLAY_GAIN = 0.12
# An agency's habit at one moment: (choice, chance on a first play); the chance fades on replays.
HABITS = {
    ("partner-c", "complaint-handling", "opening"): ("apologize-first", 0.75),
    ("partner-c", "price-objection", "calc"): ("jump-to-close", 0.55),
    ("partner-b", "price-objection", "opening"): ("discount", 0.6),
    ("partner-b", "complaint-handling", "details"): ("send-manual", 0.5),
}
HABIT_FADE = 0.6
# Plays per scenario by pace: (fewest, most); rep1 of partner A (SCRIPTED) plays like a steady rep.
PLAYS = {ACE: (1, 3), STEADY: (1, 2), SCRIPTED: (1, 2), SLOW: (0, 1), IDLE: (0, 0)}
GIVE_UP = 0.08  # chance that a play stops half-way (a customer call, the train arrives)
MAX_STEPS = 12  # after this many steps a rep follows the top rep (loops have exits, but randomness is patient)
SLOTS = (time(7, 40), time(12, 10), time(18, 0), time(21, 0))

PRICE_OBJECTION = """\
format_version: 1
slug: price-objection
title: 価格の相談 ― 「他社より高いですね」
description: |-
  従業員80名の会社の人事部長から「他社より高いですね」と言われました。値引きで答えますか、
  それとも質問で答えますか。トップ営業の考え方をたどりながら、価格ではなく価値で選んでいただく会話を体験します。
product: kizuna-attendance
topic_tags: [価格交渉, ヒアリング]
value_tags:
  - {slug: customer-first, ja: 顧客第一, en: Customer first}
  - {slug: ownership, ja: 当事者意識, en: Ownership}
  - {slug: integrity, ja: 誠実, en: Integrity}
start: opening
nodes:
  - key: opening
    kind: moment
    speaker: 人事部長 田中様
    text: |-
      「資料を見ましたけど、KIZUNAは1人あたり月300円ですよね。A社さんは200円なんですよ。
      他社より高いですね。」
    choices:
      - key: discount
        text: 「では、今月中にご契約いただければ1割お値引きします。」
        next: discount-follow
        score: -2
        commentary: |-
          自分ならこう考えます。最初に値引きを出すと、お客様には「最初の金額は高めに言っていたのか」と映ります。
          しかも、何と比べて高いと感じていらっしゃるのかは、まだ何もわかっていません。値引きは最後の手段です。
        topic_tags: [価格交渉]
      - key: ask-compare
        text: 「ありがとうございます。A社さんと比べて、どのあたりが気になっていらっしゃいますか? 金額のほかに比べていることがあれば教えてください。」
        next: needs
        score: 3
        reference: true
        commentary: |-
          自分ならこう考えます。「高い」は、お客様が何かと比べている合図です。何と比べているのかがわかれば、
          お客様にとっての本当の価値を一緒に考えられます。まずは否定も値引きもせず、質問で受け止めます。
        value_tags: [customer-first]
        topic_tags: [ヒアリング, 価格交渉]
      - key: feature-dump
        text: 「KIZUNAはシフト管理も有休管理も全部入りなので、その分の価格です。」
        next: features-pushback
        score: 0
        commentary: |-
          自分ならこう考えます。機能の説明は間違いではありません。ただ、お客様が必要としているかどうかを聞く前の説明は、
          「使わない機能の分まで払わされる」と受け取られがちです。
        topic_tags: [製品知識]
  - key: needs
    kind: moment
    speaker: 人事部長 田中様
    text: |-
      「正直、いまは紙のタイムカードとExcelで回っているんです。月に2万4千円払う価値があるのか、社長に説明できなくて。」
    choices:
      - key: calc-together
        text: 「でしたら、いまの集計にかかっている時間を一緒に計算してみませんか。月末の集計は、どなたが何時間くらいされていますか?」
        next: calc
        score: 3
        reference: true
        commentary: |-
          自分ならこう考えます。社長に説明できない、というのが田中様の本当の困りごとです。
          価格の話を続けるより、いまかかっている手間を一緒に数字にすれば、田中様が社長に説明する材料になります。
        value_tags: [customer-first, ownership]
        topic_tags: [ヒアリング]
      - key: case-study
        text: 「同じくらいの規模のお客様では、月末の集計が2日から半日になりました。」
        next: calc
        score: 1
        commentary: |-
          自分ならこう考えます。事例は心強い材料です。ただ、他社の数字より、田中様の会社の数字のほうが社長には響きます。
          事例を紹介したら、必ず「御社ではいかがですか」と聞き返しましょう。
        value_tags: [customer-first]
        topic_tags: [製品知識]
      - key: leave-brochure
        text: 「では資料を置いていきますので、社長にご検討いただけますか。」
        next: stalled
        score: -1
        commentary: |-
          自分ならこう考えます。資料だけを渡すと、説明する役目を田中様ひとりに預けることになります。
          田中様が社長に何をどう伝えればよいのか、一緒に準備するのが私たちの仕事です。
  - key: calc
    kind: moment
    speaker: 人事部長 田中様
    text: |-
      「総務の2人が、月末に3日ずつ残業しているかな……。あとは打刻漏れの確認で、毎週半日くらい。」
    choices:
      - key: show-savings
        text: 「ありがとうございます。お二人で月に50時間ほどですね。その時間が半分になれば、月2万4千円よりずっと大きな効果です。社長へのご説明用に、この計算を1枚にまとめてお持ちしてもよろしいですか?」
        next: owner-doc
        score: 3
        reference: true
        commentary: |-
          自分ならこう考えます。お客様の数字で価値を示し、社長への説明という次の一歩まで引き受けます。
          「半分になれば」と控えめに言うのも大事です。大げさな約束は、あとで信頼を失います。
        value_tags: [customer-first, ownership, integrity]
        topic_tags: [価格交渉]
      - key: overclaim
        text: 「KIZUNAなら残業はゼロになりますよ。」
        next: overclaim-pushback
        score: -2
        commentary: |-
          自分ならこう考えます。言い切りたくなる場面ですが、残業がゼロになるとは限りません。
          守れない約束は、導入後のクレームの種になります。言えることだけを、数字で伝えましょう。
      - key: jump-to-close
        text: 「それなら、すぐにでも導入しましょう。今日お申し込みいただけますか?」
        next: rushed
        score: -1
        commentary: |-
          自分ならこう考えます。手応えを感じたときほど、お客様の決め方を確かめます。田中様は
          「社長に説明できない」とおっしゃっていました。決めるのは社長です。急ぐより、決めやすくする準備をします。
        topic_tags: [クロージング]
  - key: overclaim-pushback
    kind: moment
    speaker: 人事部長 田中様
    text: 「ゼロ? 本当に? 前のシステムのときも、そう言われたんだよね。」
    choices:
      - key: correct-honestly
        text: 「失礼しました、言いすぎました。ゼロにはなりませんが、集計と打刻漏れの確認はほぼ自動になります。30日間の無料お試しで、実際の時間を一緒に測りませんか。」
        next: owner-doc
        score: 2
        reference: true
        commentary: |-
          自分ならこう考えます。言いすぎたら、その場で正直に訂正します。それが信頼を取り戻すいちばんの近道です。
          そのうえで、お試しで「測る」ことを提案すれば、田中様は自分の目で確かめられます。
        value_tags: [integrity, customer-first]
        topic_tags: [製品知識]
      - key: insist
        text: 「はい、皆さまゼロになっています。」
        next: lost
        score: -3
        commentary: |-
          自分ならこう考えます。一度疑われた言葉を重ねると、ほかの説明まで信じてもらえなくなります。
          誠実さは、私たちの提案のいちばんの土台です。
  - key: features-pushback
    kind: moment
    speaker: 人事部長 田中様
    text: 「機能が多いのはいいけど、うちは80人だし、そんなに使わないと思うんだよね。」
    choices:
      - key: ask-usage
        text: 「おっしゃる通り、全部を使う必要はありません。いまいちばん手間がかかっている作業はどれですか?」
        next: calc
        score: 2
        reference: true
        commentary: |-
          自分ならこう考えます。お客様の言葉に同意してから、いちばんの困りごとを聞きます。
          使う機能が絞れれば、価格に見合うかどうかも、お客様と一緒に判断できます。
        value_tags: [customer-first]
        topic_tags: [ヒアリング]
      - key: annual-plan
        text: 「でしたら、年間契約プランなら1人あたり月270円になります。」
        next: discount-follow
        score: 0
        commentary: |-
          自分ならこう考えます。年間契約プランの案内は正しい情報です。ただ、お客様が迷っているのは金額より
          「使いこなせるか」です。先にそちらを聞かないと、安くしても決め手にはなりません。
        topic_tags: [価格交渉]
  - key: discount-follow
    kind: moment
    speaker: 人事部長 田中様
    text: 「安くしてくれるのはありがたいけど……それでもA社さんより高いよね。A社さんも値引きするって言ってたし。」
    choices:
      - key: back-to-value
        text: 「金額だけで比べると、そうなります。少しだけ、いまの集計にかかっている時間を伺ってもよろしいですか。そのうえで、本当にお得かどうかを一緒に判断していただければと思います。」
        next: calc
        score: 2
        reference: true
        commentary: |-
          自分ならこう考えます。値引きの競争に入ると、最後は安いほうが選ばれます。一歩戻って、
          お客様の手間という「価値」の話に切り替えます。遅すぎることはありません。
        value_tags: [customer-first, integrity]
        topic_tags: [価格交渉, ヒアリング]
      - key: more-discount
        text: 「では、もう1割お値引きします。」
        next: lost
        score: -3
        commentary: |-
          自分ならこう考えます。値引きを重ねるほど、お客様は「まだ下がるのでは」と考えます。
          価格でしか選ばれない提案は、導入後の満足にもつながりません。
        topic_tags: [価格交渉]
  - key: rushed
    kind: moment
    speaker: 人事部長 田中様
    text: 「いや、今日は決められないよ。社長の決裁がいるって言ったでしょう。」
    choices:
      - key: offer-doc
        text: 「失礼しました。社長にご説明いただきやすいように、今日の計算を資料にまとめて、明日お届けします。」
        next: owner-doc
        score: 2
        reference: true
        commentary: |-
          自分ならこう考えます。急いだことを詫びて、田中様の次の一歩を引き受けます。
          「明日お届けします」と期限を決めるのが、当事者意識です。
        value_tags: [ownership]
        topic_tags: [クロージング]
      - key: wait
        text: 「承知しました。ではご連絡をお待ちしています。」
        next: stalled
        score: -1
        commentary: |-
          自分ならこう考えます。待つだけでは、田中様ひとりに説明を任せてしまいます。
          お客様が社内で説明しやすくなる手伝いを、こちらから申し出ましょう。
        topic_tags: [クロージング]
  - key: stalled
    kind: moment
    speaker: 人事部長 田中様(2週間後の電話)
    text: 「すみません、まだ社長に話せてなくて……。」
    choices:
      - key: offer-join
        text: 「もしよろしければ、社長へのご説明の場に私も同席させていただけませんか。いただいた数字をもとに、5分でご説明します。」
        next: owner-doc
        score: 2
        reference: true
        commentary: |-
          自分ならこう考えます。話が止まっているのは、田中様が説明の材料に困っているからかもしれません。
          同席を申し出て、説明の役目を一緒に担います。
        value_tags: [ownership, customer-first]
        topic_tags: [クロージング]
      - key: wait-again
        text: 「承知しました。また改めてご連絡します。」
        next: lost
        score: -1
        commentary: |-
          自分ならこう考えます。このまま待てば、検討は立ち消えになりがちです。
          お客様が動けない理由を聞き、こちらにできることを提案しましょう。
  - key: owner-doc
    kind: moment
    speaker: 人事部長 田中様
    text: |-
      計算をまとめた資料を届けると、田中様がうなずきました。
      「わかりやすいね。ただ、社長は新しいシステムに慣れるまでが大変だって心配してて。」
    choices:
      - key: trial-support
        text: 「30日間の無料お試しの間、設定は私たちが一緒に行います。まず総務のお二人だけで始めて、効果を確かめてから全員に広げる形はいかがでしょうか。」
        next: won
        score: 3
        reference: true
        commentary: |-
          自分ならこう考えます。社長の心配は「慣れるまで」です。小さく始めて効果を確かめる道すじと、
          私たちが設定を一緒にやるという約束で、その心配に正面から答えます。
        value_tags: [customer-first, ownership]
        topic_tags: [クロージング]
      - key: easy-claim
        text: 「KIZUNAは簡単なので、すぐに慣れますよ。」
        next: next-meeting
        score: 0
        commentary: |-
          自分ならこう考えます。「簡単です」は、心配している方には届きにくい言葉です。
          何をどう手伝うのか、具体的に約束しましょう。
        topic_tags: [製品知識]
  - key: won
    kind: end
    text: 社長の了承をいただき、総務のお二人から30日間の無料お試しが始まりました。1か月後、全社での導入が決まりました。
    outcome: won
    debrief: |-
      「高い」と言われても、値引きではなく質問で答え、田中様の会社の数字で価値を一緒に確かめました。
      社長への説明まで引き受けたことが、決め手になりました。
  - key: next-meeting
    kind: end
    text: 田中様は「社長と相談して、また連絡します」とおっしゃいました。
    outcome: next_meeting
    debrief: |-
      価値は伝わりましたが、社長の心配にはまだ答えきれていません。次回は、導入の手伝いを具体的に約束しましょう。
  - key: lost
    kind: end
    text: 翌週、田中様から「今回はA社さんにします」とメールが届きました。
    outcome: lost
    debrief: |-
      価格の比べ合いになったところで、KIZUNAを選ぶ理由が見えなくなりました。どこで価格から価値の話に戻れたかを、
      トップ営業の道すじと比べてみましょう。
"""


@dataclass(frozen=True)
class Play:
    """One planned attempt: who, which lesson, when, and the choices in order (may stop half-way)."""

    at: datetime
    rep: Any
    lesson: Any
    version: Any
    choices: tuple[str, ...]
    seed: str


def _at(now: datetime, days_ago: int, slot: time, minutes: int = 0) -> datetime:
    day = timezone.localtime(now).date() - timedelta(days=days_ago)
    moment = datetime(day.year, day.month, day.day, slot.hour, slot.minute)
    return timezone.make_aware(moment, timezone.get_current_timezone()) + timedelta(minutes=minutes)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def scenario_files() -> list[Any]:
    """The two scenarios in the exchange format: the documented complaint example, and the price objection."""
    return [
        yaml.safe_load(COMPLAINT_FILE.read_text(encoding="utf-8")),
        yaml.safe_load(PRICE_OBJECTION),
    ]


def choices_for(*, graph: Graph, scenario_slug: str, partner_slug: str, replay: int, rng: random.Random) -> list[str]:
    """Walk the graph from the start as a rep of this agency would on their n-th play (0 = first)."""
    chance = min(0.95, TOP_REP_CHANCE.get(partner_slug, 0.5) + REPLAY_GAIN * replay)
    path: list[str] = []
    key = graph.start
    while not graph.is_end(key):
        node = graph.node(key)
        reference = graph.reference_choice(key)
        habit = HABITS.get((partner_slug, scenario_slug, key))
        if reference is not None and len(path) >= MAX_STEPS:
            chosen = reference
        elif habit is not None and rng.random() < habit[1] * HABIT_FADE**replay:
            chosen = graph.choices[key][habit[0]]
        elif reference is not None and rng.random() < chance:
            chosen = reference
        else:
            others = [c for c in node["choices"] if reference is None or c["key"] != reference["key"]]
            chosen = rng.choice(others)
        path.append(chosen["key"])
        key = chosen["next"]
    return path


def _plan(*, reps: list[tuple[Any, str, str]], lessons: list[tuple[Any, Any]], now: datetime) -> list[Play]:
    """Plan every rep's plays of every scenario lesson, spread over the four weeks since the course arrived."""
    plays: list[Play] = []
    for rep, partner_slug, pace in reps:
        for lesson, version in lessons:
            graph = Graph(version.graph)
            slug = version.graph["slug"]
            rng = random.Random(f"{RANDOM_SEED}:{rep.email}:{slug}")
            fewest, most = PLAYS.get(pace, (0, 1))
            count = rng.randint(fewest, most)
            day = COURSE_DAYS_AGO - rng.randint(1, 10)
            for replay in range(count):
                choices = choices_for(
                    graph=graph, scenario_slug=slug, partner_slug=partner_slug, replay=replay, rng=rng
                )
                if rng.random() < GIVE_UP:
                    choices = choices[: rng.randint(1, max(1, len(choices) - 1))]
                at = _at(now, max(day, 0), rng.choice(SLOTS), rng.randint(0, 25))
                if at > now - NOT_AFTER:
                    break
                plays.append(
                    Play(
                        at=at, rep=rep, lesson=lesson, version=version, choices=tuple(choices), seed=f"{slug}:{replay}"
                    )
                )
                day -= rng.randint(2, 7)
    plays.sort(key=lambda p: (p.at, p.rep.email))
    return plays


def _play(*, rep: Any, version: Any, lesson: Any, choices: tuple[str, ...], at: datetime, rng: random.Random) -> None:
    """Play one attempt through the services: start, then each choice a minute or two after the previous one."""
    graph = Graph(version.graph)
    registration = scenarios.attempt_start(
        rep=rep, version=version, lesson=lesson, statement_id=_uuid(rng), timestamp=at
    )
    node = graph.start
    moment = at
    for choice in choices:
        seconds = rng.randint(25, 110)
        moment += timedelta(seconds=seconds + 15)
        scenarios.choice_make(
            rep=rep,
            registration=registration,
            node_key=node,
            choice=choice,
            statement_id=_uuid(rng),
            timestamp=moment,
            seconds=seconds,
        )
        node = graph.choices[node][choice]["next"]


def _reps() -> list[tuple[Any, str, str]]:
    """Every demo rep with their agency and pace (from the foundation's people), in a fixed order."""
    paces = {spec.rep_email(i): (spec.slug, rep.pace) for spec in PARTNERS for i, rep in enumerate(spec.reps, start=1)}
    users = get_user_model().objects.filter(email__in=paces).select_related("membership").order_by("email")
    return [(user, *paces[user.email]) for user in users]


def seed_scenarios(*, now: datetime) -> None:
    """Import, publish and teach the two demo scenarios, and play four weeks of them (needs the foundation demo)."""
    users = get_user_model().objects.select_related("membership")
    author = users.get(email="author@principal.example")
    coach = users.get(email="coach@principal.example")
    admin = users.get(email="admin@principal.example")
    published_at = _at(now, PUBLISHED_DAYS_AGO, time(10, 0))
    versions = []
    for data in scenario_files():
        scenario = scenarios.scenario_import(data, author=author)
        versions.append(scenarios.scenario_publish(scenario=scenario, publisher=author, when=published_at))

    # The coach plays each one once, along the top rep's choices: the reference every rep is compared with.
    rng = random.Random(f"{RANDOM_SEED}:coach")
    for index, version in enumerate(versions):
        graph = Graph(version.graph)
        path, key = [], graph.start
        while not graph.is_end(key):
            choice = graph.reference_choice(key)
            path.append(choice["key"])
            key = choice["next"]
        _play(
            rep=coach,
            version=version,
            lesson=None,
            choices=tuple(path),
            at=_at(now, PUBLISHED_DAYS_AGO, time(15, 0), 30 * index),
            rng=rng,
        )

    lessons = _course_create(author=author, admin=admin, scenarios_published=versions, now=now)
    for play in _plan(reps=_reps(), lessons=lessons, now=now):
        _play(
            rep=play.rep,
            version=play.version,
            lesson=play.lesson,
            choices=play.choices,
            at=play.at,
            rng=random.Random(f"{RANDOM_SEED}:{play.rep.email}:{play.seed}:ids"),
        )


def _course_create(*, author: Any, admin: Any, scenarios_published: list[Any], now: datetime) -> list[tuple[Any, Any]]:
    """Put both scenarios in one course, publish it and assign it (optional) to every partner."""
    product = Product.objects.filter(slug="kizuna-attendance").first()
    tags = list(
        Tag.objects.filter(kind=Tag.Kind.TOPIC, slug__in=["complaint-handling", "price-negotiation", "hearing"])
    )
    course = catalog.course_create(
        author=author,
        title="商談シミュレーション ― トップ営業の考え方をたどる",
        slug=COURSE_SLUG,
        summary=(
            "お客様との会話の場面で、あなたならどう言うかを選びます。選ぶたびに、エース営業の中村が"
            "「自分ならこう考える」と解説します。最後に、あなたの道すじとトップ営業の道すじを比べましょう。"
        ),
        product=product,
        tags=tags,
    )
    module = catalog.module_create(course=course, title="トップ営業の考え方")
    for version in scenarios_published:
        catalog.lesson_create(
            module=module,
            kind="scenario",
            title=version.title,
            content_id=version.scenario_id,
            estimated_minutes=10,
        )
    published = catalog.course_publish(course=course, publisher=author, when=_at(now, COURSE_DAYS_AGO, time(9, 0)))
    for partner in Organization.objects.filter(kind=Organization.Kind.PARTNER).order_by("slug"):
        catalog.assignment_create(
            course=course,
            assigned_by=admin,
            required=False,
            partner=partner,
            when=_at(now, COURSE_DAYS_AGO, time(9, 30)),
        )
    lessons = [lesson for _module, items in catalog_selectors.version_outline(published) for lesson in items]
    by_id = {v.pk: v for v in scenarios_published}
    return [(lesson, by_id[lesson.content_id]) for lesson in lessons]
