"""A narrow rebuild settles the background projector's queue: a statement queued when it runs counts once."""

from io import StringIO

import pytest
from django.core.management import call_command

from kizuna.gamification.models import RepScore
from kizuna.records import vocab
from kizuna.records.models import LearningDay, PendingStatement
from kizuna.records.projector import drain
from kizuna.records.services import Activity, statement_record

ARTICLE = vocab.Term("activity-types/test-article", "記事", "article", own=True)


def _rows() -> list[tuple]:
    days = sorted(LearningDay.objects.values_list("user_id", "day", "statements", "seconds"))
    return [days, sorted(RepScore.objects.values_list("user_id", "points", "streak"))]


@pytest.mark.parametrize("mode", ["partner", "month"])
def test_statements_still_queued_count_once_after_a_narrow_rebuild(cast, settings, mode):
    settings.PROJECTIONS_EAGER = False  # as deployed: the background projector applies them a moment later
    for rep in (cast.rep_a1, cast.rep_b1):
        statement_record(
            actor=rep,
            verb=vocab.EXPERIENCED,
            activity=Activity(iri="urn:test:a", type=ARTICLE, name={}),
            result={"duration": "PT30S"},
        )
    assert PendingStatement.objects.count() == 2  # not projected yet
    args = ["--partner", cast.partner_a.slug] if mode == "partner" else ["--month", _this_month()]
    call_command("rebuild_projections", *args, stdout=StringIO())
    drain()  # the projector's next batches
    narrow = _rows()
    call_command("rebuild_projections", stdout=StringIO())
    assert narrow == _rows()
    assert [row[2] for row in narrow[0]] == [1, 1]


def _this_month() -> str:
    from django.utils import timezone

    return timezone.localdate().strftime("%Y-%m")
