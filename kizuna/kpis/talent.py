"""Reads for rising talent (注目人材): reps whose learning stands out, each with the evidence behind the name.

There is no score. A rep is listed when at least MIN_EVIDENCE of these hold, comparing the last RECENT months
(this month included) with the RECENT months before them:

- quiz average up by at least RISE points (at least 2 quizzes in each period);
- top-rep alignment in scenarios up by at least RISE points (at least 1 scenario in each period);
- roleplay score up by at least RISE points (at least 1 roleplay in each period);
- at least HELPFUL recognitions for community answers (accepted or up-voted, withdrawn votes not counted);
- learning on at least STEADY_DAYS of the last STEADY_WINDOW days.

Each name shows every rule it meets, in figures, and the rep's sales trend over the same months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.orgs.models import Organization
from kizuna.orgs.selectors import active_rep_memberships
from kizuna.records.selectors import learning_day_rows, learning_days_per_user

from .models import LearningMonth
from .periods import current_month, month_add
from .selectors import LEARNING_SUMS, Figures, figures_by

RECENT = 3
RISE = 5.0
HELPFUL = 3
STEADY_DAYS = 12
STEADY_WINDOW = 30
MIN_EVIDENCE = 2
LIMIT = 200


@dataclass(frozen=True)
class Evidence:
    kind: str  # quiz, alignment, roleplay, community, streak
    text: str


@dataclass
class Talent:
    rep_id: int
    name: str
    partner_name: str
    team_name: str
    evidence: list[Evidence] = field(default_factory=list)
    sales_before: Figures = field(default_factory=Figures)
    sales_after: Figures = field(default_factory=Figures)

    @property
    def appointment_change(self) -> float | None:
        a, b = self.sales_after.appointment_rate, self.sales_before.appointment_rate
        return None if a is None or b is None else a - b


def _periods(now_month: date) -> tuple[list[date], list[date]]:
    recent = [month_add(now_month, -n) for n in range(RECENT)]
    previous = [month_add(now_month, -n) for n in range(RECENT, 2 * RECENT)]
    return recent, previous


def _sums(rows: Sequence[dict[str, Any]]) -> Figures:
    f = Figures()
    for row in rows:
        for name in LEARNING_SUMS:
            setattr(f, name, getattr(f, name) + (row[name] or 0))
    return f


def _rise(before: float | None, after: float | None) -> bool:
    return before is not None and after is not None and after - before >= RISE


def _longest_run(days: list[date]) -> int:
    best = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def rising_talent(*, partners: Sequence[Organization], month: date | None = None) -> list[Talent]:
    """Return the reps of these agencies whose learning stands out, most evidence first, then by name."""
    now_month = month or current_month()
    recent, previous = _periods(now_month)
    partner_ids = [p.pk for p in partners]
    reps = {
        user_id: (name, partner_name, team_name or "")
        for user_id, name, partner_name, team_name in active_rep_memberships(partner_ids=partner_ids).values_list(
            "user_id", "user__name", "organization__name", "team__name"
        )
    }
    by_rep: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for row in (
        LearningMonth.objects.filter(partner_id__in=partner_ids, month__in=recent + previous)
        # Months with only course completions cannot show any of the rules.
        .filter(
            Q(quizzes__gt=0)
            | Q(scenarios__gt=0)
            | Q(roleplays__gt=0)
            | Q(answers_accepted__gt=0)
            | Q(answers_upvoted__gt=0)
        )
        .order_by()
        .values("rep_id", "month", *LEARNING_SUMS)
    ):
        period = "recent" if row["month"] in recent else "previous"
        by_rep.setdefault(row["rep_id"], {"recent": [], "previous": []})[period].append(row)
    today = timezone.localdate()
    since = today - timedelta(days=STEADY_WINDOW - 1)
    steady = learning_days_per_user(partner_ids=partner_ids, since=since, until=today, at_least=STEADY_DAYS)
    runs: dict[int, list[date]] = {}
    for user_id, day in learning_day_rows(users=list(steady), since=since, until=today):
        runs.setdefault(user_id, []).append(day)
    talents = []
    # A streak alone is one piece of evidence, never enough: only reps with rollup rows can be listed.
    for rep_id in by_rep:
        if rep_id not in reps:
            continue
        periods = by_rep.get(rep_id, {"recent": [], "previous": []})
        now, before = _sums(periods["recent"]), _sums(periods["previous"])
        evidence = _evidence(now, before, steady.get(rep_id), _longest_run(runs.get(rep_id, [])))
        if len(evidence) >= MIN_EVIDENCE:
            name, partner_name, team_name = reps[rep_id]
            talents.append(Talent(rep_id, name, partner_name, team_name, evidence))
    talents.sort(key=lambda t: (-len(t.evidence), t.name, t.rep_id))
    talents = talents[:LIMIT]
    _add_sales(talents, recent, previous)
    return talents


def _score_text(before: float, after: float) -> dict[str, str]:
    return {"before": f"{before:.0f}", "after": f"{after:.0f}"}


def _evidence(now: Figures, before: Figures, steady_days: int | None, run: int) -> list[Evidence]:
    out = []
    if now.quizzes >= 2 and before.quizzes >= 2 and _rise(before.average_score, now.average_score):
        out.append(
            Evidence(
                "quiz",
                _("Quiz average rose from %(before)s to %(after)s (%(n)s quizzes in the last 3 months).")
                % {**_score_text(before.average_score, now.average_score), "n": now.quizzes},  # type: ignore[arg-type]
            )
        )
    if now.scenarios and before.scenarios and _rise(before.alignment, now.alignment):
        out.append(
            Evidence(
                "alignment",
                _(
                    "Top-rep alignment in scenarios rose from %(before)s%% to %(after)s%% (%(n)s scenarios in the last 3 months)."
                )
                % {**_score_text(before.alignment, now.alignment), "n": now.scenarios},  # type: ignore[arg-type]
            )
        )
    if now.roleplays and before.roleplays and _rise(before.roleplay_score, now.roleplay_score):
        out.append(
            Evidence(
                "roleplay",
                _("Roleplay score rose from %(before)s to %(after)s (%(passed)s of %(n)s passed in the last 3 months).")
                % {
                    **_score_text(before.roleplay_score, now.roleplay_score),  # type: ignore[arg-type]
                    "passed": now.roleplays_passed,
                    "n": now.roleplays,
                },
            )
        )
    helpful = now.answers_accepted + now.answers_upvoted
    if helpful >= HELPFUL:
        out.append(
            Evidence(
                "community",
                _("Helpful community answers: %(accepted)s accepted, %(upvoted)s up-votes in the last 3 months.")
                % {"accepted": now.answers_accepted, "upvoted": now.answers_upvoted},
            )
        )
    if steady_days:
        out.append(
            Evidence(
                "streak",
                _("Learned on %(days)s of the last %(window)s days (longest streak: %(run)s days).")
                % {"days": steady_days, "window": STEADY_WINDOW, "run": run},
            )
        )
    return out


def _add_sales(talents: list[Talent], recent: list[date], previous: list[date]) -> None:
    if not talents:
        return
    ids = [t.rep_id for t in talents]
    figures = figures_by(
        sales_filter=Q(rep_id__in=ids),
        learning_filter=Q(pk__in=[]),
        group="rep_id",
        learning_group="rep_id",
        months=recent + previous,
    )
    for talent in talents:
        for month in recent:
            talent.sales_after.add(figures.get((talent.rep_id, month)) or Figures())
        for month in previous:
            talent.sales_before.add(figures.get((talent.rep_id, month)) or Figures())
