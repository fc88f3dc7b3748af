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
