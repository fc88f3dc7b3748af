"""Reads of the "think like a top rep" analytics: which scenarios and versions a person may analyse, one partner's
reps and teams, and where each partner's choices leave the top rep's.

Everything is about one published version at a time (versions are never mixed). People are read only through
``kizuna.orgs.access``: a manager sees their own agency, the principal's admins and coaches every agency, and
authors aggregates only (no rep ever appears in what they may open). Each function runs a fixed number of queries.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from kizuna.catalog.selectors import courses_visible_to
from kizuna.orgs.access import Role, has_role, is_principal_staff, visible_partners, visible_reps

from .models import Attempt, Scenario, ScenarioVersion
from .scoring import Graph

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.orgs.models import Organization

# A partner's share at a moment counts as a divergence only from this many answers there (fewer is noise).
MIN_ANSWERS = 5
# How many moments the principal's page highlights as the places where an agency diverges most.
HIGHLIGHTS = 3
# A partner's row at a moment is marked when its top-rep share is this far below all partners' share.
DIVERGENCE_GAP = 0.2
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


# --- Which scenarios and versions --------------------------------------------------------------


def scenarios_for_analytics(user: Any) -> QuerySet[Scenario]:
    """Return the published scenarios whose analytics this person may open.

    The principal's staff: every published scenario. A manager: those shown in a course assigned to their agency,
    or played by their reps. Anyone else: none.
    """
    published = Scenario.objects.filter(latest_version__isnull=False).select_related("latest_version")
    if is_principal_staff(user):
        return published.order_by("title", "pk")
    if not has_role(user, Role.MANAGER):
        return published.none()
    shown = courses_visible_to(user).filter(versions__lessons__kind="scenario").values("versions__lessons__content_id")
    played = Attempt.objects.filter(rep__in=visible_reps(user)).values("version_id")
    ids = ScenarioVersion.objects.filter(Q(pk__in=shown) | Q(pk__in=played)).values("scenario_id")
    return published.filter(pk__in=ids).order_by("title", "pk")


def access_scenario_for_analytics(user: "User", scenario_id: int) -> Scenario:
    try:
        return scenarios_for_analytics(user).get(pk=scenario_id)
    except (Scenario.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _counted_attempts(
    user: "User", *, partner: "Organization | None" = None, rep: "User | None" = None
) -> QuerySet[Attempt]:
    """Finished attempts this person may count: partners' reps for the principal, their own reps for a manager.

    With ``partner`` (or ``rep``), only that agency's (or that rep's) attempts, and only if this person may see its reps.
    """
    attempts = Attempt.objects.filter(finished_at__isnull=False)
    if rep is not None:
        return attempts.filter(rep__in=visible_reps(user).filter(pk=rep.pk))
    if partner is not None:
        return attempts.filter(rep__in=visible_reps(user).filter(membership__organization=partner))
    if is_principal_staff(user):
        return attempts.filter(partner__in=visible_partners(user))
    return attempts.filter(rep__in=visible_reps(user))


@dataclass(frozen=True)
class VersionOption:
    version: ScenarioVersion
    finished: int  # finished attempts this person may count


def analytics_versions(
    *,
    user: "User",
    scenario: Scenario,
    partner: "Organization | None" = None,
    rep: "User | None" = None,
    counts: bool = True,
) -> list[VersionOption]:
    """Return every published version of the scenario, newest first, with the finished attempts the person may count.

    ``counts=False`` skips counting (``finished`` is 0): for a chart, which only needs the version.
    """
    finished: dict[int, int] = {}
    if counts:
        finished = dict(
            _counted_attempts(user, partner=partner, rep=rep)
            .filter(version__scenario=scenario)
            .values_list("version_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    versions = ScenarioVersion.objects.filter(scenario=scenario).order_by("-number")
    return [VersionOption(version=v, finished=finished.get(v.pk, 0)) for v in versions]


def version_chosen(options: list[VersionOption], raw: str | None) -> ScenarioVersion:
    """Return the version numbered ``raw`` (the latest when none is given), or 404."""
    if not options:
        raise Http404
    if raw in (None, ""):
        return options[0].version
    for option in options:
        if str(option.version.number) == raw:
            return option.version
    raise Http404


@dataclass(frozen=True)
class ScenarioSummary:
    scenario: Scenario
    version: ScenarioVersion
    moments: int
    finished: int
    reps: int
    partners: int
    alignment: int | None  # percent


def scenario_summaries(*, user: "User", scenarios: list[Scenario]) -> list[ScenarioSummary]:
    """Return each scenario's latest version with its finished attempts, reps and mean alignment, in one query."""
    latest_ids = [s.latest_version_id for s in scenarios]
    rows = {
        row["version_id"]: row
        for row in _counted_attempts(user)
        .filter(version_id__in=latest_ids)
        .values("version_id")
        .annotate(
            n=Count("id"),
            reps=Count("rep_id", distinct=True),
            partners=Count("partner_id", distinct=True),
            alignment=Avg("alignment"),
        )
        .order_by()
    }
    summaries = []
    for scenario in scenarios:
        version = scenario.latest_version
        assert version is not None  # scenarios_for_analytics lists published scenarios only
        row = rows.get(version.pk, {})
        summaries.append(
            ScenarioSummary(
                scenario=scenario,
                version=version,
                moments=sum(1 for n in version.graph.get("nodes", []) if n.get("kind") == "moment"),
                finished=row.get("n", 0),
                reps=row.get("reps", 0),
                partners=row.get("partners", 0),
                alignment=percent(row.get("alignment")),
            )
        )
    return summaries


