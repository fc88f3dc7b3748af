"""Reps with sales history and an unassigned course, for the experiment rollout tests."""

from typing import Any

import numpy as np

from conftest import make_person, publish_course
from kizuna.kpis import services
from kizuna.kpis.periods import current_month, month_add

THIS = current_month()


def reps_with_history(cast: Any, *, reps: int = 16, months: int = 6, seed: int = 3, teams: int = 2) -> list[Any]:
    """`reps` reps of partner A spread over `teams` teams (its two, and more if asked), with `months` months of
    figures before this month."""
    from kizuna.orgs.models import Team

    rng = np.random.default_rng(seed)
    made, rows = [], []
    more = [Team.objects.create(organization=cast.partner_a, name=f"チーム{k}") for k in range(teams - 2)]
    all_teams = [cast.team_a1, cast.team_a2, *more]
    for i in range(reps):
        team = all_teams[i % len(all_teams)]
        rep = make_person(f"x{i}@a.example", f"実験{i}", cast.partner_a, "rep", team)
        made.append(rep)
        level = rng.uniform(0.1, 0.3)
        for back in range(1, months + 1):
            appointments = int(rng.binomial(100, level))
            rows.append(
                (
                    len(rows) + 1,
                    {
                        "rep_email": rep.email,
                        "month": month_add(THIS, -back).strftime("%Y-%m"),
                        "product": "",
                        "calls": 100,
                        "appointments": appointments,
                        "deals": appointments // 3,
                        "revenue": 0,
                    },
                )
            )
    services.sales_figures_upsert(rows=rows, by=cast.admin, source="import")
    return made


def unassigned_course(cast: Any, *, slug: str = "closing-skills") -> Any:
    """A published article course given to partner B's rep only (partner A's reps can take part)."""
    return publish_course(
        cast,
        slug=slug,
        title="クロージングの技術",
        lessons=[{"kind": "article", "title": "締めの一言", "body": "決め手を聞く。"}],
        rep=cast.rep_b1,
    )
