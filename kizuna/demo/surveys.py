"""The demo's surveys (アンケート): a monthly training survey sent to every agency, answered by most reps.

Runs after the foundation demo (people, courses) and writes only through
kizuna.surveys.services, so the statements and responses are what production
would have. Who answered and how is seeded per rep, so every load is the same.
"""

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from kizuna.orgs.models import Membership, Organization
from kizuna.surveys import services
from kizuna.surveys.models import Survey

RANDOM_SEED = 20240501

# How likely each agency's reps are to answer, and how they feel (a higher mood, higher scores).
ANSWER_CHANCE = {"partner-a": 0.85, "partner-b": 0.7, "partner-c": 0.45}
MOOD = {"partner-a": 0.75, "partner-b": 0.6, "partner-c": 0.4}

COMMENTS = (
    "動画が短くてスキマ時間に見やすいです。",
    "価格の切り返しトークをもっと増やしてほしいです。",
    "事例が具体的で、そのまま商談で使えました。",
    "ロープレのお手本動画がもっと見たいです。",
    "通勤中に音声だけで聞ける形式があると助かります。",
    "確認テストの解説が丁寧で分かりやすかったです。",
)


def _survey(author: Any, now: datetime) -> Any:
    survey = services.survey_create(
        author=author,
        title="11月の研修アンケート",
        intro="今月の研修についてお聞かせください。所要時間は3分ほどです。回答は研修の改善だけに使います。",
    )
    services.survey_question_add(survey=survey, kind="likert", text="今月の研修は、商談で役に立ちましたか?")
    services.survey_question_add(survey=survey, kind="nps", text="この研修を同じ会社の同僚に勧めたいと思いますか?")
    services.survey_question_add(
        survey=survey,
        kind="single",
        text="一番役に立ったコースはどれですか?",
        options=["製品の基本", "お客様の声", "失敗事例に学ぶ", "価格のよくある質問"],
    )
    services.survey_question_add(
        survey=survey,
        kind="multiple",
        text="今後ほしい研修を選んでください(いくつでも)。",
        options=["競合対策", "ヒアリングのコツ", "クロージング", "ロープレのお手本"],
        required=False,
    )
    services.survey_question_add(
        survey=survey, kind="text", text="ご意見・ご要望があればお書きください。", required=False
    )
    services.survey_publish(survey=survey, publisher=author, when=now - timedelta(days=6))
    survey.refresh_from_db()
    return survey


def _answer(rng: random.Random, version: Any, mood: float) -> dict[str, list[str]]:
    keys = {q["kind"]: q["key"] for q in version.questions}
    likert = min(5, max(1, round(1 + 4 * mood + rng.uniform(-1.2, 1.2))))
    nps = min(10, max(0, round(10 * mood + rng.uniform(-3, 3))))
    wanted = [str(i) for i in range(4) if rng.random() < 0.4]
    return {
        f"q-{keys['likert']}": [str(likert)],
        f"q-{keys['nps']}": [str(nps)],
        f"q-{keys['single']}": [str(rng.choice([0, 0, 1, 2, 3]))],
        f"q-{keys['multiple']}": wanted,
        f"q-{keys['text']}": [rng.choice(COMMENTS) if rng.random() < 0.35 else ""],
    }


def seed_surveys(*, now: datetime) -> None:
    """Send the November training survey to every partner and answer it as most reps would."""
    if Survey.objects.exists():
        return  # loaded already
    User = get_user_model()
    rng = random.Random(RANDOM_SEED)
    author = User.objects.get(email="author@principal.example")
    survey = _survey(author, now)
    partners = list(Organization.objects.filter(kind=Organization.Kind.PARTNER).order_by("slug"))
    services.survey_send(survey=survey, sent_by=author, partners=partners, due_at=now + timedelta(days=4), notify=False)
    version = survey.latest_version
    reps = (
        Membership.objects.filter(role=Membership.Role.REP, organization__in=partners)
        .select_related("user", "organization")
        .order_by("user__email")
    )
    for m in reps:
        slug = m.organization.slug
        if m.user.email == "rep1@partner-a.example" or rng.random() > ANSWER_CHANCE.get(slug, 0.5):
            continue  # rep1 of partner A still has it to answer, so the demo shows the form
        services.survey_response_submit(
            rep=m.user,
            version=version,
            data=_answer(rng, version, MOOD.get(slug, 0.5)),
            statement_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            timestamp=now - timedelta(days=rng.randint(0, 5), hours=rng.randint(0, 9)),
        )