def value_tag_names(version: ScenarioVersion) -> list[tuple[str, str]]:
    """Return [(slug, name in the active language)] of the values the version's choices carry, as frozen in it."""
    english = (get_language() or "ja").startswith("en")
    return [(t["slug"], t["en"] if english else t["ja"]) for t in version.graph.get("value_tags", [])]


# --- One partner's reps and teams -------------------------------------------------------------


@dataclass
class _Tally:
    """Sums over finished attempts: how many, their alignments and scores, and the value profile."""

    finished: int = 0
    alignments: list[float] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    values: dict[str, list[int]] = field(default_factory=dict)  # slug -> [offered, chosen]

    def add(self, alignment: float | None, score: float | None, profile: dict[str, Any]) -> None:
        self.finished += 1
        if alignment is not None:
            self.alignments.append(alignment)
        if score is not None:
            self.scores.append(score)
        for slug, entry in (profile or {}).items():
            sums = self.values.setdefault(slug, [0, 0])
            sums[0] += int(entry.get("offered", 0))
            sums[1] += int(entry.get("chosen", 0))

    @property
    def alignment(self) -> int | None:
        return percent(sum(self.alignments) / len(self.alignments)) if self.alignments else None

    @property
    def score(self) -> int | None:
        return percent(sum(self.scores) / len(self.scores)) if self.scores else None

    def profile(self, names: list[tuple[str, str]]) -> list[dict[str, Any]]:
        """Per value tag of the version: how often a choice carrying it was chosen when one was offered."""
        out = []
        for slug, name in names:
            offered, chosen = self.values.get(slug, [0, 0])
            out.append(
                {
                    "slug": slug,
                    "name": name,
                    "offered": offered,
                    "chosen": chosen,
                    "percent": round(100 * chosen / offered) if offered else None,
                }
            )
        return out


@dataclass(frozen=True)
class RepRow:
    rep_id: int
    name: str
    team: str
    started: int
    finished: int
    alignment: int | None
    score: int | None
    last_played: datetime
    profile: list[dict[str, Any]]

    @property
    def in_progress(self) -> int:
        return self.started - self.finished


@dataclass(frozen=True)
class TeamRow:
    team_id: int | None
    team: str
    reps: int
    finished: int
    alignment: int | None
    score: int | None
    profile: list[dict[str, Any]]


@dataclass(frozen=True)
class Breakdown:
    reps: list[RepRow]
    teams: list[TeamRow]
    total: TeamRow  # every rep together
    value_tags: list[tuple[str, str]]


