"""Builders for the KPI tests: statements recorded through the real records service, figures through ours."""

import uuid
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from kizuna.kpis import services, vocab
from kizuna.records import vocab as rv
from kizuna.records.services import Activity, statement_record


def moment(month: date, day: int = 10) -> datetime:
    return datetime.combine(month.replace(day=day), time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))


def quiz(rep: Any, score: float, month: date, *, passed: bool = True) -> Any:
    st, _ = statement_record(
        actor=rep,
        verb=rv.PASSED if passed else rv.FAILED,
        activity=Activity(iri="https://example.test/quiz/1", type=vocab.TYPE_ASSESSMENT, name={"ja": "確認テスト"}),
        result={"score": {"scaled": score}, "success": passed},
        timestamp=moment(month),
    )
    return st


def scenario(rep: Any, alignment: float, month: date) -> Any:
    st, _ = statement_record(
        actor=rep,
        verb=rv.COMPLETED,
        activity=Activity(iri="https://example.test/scenario/1", type=vocab.TYPE_SCENARIO, name={"ja": "商談"}),
        result={"completion": True, "extensions": {vocab.EXT_ALIGNMENT.iri: alignment}},
        timestamp=moment(month),
    )
    return st


def roleplay(rep: Any, score: float, month: date, *, passed: bool) -> Any:
    st, _ = statement_record(
        actor=rep,
        verb=rv.PASSED if passed else rv.FAILED,
        activity=Activity(iri="https://example.test/roleplay/1", type=vocab.TYPE_ROLEPLAY, name={"ja": "ロープレ"}),
        result={"score": {"scaled": score}, "success": passed},
        timestamp=moment(month),
    )
    return st


def recognition(rep: Any, month: date, kind: str = "upvoted") -> Any:
    st, _ = statement_record(
        actor=rep,
        verb=vocab.RECEIVED,
        activity=Activity(
            iri=f"https://example.test/answers/{uuid.uuid4()}", type=vocab.TYPE_COMMUNITY_ANSWER, name={"ja": "回答"}
        ),
        result={"extensions": {vocab.EXT_RECOGNITION.iri: kind}},
        timestamp=moment(month),
    )
    return st


def void(actor: Any, target: Any, month: date) -> Any:
    ref = rv.Term("StatementRef", "文の参照", "statement reference")
    st, _ = statement_record(
        actor=actor,
        verb=rv.VOIDED,
        activity=Activity(iri=str(target.id), type=ref, name={}),
        timestamp=moment(month, 20),
    )
    return st


def figures(by: Any, rep: Any, month: date, calls: int, appointments: int, deals: int, revenue: int = 0) -> None:
    services.sales_figures_upsert(
        rows=[
            (
                1,
                {
                    "rep_email": rep.email,
                    "month": month.strftime("%Y-%m"),
                    "product": "",
                    "calls": calls,
                    "appointments": appointments,
                    "deals": deals,
                    "revenue": revenue,
                },
            )
        ],
        by=by,
        source="import",
    )


def finishers(cast: Any, course: Any, n: int = 3) -> list[Any]:
    """n reps of partner A who finished the course four months ago, with more appointments since (each a little
    differently, so the before-and-after interval is known)."""
    from conftest import make_person
    from kizuna.kpis.periods import current_month, month_add
    from kizuna.records import services as records

    this = current_month()
    reps = []
    for i in range(n):
        rep = make_person(f"finisher{i}@partner-a.example", f"修了者 {i}", cast.partner_a, "rep", cast.team_a1)
        for lesson in course.latest_version.lessons.all():
            records.lesson_complete(rep=rep, lesson=lesson, timestamp=moment(month_add(this, -4)))
        for back in range(1, 9):
            appointments = 10 + i if back > 4 else 20 + 3 * i
            figures(cast.admin, rep, month_add(this, -back), 100, appointments, 2)
        reps.append(rep)
    return reps
