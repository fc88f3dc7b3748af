"""The rule that turns a rep's evidence and a certification's definition into the rep's standing.

Pure functions (no database), shared by the live path and the rebuild so both give the same answer.

- A course is finished by its `completed` statement, or by completing every lesson of one published version
  (how a rep redoes a course that was republished after a reopening).
- A quiz counts with its best result: at least the minimum score, or a pass when no minimum is set.
- A roleplay counts once passed.
- A reopened requirement counts only with evidence from the reopening on.
- With a validity period, the certification expires; it is renewed by retaking its quizzes and roleplays
  from `reminder_days` before expiry (finished courses carry over). A certification of courses only is
  renewed only by a reopening.
- A holder whose certification was reopened and who has not redone the named requirements is suspended:
  their entitlements are withdrawn until they have, then come back by themselves.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

COURSE, QUIZ, ROLEPLAY = "course", "quiz", "roleplay"
IN_PROGRESS, CERTIFIED, EXPIRED, SUSPENDED = "in_progress", "certified", "expired", "suspended"


@dataclass(frozen=True)
class Req:
    id: int
    kind: str
    course_id: int | None = None
    quiz_key: str | None = None
    roleplay_id: int | None = None
    roleplay_iri: str = ""
    min_score: int = 0
    changed_at: datetime | None = None


@dataclass(frozen=True)
class Ev:
    kind: str
    at: datetime
    course_id: int | None = None
    version_id: int | None = None
    lesson_id: int | None = None
    ref: str = ""
    score: float | None = None
    passed: bool = False


@dataclass
class Outcome:
    status: str
    certified_at: datetime | None = None
    expires_at: datetime | None = None
    # Per requirement: when it was met for the cycle shown (the current one, or the renewal in progress).
    met: dict[int, datetime | None] = field(default_factory=dict)
    renewing: bool = False

    @property
    def met_count(self) -> int:
        return sum(1 for at in self.met.values() if at is not None)


def roleplay_matches(ref: str, roleplay_id: int | None) -> bool:
    """Whether a roleplay activity IRI names this roleplay assignment (its id is the IRI's last number)."""
    if roleplay_id is None:
        return False
    parts = [p for p in ref.rstrip("/").split("/") if p]
    return str(roleplay_id) in parts[-2:]


def roleplay_is(req: Req, ref: str) -> bool:
    """Whether evidence about the activity `ref` is about the requirement's roleplay."""
    return ref == req.roleplay_iri if req.roleplay_iri else roleplay_matches(ref, req.roleplay_id)


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def first_met(
    req: Req, evidence: Iterable[Ev], *, floor: datetime | None, lesson_counts: dict[int, int]
) -> datetime | None:
    """Return when the requirement was first met by evidence at or after `floor` (evidence sorted by time)."""
    if req.kind == COURSE:
        seen: dict[int, set[int]] = {}
        for ev in evidence:
            if ev.course_id != req.course_id or (floor is not None and ev.at < floor):
                continue
            if ev.kind == COURSE:
                return ev.at
            if ev.kind == "lesson" and ev.version_id is not None and ev.lesson_id is not None:
                lessons = seen.setdefault(ev.version_id, set())
                lessons.add(ev.lesson_id)
                if len(lessons) >= lesson_counts.get(ev.version_id, 1 << 30):
                    return ev.at
        return None
    for ev in evidence:
        if floor is not None and ev.at < floor:
            continue
        if req.kind == QUIZ and ev.kind == QUIZ and ev.ref == req.quiz_key:
            score = (ev.score or 0.0) * 100
            if (req.min_score and score >= req.min_score - 1e-9) or (not req.min_score and ev.passed):
                return ev.at
        if req.kind == ROLEPLAY and ev.kind == ROLEPLAY and ev.passed and roleplay_is(req, ev.ref):
            return ev.at
    return None


def _cycles(
    reqs: list[Req],
    evidence: list[Ev],
    *,
    validity: timedelta | None,
    reminder: timedelta,
    lesson_counts: dict[int, int],
    ignore_changes: bool = False,
) -> tuple[
    list[tuple[datetime, datetime | None]], dict[int, datetime | None], dict[int, datetime | None], datetime | None
]:
    """Return the cycles met, the requirement times of the last cycle met and of the renewal tried, and its floor."""
    cycles: list[tuple[datetime, datetime | None]] = []
    renewable = any(r.kind != COURSE for r in reqs)
    floor: datetime | None = None
    done: dict[int, datetime | None] = {}
    while True:
        times = {
            r.id: first_met(
                r,
                evidence,
                floor=_latest(None if ignore_changes else r.changed_at, floor if r.kind != COURSE else None),
                lesson_counts=lesson_counts,
            )
            for r in reqs
        }
        if any(t is None for t in times.values()):
            return cycles, done, times, floor
        at = max(t for t in times.values() if t is not None)
        expires = at + validity if validity else None
        cycles.append((at, expires))
        done = times
        if expires is None or not renewable:
            return cycles, done, times, None
        floor = max(expires - reminder, at + timedelta(microseconds=1))


def evaluate(
    reqs: list[Req],
    evidence: Iterable[Ev],
    *,
    validity_days: int | None,
    reminder_days: int,
    now: datetime,
    reopened_at: datetime | None,
    lesson_counts: dict[int, int],
) -> Outcome:
    """Return the rep's standing at `now` from their evidence (anything after `now` is ignored)."""
    if not reqs:
        return Outcome(status=IN_PROGRESS)
    ordered = sorted((ev for ev in evidence if ev.at <= now), key=lambda ev: ev.at)
    validity = timedelta(days=validity_days) if validity_days else None
    reminder = timedelta(days=reminder_days)
    cycles, done, tried, floor = _cycles(
        reqs, ordered, validity=validity, reminder=reminder, lesson_counts=lesson_counts
    )
    if not cycles:
        if reopened_at is not None:
            before = [ev for ev in ordered if ev.at < reopened_at]
            held, _d, _t, _f = _cycles(
                reqs, before, validity=validity, reminder=reminder, lesson_counts=lesson_counts, ignore_changes=True
            )
            if held and (held[-1][1] is None or held[-1][1] > reopened_at):
                return Outcome(status=SUSPENDED, met=tried)
        return Outcome(status=IN_PROGRESS, met=tried)
    at, expires = cycles[-1]
    if expires is not None and expires <= now:
        return Outcome(status=EXPIRED, certified_at=at, expires_at=expires, met=tried, renewing=True)
    renewing = floor is not None and floor <= now
    return Outcome(
        status=CERTIFIED, certified_at=at, expires_at=expires, met=tried if renewing else done, renewing=renewing
    )


def as_ev(row: Any) -> Ev:
    return Ev(
        kind=row.kind,
        at=row.at,
        course_id=row.course_id,
        version_id=row.version_id,
        lesson_id=row.lesson_id,
        ref=row.ref,
        score=row.score,
        passed=row.passed,
    )