def partner_breakdown(*, user: "User", version: ScenarioVersion, partner: "Organization") -> Breakdown:
    """Return one partner's reps and teams on this version: attempts, mean alignment and score, value profile.

    The figures follow the core selectors (``alignment_by_rep``/``alignment_by_team``): means over finished
    attempts, teams weighted by attempts. Only reps this person may see count; one query.
    """
    rows = (
        Attempt.objects.filter(version=version, rep__in=visible_reps(user).filter(membership__organization=partner))
        .values_list(
            "rep_id",
            "rep__name",
            "rep__membership__team_id",
            "rep__membership__team__name",
            "finished_at",
            "last_activity_at",
            "alignment",
            "score_raw",
            "score_min",
            "score_max",
            "value_profile",
        )
        .order_by()
    )
    names = value_tag_names(version)
    reps: dict[int, dict[str, Any]] = {}
    teams: dict[int | None, tuple[str, _Tally, set[int]]] = {}
    total = _Tally()
    total_reps: set[int] = set()
    for rep_id, name, team_id, team_name, finished_at, last, alignment, raw, low, high, profile in rows:
        score = (raw - low) / (high - low) if high > low else None  # as Attempt.points / points_max
        rep = reps.setdefault(
            rep_id, {"name": name, "team": team_name or "", "started": 0, "last": last, "tally": _Tally()}
        )
        rep["started"] += 1
        rep["last"] = max(rep["last"], last)
        if finished_at is None:
            continue
        rep["tally"].add(alignment, score, profile)
        team = teams.setdefault(team_id, (team_name or "", _Tally(), set()))
        team[1].add(alignment, score, profile)
        team[2].add(rep_id)
        total.add(alignment, score, profile)
        total_reps.add(rep_id)
    rep_rows = [
        RepRow(
            rep_id=rep_id,
            name=r["name"],
            team=r["team"],
            started=r["started"],
            finished=r["tally"].finished,
            alignment=r["tally"].alignment,
            score=r["tally"].score,
            last_played=r["last"],
            profile=r["tally"].profile(names),
        )
        for rep_id, r in reps.items()
    ]
    rep_rows.sort(key=lambda r: (r.name, r.rep_id))
    team_rows = [
        TeamRow(
            team_id=team_id,
            team=team_name,
            reps=len(members),
            finished=tally.finished,
            alignment=tally.alignment,
            score=tally.score,
            profile=tally.profile(names),
        )
        for team_id, (team_name, tally, members) in teams.items()
    ]
    team_rows.sort(key=lambda t: (t.team == "", t.team))
    return Breakdown(
        reps=rep_rows,
        teams=team_rows,
        total=TeamRow(
            team_id=None,
            team="",
            reps=len(total_reps),
            finished=total.finished,
            alignment=total.alignment,
            score=total.score,
            profile=total.profile(names),
        ),
        value_tags=names,
    )


# --- One rep's attempts -----------------------------------------------------------------------


def rep_attempts(*, user: "User", rep: "User", version: ScenarioVersion) -> list[dict[str, Any]]:
    """Return the rep's attempts at this version, newest first, each with its path beside the top rep's choices.

    ``rep`` must come from ``access_rep_for_user``; the attempts are read through ``attempts_visible_to``.
    """
    from .selectors import attempts_visible_to

    graph = Graph(version.graph)
    attempts = list(attempts_visible_to(user).filter(rep=rep, version=version).order_by("-started_at", "-pk"))
    out = []
    for attempt in attempts:
        steps = []
        for node_key, choice_key in attempt.path:
            node = graph.nodes.get(node_key)
            choice = graph.choice(node_key, choice_key)
            if node is None or choice is None:
                continue
            reference = graph.reference_choice(node_key)
            steps.append(
                {
                    "node": node_key,
                    "speaker": node.get("speaker", ""),
                    "situation": node.get("text", ""),
                    "text": choice.get("text", ""),
                    "matched": None if reference is None else reference["key"] == choice_key,
                    "reference": reference.get("text", "") if reference and reference["key"] != choice_key else "",
                }
            )
        out.append(
            {
                "attempt": attempt,
                "steps": steps,
                "matches": sum(1 for s in steps if s["matched"]),
                "compared": sum(1 for s in steps if s["matched"] is not None),
                "alignment": percent(attempt.alignment),
            }
        )
    return out


# --- How each partner chose at each moment (from choice_distribution) --------------------------


def _partner_answers(node: dict[str, Any], partner_id: int) -> int:
    return sum(c["by_partner"].get(partner_id, 0) for c in node["choices"])


def _share(count: int, total: int) -> int | None:
    return round(100 * count / total) if total else None


