"""What could an experiment detect? The principal's page, from the eligible reps' own figures."""

from typing import Any

import numpy as np
from django.urls import reverse
from django.utils import translation

from conftest import make_person
from kizuna.kpis import services
from kizuna.kpis.periods import current_month, month_add

THIS = current_month()
PLAN = reverse("kpis:experiment_plan")


def _history(cast: Any, *, reps: int = 12, months: int = 6) -> None:
    """reps reps of partner A in its two teams, with `months` months of figures that vary between reps."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(reps):
        team = cast.team_a1 if i % 2 else cast.team_a2
        rep = make_person(f"plan{i}@a.example", f"計画{i}", cast.partner_a, "rep", team)
        level = rng.uniform(0.1, 0.3)
        for back in range(1, months + 1):
            calls = 100
            appointments = int(rng.binomial(calls, level))
            rows.append(
                (
                    len(rows) + 1,
                    {
                        "rep_email": rep.email,
                        "month": month_add(THIS, -back).strftime("%Y-%m"),
                        "product": "",
                        "calls": calls,
                        "appointments": appointments,
                        "deals": appointments // 3,
                        "revenue": 0,
                    },
                )
            )
    services.sales_figures_upsert(rows=rows, by=cast.admin, source="import")


def _query(cast: Any, **extra: Any) -> str:
    params = {
        "partners": cast.partner_a.pk,
        "metric": "appointment_rate",
        "design": "holdout",
        "period": 3,
        "held_out": 50,
        "waves": 3,
        "spacing": 1,
    }
    params.update(extra)
    return PLAN + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_the_principal_reads_the_minimum_detectable_effect_in_plain_english(cast: Any, signed_in: Any) -> None:
    _history(cast)
    with translation.override("en"):
        body = signed_in(cast.admin).get(_query(cast), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "With these 12 reps in 2 teams you would notice a change of" in body
    assert "points or more in the appointment rate; smaller changes would be missed." in body
    assert "From their last 3 months of figures" in body and "Design effect" in body


def test_the_same_reading_comes_in_japanese(cast: Any, signed_in: Any) -> None:
    _history(cast)
    body = signed_in(cast.admin).get(_query(cast, design="waves", metric="close_rate")).content.decode()
    assert "この12人（2チーム）なら、成約率で" in body
    assert "ポイント以上の変化に気づけます" in body


def test_too_little_history_says_so_instead_of_a_figure(cast: Any, signed_in: Any) -> None:
    _history(cast, months=2)
    with translation.override("en"):
        body = signed_in(cast.admin).get(_query(cast), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "figures cannot tell yet" in body and "you would notice" not in body


def test_bad_choices_are_form_errors_not_failures(cast: Any, signed_in: Any) -> None:
    client = signed_in(cast.admin)
    for extra in ({"held_out": 500}, {"partners": 999999}, {"period": "x"}, {"design": "both"}, {"waves": -1}):
        response = client.get(_query(cast, **extra))
        assert response.status_code == 200
        assert "experiment-detectable" not in response.content.decode()


def test_agencies_and_reps_may_not_plan_experiments(cast: Any, signed_in: Any) -> None:
    for person in (cast.manager_a, cast.manager_b, cast.rep_a1):
        assert signed_in(person).get(_query(cast)).status_code == 404


def test_the_history_sums_products_per_month_and_leaves_out_reps_who_left(cast: Any) -> None:
    from kizuna.catalog.models import Product
    from kizuna.kpis.models import SalesFigure
    from kizuna.kpis.selectors import experiment_history

    month = month_add(THIS, -1)
    for n, slug in enumerate(("p1", "p2")):
        product = Product.objects.create(slug=slug, name=slug)
        SalesFigure.objects.create(
            rep=cast.rep_a1,
            partner=cast.partner_a,
            period=month,
            product=product,
            calls=10 * (n + 1),
            appointments=n + 1,
            deals=0,
            revenue=0,
            source="import",
        )
    SalesFigure.objects.create(
        rep=cast.rep_a2,
        partner=cast.partner_a,
        period=month,
        calls=5,
        appointments=1,
        deals=1,
        revenue=0,
        source="import",
    )
    cast.rep_a2.is_active = False
    cast.rep_a2.save()
    history = experiment_history(partner_ids=[cast.partner_a.pk], months=3)
    assert history[["rep", "month", "calls", "appointments", "closed"]].values.tolist() == [
        [str(cast.rep_a1.pk), month, 30, 3, 0]
    ]
    assert history["team"].tolist() == [f"team:{cast.team_a1.pk}"]
