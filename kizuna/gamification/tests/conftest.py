"""Helpers for gamification tests: statements shaped as the other apps record them (the round's contracts)."""

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kizuna.records import vocab
from kizuna.records.services import Activity, statement_record

ASSESSMENT = vocab.Term(vocab.ADL_ACTIVITIES + "assessment", "確認テスト", "assessment")
MEETING = vocab.Term(vocab.ADL_ACTIVITIES + "meeting", "ライブ研修", "meeting")
ATTENDED = vocab.Term(vocab.ADL_VERBS + "attended", "出席した", "attended")
RECEIVED = vocab.Term("http://activitystrea.ms/schema/1.0/receive", "受け取った", "received")
REVIEWED = vocab.Term("verbs/reviewed", "レビューした", "reviewed", own=True)
SUBMISSION = vocab.Term("activity-types/roleplay-submission", "ロールプレイの提出", "roleplay submission", own=True)
ANSWER = vocab.Term("activity-types/community-answer", "コミュニティの回答", "community answer", own=True)
SCENARIO = vocab.Term("activity-types/scenario", "シナリオ", "scenario", own=True)
STATEMENT_REF = vocab.Term("StatementRef", "", "")


def at(days: float = 0, base: datetime | None = None) -> datetime:
    return (base or timezone.now()) - timedelta(days=days)


def quiz(
    rep: Any, *, key: str = "q1", version: int = 1, scaled: float = 0.8, passed: bool = True, when: Any = None
) -> Any:
    st, _ = statement_record(
        actor=rep,
        verb=vocab.PASSED if passed else vocab.FAILED,
        activity=Activity(
            iri=f"http://testserver/xapi/activities/quiz/{key}/v{version}", type=ASSESSMENT, name={"ja-JP": key}
        ),
        result={"score": {"scaled": scaled}, "success": passed},
        timestamp=when,
    )
    return st


def scenario(rep: Any, *, key: str = "s1", alignment: float = 0.9, when: Any = None) -> Any:
    st, _ = statement_record(
        actor=rep,
        verb=vocab.COMPLETED,
        activity=Activity(iri=f"http://testserver/xapi/activities/scenario/{key}", type=SCENARIO, name={"ja-JP": key}),
        result={"extensions": {vocab.own_iri("extensions/alignment"): alignment}, "completion": True},
        timestamp=when,
    )
    return st


def review(reviewer: Any, *, submission: int = 1, when: Any = None) -> Any:
    st, _ = statement_record(
        actor=reviewer,
        verb=REVIEWED,
        activity=Activity(
            iri=f"http://testserver/roleplay/submissions/{submission}", type=SUBMISSION, name={"ja-JP": "提出"}
        ),
        result={"score": {"scaled": 0.7}},
        timestamp=when,
    )
    return st


def recognition(author: Any, *, answer: int = 1, kind: str = "upvoted", voter: int = 1, when: Any = None) -> Any:
    st, _ = statement_record(
        actor=author,
        verb=RECEIVED,
        activity=Activity(iri=f"http://testserver/community/answers/{answer}", type=ANSWER, name={"ja-JP": "回答"}),
        result={"extensions": {vocab.own_iri("extensions/recognition"): kind}},
        statement_id=uuid.uuid5(uuid.NAMESPACE_URL, f"{answer}:{kind}:{voter}"),
        timestamp=when,
    )
    return st


def void(actor: Any, target: Any) -> Any:
    st, _ = statement_record(
        actor=actor, verb=vocab.VOIDED, activity=Activity(iri=str(target.id), type=STATEMENT_REF, name={})
    )
    return st


def attend(rep: Any, *, session: int = 1, when: Any = None) -> Any:
    st, _ = statement_record(
        actor=rep,
        verb=ATTENDED,
        activity=Activity(iri=f"http://testserver/live/{session}", type=MEETING, name={"ja-JP": "ライブ"}),
        timestamp=when,
    )
    return st


@pytest.fixture
def points_of():
    from kizuna.gamification.models import RepScore

    def read(user: Any) -> int:
        row = RepScore.objects.filter(user=user).first()
        return row.points if row else 0

    return read
