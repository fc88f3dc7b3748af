"""The statistics of "did learning move sales?", from scipy; no hand-written formulas.

Every estimate is per rep (each rep counts once, whatever their number of calls), with a confidence
interval at CONFIDENCE. An interval that contains 0 means no effect can be told apart from chance.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
MIN_PAIRS = 3
MIN_GROUP = 3
MIN_CORRELATION = 5


@dataclass(frozen=True)
class Estimate:
    """A difference (or correlation) with its interval; rates are in percentage points."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    n_other: int | None = None
    confidence: float = CONFIDENCE

    @property
    def known(self) -> bool:
        return self.value is not None and self.low is not None and self.high is not None

    @property
    def direction(self) -> int:
        """+1 if the whole interval is above 0, -1 if below, 0 if it contains 0 (or nothing is known)."""
        if not self.known:
            return 0
        if self.low > 0:  # type: ignore[operator]
            return 1
        if self.high < 0:  # type: ignore[operator]
            return -1
        return 0


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def paired_difference(before: Sequence[float], after: Sequence[float], *, confidence: float = CONFIDENCE) -> Estimate:
    """Mean of after − before over the same reps, with the paired t interval."""
    n = len(before)
    if n < MIN_PAIRS or len(after) != n:
        return Estimate(None, None, None, n)
    a, b = np.asarray(after, dtype=float), np.asarray(before, dtype=float)
    diff = a - b
    if np.allclose(diff, diff[0]):
        value = float(diff[0])
        return Estimate(value, value, value, n)
    ci = stats.ttest_rel(a, b).confidence_interval(confidence_level=confidence)
    return Estimate(float(diff.mean()), _finite(ci.low), _finite(ci.high), n)


def group_difference(group: Sequence[float], others: Sequence[float], *, confidence: float = CONFIDENCE) -> Estimate:
    """Mean of the group − mean of the others, with Welch's t interval (unequal variances)."""
    if len(group) < MIN_GROUP or len(others) < MIN_GROUP:
        return Estimate(None, None, None, len(group), len(others))
    a, b = np.asarray(group, dtype=float), np.asarray(others, dtype=float)
    value = float(a.mean() - b.mean())
    if np.allclose(a, a[0]) and np.allclose(b, b[0]):
        return Estimate(value, value, value, len(a), len(b))
    ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval(confidence_level=confidence)
    return Estimate(value, _finite(ci.low), _finite(ci.high), len(a), len(b))


def correlation(x: Sequence[float], y: Sequence[float], *, confidence: float = CONFIDENCE) -> Estimate:
    """Pearson's r with its Fisher-z interval."""
    n = len(x)
    if n < MIN_CORRELATION or len(y) != n:
        return Estimate(None, None, None, n)
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if np.allclose(a, a[0]) or np.allclose(b, b[0]):
        return Estimate(None, None, None, n)
    result = stats.pearsonr(a, b)
    ci = result.confidence_interval(confidence_level=confidence)
    return Estimate(float(result.statistic), _finite(ci.low), _finite(ci.high), n)
