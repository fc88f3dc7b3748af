"""Receipts are derived from statements, and rebuilding them from the statements gives the same rows."""

from datetime import timedelta

from django.utils import timezone

from kizuna.records.services import lesson_complete
from kizuna.updates import services
from kizuna.updates.models import Receipt
from kizuna.updates.projections import RECEIPT_FIELDS, rebuild

from .conftest import post_update, question


def _snapshot() -> list[tuple]:
    return sorted(Receipt.objects.values_list(*RECEIPT_FIELDS))


def test_rebuild_gives_the_same_receipts_as_the_live_path(cast, article_course):
    t0 = timezone.now() - timedelta(hours=3)
    with_question = post_update(cast, title="切り返しトーク", question=question(correct=2))
    plain = post_update(cast, title="新料金", audience="selected", partners=[cast.partner_a])
    services.update_open(rep=cast.rep_a1, update=with_question, timestamp=t0)
    services.update_answer(rep=cast.rep_a1, update=with_question, option=1, timestamp=t0 + timedelta(minutes=1))
    services.update_answer(rep=cast.rep_a1, update=with_question, option=2, timestamp=t0 + timedelta(minutes=2))
    services.update_acknowledge(rep=cast.rep_a1, update=with_question, timestamp=t0 + timedelta(minutes=3))
    services.update_answer(rep=cast.rep_b1, update=with_question, option=2, timestamp=t0 + timedelta(minutes=4))
    services.update_open(rep=cast.rep_a2, update=plain, timestamp=t0 + timedelta(minutes=5))
    services.update_acknowledge(rep=cast.rep_a1, update=plain, timestamp=t0 + timedelta(minutes=6))
    # Statements of other kinds (a lesson) are ignored by this projection.
    lesson_complete(rep=cast.rep_a1, lesson=article_course.latest_version.lessons.first())
    before = _snapshot()
    assert len(before) == 4
    assert rebuild() == 4
    assert _snapshot() == before
    # The receipts above were written live, so the projection is registered with records (apply and rebuild).
    from kizuna.records.projections import _APP_PROJECTIONS

    assert _APP_PROJECTIONS["flash_update_receipts"].rebuild is rebuild


def test_the_first_answer_and_acknowledgement_count_in_the_rebuild_too(cast):
    update = post_update(cast, question=question(correct=3))
    services.update_answer(rep=cast.rep_a1, update=update, option=3)
    services.update_acknowledge(rep=cast.rep_a1, update=update)
    rebuild()
    receipt = Receipt.objects.get(rep=cast.rep_a1)
    assert (receipt.answer, receipt.answer_correct) == (3, True)
    assert receipt.seen_at <= receipt.answered_at <= receipt.acknowledged_at


def test_a_partners_rebuild_derives_its_reps_receipts_again_and_leaves_the_other_agencys(cast):
    from io import StringIO

    from django.core.management import call_command

    update = post_update(cast, question=question(correct=2))
    services.update_answer(rep=cast.rep_a1, update=update, option=2)
    services.update_answer(rep=cast.rep_a2, update=update, option=1)
    services.update_answer(rep=cast.rep_b1, update=update, option=1)
    live = _snapshot()
    assert len(live) == 3
    Receipt.objects.update(answer=None, acknowledged_at=None, answered_at=None)
    out = StringIO()
    call_command("rebuild_projections", "--partner", cast.partner_a.slug, stdout=out)
    assert "flash_update_receipts: 2" in out.getvalue()
    assert "flash_update_receipts" not in out.getvalue().partition("Not rebuilt")[2]
    assert Receipt.objects.get(rep=cast.rep_b1).answered_at is None  # partner B's rep: untouched
    assert sorted(r for r in _snapshot() if r[1] != cast.rep_b1.pk) == sorted(r for r in live if r[1] != cast.rep_b1.pk)