def distribution_tables(distribution: dict[str, Any]) -> list[dict[str, Any]]:
    """Return, per moment of ``selectors.choice_distribution``, a table of partners × choices (shares in percent).

    Each moment has ``number`` (1-based among moments), lettered ``choices`` (the top rep's marked), an ``all`` row
    (every visible partner together), one row per partner with its answers and shares, ``reference_percent`` per row,
    ``diverges`` on rows whose top-rep share is well below everyone's, and ``lowest``: the partner (with enough
    answers) that chose the top rep's choice least, with the choice it preferred (``instead``).
    """
    partners = distribution["partners"]
    tables = []
    for number, node in enumerate(distribution["nodes"], start=1):
        choices = [
            {"letter": LETTERS[i % len(LETTERS)], "key": c["key"], "text": c["text"], "reference": c["reference"]}
            for i, c in enumerate(node["choices"])
        ]
        reference_index = next((i for i, c in enumerate(node["choices"]) if c["reference"]), None)
        overall = (
            _share(node["choices"][reference_index]["total"], node["total"]) if reference_index is not None else None
        )
        rows = []
        for partner in partners:
            answers = _partner_answers(node, partner["id"])
            counts = [c["by_partner"].get(partner["id"], 0) for c in node["choices"]]
            row = {
                "partner": partner,
                "answers": answers,
                "cells": [{"count": n, "percent": _share(n, answers)} for n in counts],
                "reference_percent": _share(counts[reference_index], answers) if reference_index is not None else None,
                "diverges": False,
                "lowest": False,
            }
            if (
                row["reference_percent"] is not None
                and overall is not None
                and answers >= MIN_ANSWERS
                and row["reference_percent"] <= overall - 100 * DIVERGENCE_GAP
            ):
                row["diverges"] = True
            rows.append(row)
        lowest = None
        candidates = [
            r
            for r in rows
            if r["answers"] >= MIN_ANSWERS and r["reference_percent"] is not None and r["reference_percent"] < 100
        ]
        if candidates and reference_index is not None:
            lowest = min(candidates, key=lambda r: (r["reference_percent"], r["partner"]["name"]))
            lowest["lowest"] = True
            others = [(i, cell) for i, cell in enumerate(lowest["cells"]) if i != reference_index]
            best = max(others, key=lambda item: item[1]["count"], default=None)
            instead = None
            if best is not None and best[1]["count"]:
                instead = {**choices[best[0]], "percent": best[1]["percent"]}
            lowest = {
                "partner": lowest["partner"],
                "reference_percent": lowest["reference_percent"],
                "answers": lowest["answers"],
                "instead": instead,
            }
        tables.append(
            {
                "number": number,
                "key": node["key"],
                "speaker": node["speaker"],
                "text": node["text"],
                "choices": choices,
                "reference": choices[reference_index] if reference_index is not None else None,
                "total": node["total"],
                "all": {
                    "answers": node["total"],
                    "cells": [
                        {"count": c["total"], "percent": _share(c["total"], node["total"])} for c in node["choices"]
                    ],
                    "reference_percent": overall,
                },
                "rows": rows,
                "lowest": lowest,
                "highlight": False,
            }
        )
    return tables


def highlight_divergences(tables: list[dict[str, Any]], *, limit: int = HIGHLIGHTS) -> list[dict[str, Any]]:
    """Mark and return the moments where one partner chose the top rep's choice least (lowest share first)."""
    ranked = sorted(
        (t for t in tables if t["lowest"] is not None),
        key=lambda t: (
            t["lowest"]["reference_percent"],
            -((t["all"]["reference_percent"] or 0) - t["lowest"]["reference_percent"]),
            t["number"],
        ),
    )[:limit]
    for table in ranked:
        table["highlight"] = True
    return ranked


def partner_moments(distribution: dict[str, Any], partner_id: int) -> list[dict[str, Any]]:
    """Return the moments one partner's reps answered, the one where they chose the top rep's choice least first."""
    moments = []
    for table in distribution_tables(distribution):
        row = next((r for r in table["rows"] if r["partner"]["id"] == partner_id), None)
        if row is None or not row["answers"] or table["reference"] is None:
            continue
        reference_index = table["choices"].index(table["reference"])
        others = [(i, cell) for i, cell in enumerate(row["cells"]) if i != reference_index and cell["count"]]
        best = max(others, key=lambda item: item[1]["count"], default=None)
        moments.append(
            {
                "number": table["number"],
                "key": table["key"],
                "speaker": table["speaker"],
                "text": table["text"],
                "reference": table["reference"],
                "reference_percent": row["reference_percent"],
                "answers": row["answers"],
                "instead": {**table["choices"][best[0]], "percent": best[1]["percent"]} if best else None,
            }
        )
    moments.sort(key=lambda m: (m["reference_percent"], m["number"]))
    return moments
