"""The maths of coaching, pinned on known inputs: rubric scores, the pass rule, peer allocation, calibration."""

import pytest

from kizuna.coaching.scoring import (
    CriterionSpec,
    Peer,
    calibration_figures,
    calibration_reference,
    calibration_weight,
    combined_score,
    level_scaled,
    passes,
    peers_choose,
    rubric_score,
)

CRITERIA = [CriterionSpec(id=1, weight=3, max_level=3), CriterionSpec(id=2, weight=1, max_level=2)]


def test_levels_run_from_zero_to_one() -> None:
    assert [level_scaled(n, 3) for n in (1, 2, 3)] == [0.0, 0.5, 1.0]
    with pytest.raises(ValueError):
        level_scaled(4, 3)


def test_rubric_score_weights_each_criterion() -> None:
    assert rubric_score(criteria=CRITERIA, levels={1: 3, 2: 2}) == 1.0
    assert rubric_score(criteria=CRITERIA, levels={1: 1, 2: 1}) == 0.0
    # (3 × 0.5 + 1 × 1) / 4
    assert rubric_score(criteria=CRITERIA, levels={1: 2, 2: 2}) == 0.625
    # (3 × 1 + 1 × 0) / 4
    assert rubric_score(criteria=CRITERIA, levels={1: 3, 2: 1}) == 0.75


def test_rubric_score_needs_every_criterion() -> None:
    with pytest.raises(KeyError):
        rubric_score(criteria=CRITERIA, levels={1: 2})


def test_combined_score_is_the_weighted_mean_of_reviews() -> None:
    assert combined_score(scores=[(1.0, 1.0), (0.5, 1.0)]) == 0.75
    assert combined_score(scores=[(1.0, 1.0), (0.0, 0.25)]) == 0.8
    assert combined_score(scores=[]) is None


def test_the_pass_rule_includes_the_threshold() -> None:
    assert passes(score=0.6, threshold_percent=60)
    assert passes(score=0.6000001, threshold_percent=60)
    assert not passes(score=0.5999, threshold_percent=60)
    assert passes(score=0.0, threshold_percent=0)


def _crowd() -> list[Peer]:
    # Partner 1: teams 10 and 11; partner 2: team 20; partner 3 (not sharing): team 30.
    return [
        Peer(id=1, partner_id=1, team_id=10),
        Peer(id=2, partner_id=1, team_id=10),
        Peer(id=3, partner_id=1, team_id=11),
        Peer(id=4, partner_id=1, team_id=11),
        Peer(id=5, partner_id=2, team_id=20),
        Peer(id=6, partner_id=2, team_id=20),
        Peer(id=7, partner_id=3, team_id=30),
    ]


def test_peer_allocation_prefers_other_teams_and_never_picks_the_author() -> None:
    crowd = _crowd()
    chosen = peers_choose(author=crowd[0], candidates=crowd, count=2, load={}, sharing_partner_ids=set())
    assert chosen == [3, 4]
    assert 1 not in peers_choose(author=crowd[0], candidates=crowd, count=10, load={}, sharing_partner_ids={1, 2, 3})


def test_peer_allocation_crosses_agencies_only_when_both_share_reviews() -> None:
    crowd = _crowd()
    alone = peers_choose(author=crowd[0], candidates=crowd, count=10, load={}, sharing_partner_ids=set())
    assert set(alone) == {2, 3, 4}
    shared = peers_choose(author=crowd[0], candidates=crowd, count=10, load={}, sharing_partner_ids={1, 2})
    assert set(shared) == {2, 3, 4, 5, 6}
    # Partner 3 does not share: its rep is never chosen, and its own reps get only their colleagues.
    assert peers_choose(author=crowd[6], candidates=crowd, count=3, load={}, sharing_partner_ids={1, 2}) == []


def test_peer_allocation_stays_balanced_over_many_takes() -> None:
    crowd = _crowd()[:6]
    load: dict[int, int] = {}
    for round_ in range(30):
        author = crowd[round_ % len(crowd)]
        chosen = peers_choose(author=author, candidates=crowd, count=2, load=load, sharing_partner_ids={1, 2})
        others = [c.id for c in crowd if c.id not in chosen and c.id != author.id]
        # Nobody left out has fewer reviews than someone chosen.
        assert max(load.get(pk, 0) for pk in chosen) <= min(load.get(pk, 0) for pk in others)
        for pk in chosen:
            assert pk != author.id
            load[pk] = load.get(pk, 0) + 1
    assert sum(load.values()) == 60
    # Never reviewing oneself can leave one person a review behind, never more.
    assert max(load.values()) - min(load.values()) <= 2


def test_calibration_figures_on_a_known_case() -> None:
    # Two reference takes (100, 101), two criteria (1, 2); two coaches disagree on (100, 1).
    reference = calibration_reference(
        coach_scores=[(100, 1, 1.0), (100, 1, 0.5), (100, 2, 0.0), (101, 1, 0.5), (101, 2, 1.0)]
    )
    assert reference == {(100, 1): 0.75, (100, 2): 0.0, (101, 1): 0.5, (101, 2): 1.0}
    figures = calibration_figures(
        scores=[
            # Reviewer 7 is close: gaps .25, 0, 0, 0.
            (7, 100, 1, 1.0),
            (7, 100, 2, 0.0),
            (7, 101, 1, 0.5),
            (7, 101, 2, 1.0),
            # Reviewer 8 is far: gaps .75, 1, .5, 1; and a take the coaches never scored, which does not count.
            (8, 100, 1, 0.0),
            (8, 100, 2, 1.0),
            (8, 101, 1, 1.0),
            (8, 101, 2, 0.0),
            (8, 999, 1, 1.0),
        ],
        reference=reference,
    )
    assert figures[7].deviation == 0.0625
    assert figures[7].agreement == 0.9375
    assert figures[7].per_criterion == {1: 0.125, 2: 0.0}
    assert figures[7].weight == 1.0
    assert figures[8].deviation == 0.8125
    assert figures[8].compared == 4
    assert figures[8].per_criterion == {1: 0.625, 2: 1.0}
    assert figures[8].weight == 0.25


def test_calibration_weight_down_weights_reviewers_far_from_the_coaches() -> None:
    assert calibration_weight(None) == 1.0
    assert calibration_weight(0.1) == 1.0
    assert calibration_weight(0.2) == 0.8
    assert calibration_weight(0.35) == 0.5
    assert calibration_weight(0.9) == 0.25
