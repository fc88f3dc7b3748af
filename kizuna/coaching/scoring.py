"""The maths of roleplay practice: rubric scores, the pass rule, peer allocation and reviewer calibration.

Pure functions, pinned by unit tests on known inputs (tests/test_maths.py); the services load rows,
call them, and store the result.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    weight: int
    max_level: int


def level_scaled(level: int, max_level: int) -> float:
    """Return a level as 0..1: the lowest level is 0, the highest 1."""
    if max_level < 2 or not 1 <= level <= max_level:
        raise ValueError(f"level {level} outside 1..{max_level}")
    return (level - 1) / (max_level - 1)


def rubric_score(*, criteria: Sequence[CriterionSpec], levels: Mapping[int, int]) -> float:
    """Return the weighted rubric score 0..1 of one review: every criterion must have a level."""
    total_weight = sum(c.weight for c in criteria)
    if total_weight <= 0:
        raise ValueError("a rubric needs a positive total weight")
    points = sum(c.weight * level_scaled(levels[c.id], c.max_level) for c in criteria)
    return round(points / total_weight, 4)


def combined_score(*, scores: Sequence[tuple[float, float]]) -> float | None:
    """Return the weighted mean of (score, reviewer weight) pairs, or None when nobody counts."""
    total = sum(weight for _score, weight in scores)
    if total <= 0:
        return None
    return round(sum(score * weight for score, weight in scores) / total, 4)


def passes(*, score: float, threshold_percent: int) -> bool:
    """Return whether a 0..1 score reaches a pass threshold given in percent."""
    return round(score * 100, 6) >= threshold_percent


@dataclass(frozen=True)
class Peer:
    id: int
    partner_id: int
    team_id: int | None


def peers_choose(
    *, author: Peer, candidates: Iterable[Peer], count: int, load: Mapping[int, int], sharing_partner_ids: set[int]
) -> list[int]:
    """Choose up to `count` peer reviewers for one take.

    Never the author; people of another agency only when both agencies take part in cross-agency
    reviews; the least loaded first (so allocation stays balanced), then people of other teams,
    then by id so the choice is repeatable.
    """
    cross_ok = author.partner_id in sharing_partner_ids
    eligible = [
        c
        for c in candidates
        if c.id != author.id
        and (c.partner_id == author.partner_id or (cross_ok and c.partner_id in sharing_partner_ids))
    ]
    eligible.sort(key=lambda c: (load.get(c.id, 0), c.team_id is not None and c.team_id == author.team_id, c.id))
    return [c.id for c in eligible[: max(count, 0)]]


CalibrationKey = tuple[int, int]  # (submission id, criterion id)


@dataclass
class ReviewerCalibration:
    """How far one reviewer's scores are from the coaches' on the same reference takes (0 = the same)."""

    reviewer_id: int
    deviation: float | None
    compared: int
    per_criterion: dict[int, float] = field(default_factory=dict)

    @property
    def agreement(self) -> float | None:
        return None if self.deviation is None else round(1 - self.deviation, 4)

    @property
    def weight(self) -> float:
        return calibration_weight(self.deviation)


def calibration_reference(*, coach_scores: Iterable[tuple[int, int, float]]) -> dict[CalibrationKey, float]:
    """Return the coaches' mean scaled score per (submission, criterion) from (submission, criterion, scaled) rows."""
    sums: dict[CalibrationKey, list[float]] = {}
    for submission_id, criterion_id, scaled in coach_scores:
        sums.setdefault((submission_id, criterion_id), []).append(scaled)
    return {key: round(sum(values) / len(values), 4) for key, values in sums.items()}


def calibration_figures(
    *, scores: Iterable[tuple[int, int, int, float]], reference: Mapping[CalibrationKey, float]
) -> dict[int, ReviewerCalibration]:
    """Return each reviewer's mean absolute distance from the reference, overall and per criterion.

    `scores` are (reviewer, submission, criterion, scaled) rows; only keys the coaches scored count.
    """
    overall: dict[int, list[float]] = {}
    by_criterion: dict[int, dict[int, list[float]]] = {}
    for reviewer_id, submission_id, criterion_id, scaled in scores:
        ref = reference.get((submission_id, criterion_id))
        if ref is None:
            continue
        gap = abs(scaled - ref)
        overall.setdefault(reviewer_id, []).append(gap)
        by_criterion.setdefault(reviewer_id, {}).setdefault(criterion_id, []).append(gap)
    return {
        reviewer_id: ReviewerCalibration(
            reviewer_id=reviewer_id,
            deviation=round(sum(gaps) / len(gaps), 4),
            compared=len(gaps),
            per_criterion={cid: round(sum(g) / len(g), 4) for cid, g in by_criterion[reviewer_id].items()},
        )
        for reviewer_id, gaps in overall.items()
    }


# Within this distance of the coaches a reviewer counts fully; every 0.1 further costs 0.2, down to a floor.
CALIBRATION_TOLERANCE = 0.1
CALIBRATION_FLOOR = 0.25


def calibration_weight(deviation: float | None) -> float:
    """Return the weight of a reviewer's scores: 1 when well calibrated (or not yet compared), less when far off."""
    if deviation is None:
        return 1.0
    weight = 1.0 - 2.0 * max(0.0, deviation - CALIBRATION_TOLERANCE)
    return round(min(1.0, max(CALIBRATION_FLOOR, weight)), 4)
