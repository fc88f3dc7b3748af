from typing import Any

from django.urls import reverse

from kizuna.kpis import talent
from kizuna.kpis.periods import current_month, month_add

from . import builders

THIS = current_month()
BEFORE = month_add(THIS, -3)


def _rising(rep: Any) -> None:
    for score in (0.6, 0.62):
        builders.quiz(rep, score, BEFORE)
    for score in (0.85, 0.9):
        builders.quiz(rep, score, THIS)
    for _n in range(3):
        builders.recognition(rep, THIS, "accepted")


def test_a_rep_with_rising_scores_and_helpful_answers_is_listed_with_the_evidence(cast: Any) -> None:
    _rising(cast.rep_a1)
    builders.quiz(cast.rep_a2, 0.9, THIS)  # one good quiz alone is not a rise
    talents = talent.rising_talent(partners=[cast.partner_a, cast.partner_b])
    assert [t.rep_id for t in talents] == [cast.rep_a1.pk]
    kinds = [e.kind for e in talents[0].evidence]
    assert kinds == ["quiz", "community"]
    assert "61" in talents[0].evidence[0].text and "88" in talents[0].evidence[0].text


def test_one_piece_of_evidence_is_not_enough(cast: Any) -> None:
    for _n in range(5):
        builders.recognition(cast.rep_a1, THIS, "upvoted")
    assert talent.rising_talent(partners=[cast.partner_a]) == []


def test_a_manager_sees_rising_talent_of_their_own_agency_only(cast: Any, signed_in: Any) -> None:
    _rising(cast.rep_a1)
    _rising(cast.rep_b1)
    body_b = signed_in(cast.manager_b).get(reverse("kpis:rising_talent")).content.decode()
    assert cast.rep_b1.name in body_b and cast.rep_a1.name not in body_b
    assert (
        signed_in(cast.manager_b).get(reverse("kpis:rising_talent") + f"?partner={cast.partner_a.pk}").status_code
        == 200
    )
    body_admin = signed_in(cast.admin).get(reverse("kpis:rising_talent")).content.decode()
    assert cast.rep_b1.name in body_admin and cast.rep_a1.name in body_admin


def test_the_principal_filters_by_agency(cast: Any, signed_in: Any) -> None:
    _rising(cast.rep_a1)
    _rising(cast.rep_b1)
    body = signed_in(cast.admin).get(reverse("kpis:rising_talent") + f"?partner={cast.partner_b.pk}").content.decode()
    assert cast.rep_b1.name in body and cast.rep_a1.name not in body
