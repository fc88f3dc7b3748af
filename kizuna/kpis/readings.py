"""The plain reading of an experiment's result, in the person's language: what the figures can and cannot support."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .rollouts import Result
    from .staggered import Staggered


def _pt(value: float) -> str:
    return f"{value:+.1f}"


def effect_reading(result: Result, *, metric_words: str, unit: str) -> list[str]:
    """Sentences for the result page, from the figures only; `unit`: points for a rate, per rep a month for a count."""
    primary = result.primary
    if primary is None:
        return [_("The figures cannot give an estimate yet: %(problem)s.") % {"problem": result.problem}]
    words = {
        "metric": metric_words,
        "unit": unit,
        "effect": _pt(primary.effect),
        "low": _pt(primary.low),
        "high": _pt(primary.high),
    }
    if primary.low > 0:
        first = _(
            "Giving the training raised the %(metric)s by about %(effect)s %(unit)s (95%% interval %(low)s to %(high)s). "
            "The reps were drawn at random, so this difference was caused by the rollout, not by who chose to learn."
        )
    elif primary.high < 0:
        first = _(
            "Giving the training lowered the %(metric)s by about %(effect)s %(unit)s (95%% interval %(low)s to %(high)s). "
            "The reps were drawn at random, so this difference was caused by the rollout."
        )
    else:
        first = _(
            "The experiment found no clear effect: the %(metric)s changed by %(effect)s %(unit)s, and anything from "
            "%(low)s to %(high)s %(unit)s fits the figures. This does not show the training has no effect; a change "
            "smaller than that range's width cannot be told from chance with these reps."
        )
    out = [first % words]
    out.append(
        _(
            "This is the pre-registered analysis, fixed when the experiment started: everyone counts in the arm or "
            "wave the draw gave them, whether they did the course or not (intention to treat)."
        )
    )
    if result.compliance is not None:
        share = {"share": round(100 * result.compliance)}
        if result.iv is not None:
            out.append(
                _(
                    "%(share)s%% of the reps given the training finished it. For reps who take the training when given "
                    "it, finishing it changed the %(metric)s by %(effect)s %(unit)s (95%% interval %(low)s to %(high)s; "
                    "instrumental variables, which assume being given the training changes sales only through doing it)."
                )
                % {
                    **share,
                    "metric": metric_words,
                    "unit": unit,
                    "effect": _pt(result.iv.effect),
                    "low": _pt(result.iv.low),
                    "high": _pt(result.iv.high),
                }
            )
        else:
            out.append(_("%(share)s%% of the reps given the training finished it.") % share)
    if len(result.per_agency) > 1:
        out.append(
            _(
                "The effects per agency are exploratory: each rests on fewer reps, so their intervals are wider and "
                "differences between agencies may be chance."
            )
        )
    return out


def staggered_reading(result: Result, *, metric_words: str, unit: str) -> list[str]:
    """Sentences on the staggered-rollout difference in differences: what it found, what it assumes, the pre-trend."""
    staggered = result.staggered
    if staggered is None:
        return []
    words = {
        "metric": metric_words,
        "unit": unit,
        "effect": _pt(staggered.effect),
        "low": _pt(staggered.low),
        "high": _pt(staggered.high),
    }
    out = [
        _(
            "Comparing each wave with the reps not yet trained at the same time, the training changed the %(metric)s "
            "by %(effect)s %(unit)s on average (95%% interval %(low)s to %(high)s)."
        )
        % words,
        _(
            "It assumes the trained and the not-yet-trained reps would have moved alike without the training; unlike "
            "the main estimate it stays right when the effect grows or fades with the months since training."
        ),
    ]
    if staggered.pre_trend_p is None:
        out.append(_("There are no months before training to check that assumption."))
    elif staggered.pre_trend_p < 0.05:
        out.append(
            _(
                "Check failed: before their training, the waves already moved differently from the others "
                "(p = %(p).3f), so this estimate may be off."
            )
            % {"p": staggered.pre_trend_p}
        )
    else:
        out.append(
            _(
                "Check passed: before their training, the waves moved like the others (p = %(p).3f); this supports "
                "the assumption but cannot prove it."
            )
            % {"p": staggered.pre_trend_p}
        )
    return out


def adoption_reading(staggered: Staggered) -> list[str]:
    """Sentences on the staggered-adoption difference in differences of "did learning move sales?" (not random)."""
    words = {"effect": _pt(staggered.effect), "low": _pt(staggered.low), "high": _pt(staggered.high)}
    out = [
        _(
            "Comparing reps from the month they finished with reps who had not finished yet, the appointment rate "
            "changed by %(effect)s points on average (95%% interval %(low)s to %(high)s)."
        )
        % words,
        _(
            "It assumes reps who finished would have moved like those who had not finished yet; reps who finish "
            "because they were already improving break that assumption, which the check below looks for."
        ),
    ]
    if staggered.pre_trend_p is None:
        out.append(_("There are no months before finishing to check that assumption."))
    elif staggered.pre_trend_p < 0.05:
        out.append(
            _(
                "Check failed: before finishing, these reps already moved differently from the others "
                "(p = %(p).3f), so read this estimate as a comparison, not an effect."
            )
            % {"p": staggered.pre_trend_p}
        )
    else:
        out.append(
            _(
                "Check passed: before finishing, these reps moved like the others (p = %(p).3f); this supports the "
                "assumption but cannot prove it. Only a rollout drawn at random (an experiment) settles it."
            )
            % {"p": staggered.pre_trend_p}
        )
    return out
