"""GIFT imports as background jobs: staged out of sight in short batches, published once, cancellable, resumable."""

import io
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from kizuna.assessments import gift_imports, selectors
from kizuna.assessments.gift import GIFT_MAX_QUESTION_CHARS, gift_parse
from kizuna.assessments.gift_imports import gift_import_cancel, gift_import_run, gift_import_start
from kizuna.assessments.models import GiftImport, Question, QuestionBank
from kizuna.ops import locks

State = GiftImport.State


def gift(count: int, start: int = 0) -> str:
    return "\n\n".join(f"// [tag:料金]\n質問{i} の答えは?{{=はい ~いいえ}}" for i in range(start, start + count)) + "\n"


@pytest.fixture
def target(cast):
    from kizuna.assessments import services

    return services.bank_create(slug="pricing", title="料金", author=cast.author)


def stop_after(monkeypatch, batches: int) -> None:
    """Make the worker "die" (an exception it does not catch) when it is about to stage batch ``batches + 1``."""
    real = gift_imports._stage_rows
    calls = {"n": 0}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > batches:
            raise KeyboardInterrupt("the worker died")
        return real(*args, **kwargs)

    monkeypatch.setattr(gift_imports, "_stage_rows", dying)


def test_staged_questions_are_seen_by_nobody_until_the_import_is_published(cast, target, monkeypatch):
    job = gift_import_start(source=gift(7), bank=target, author=cast.author)
    monkeypatch.setattr(gift_imports, "_publish", lambda job: None)
    job = gift_import_run(job_id=job.pk, batch_size=3)
    assert job.state == State.STAGING and job.staged == 7
    assert target.questions.count() == 0
    assert Question.objects.filter(bank=job.staging_bank).count() == 7
    assert [b.pk for b in selectors.banks_all()] == [target.pk]
    staged = Question.objects.filter(bank=job.staging_bank).first()
    with pytest.raises(Http404):
        selectors.access_question_for_user(cast.author, staged.pk)
    monkeypatch.undo()
    job = gift_import_run(job_id=job.pk)
    assert job.state == State.DONE and target.questions.count() == 7
    assert not QuestionBank.objects.filter(staging=True).exists()
    assert list(target.questions.order_by("position").values_list("text", flat=True))[:2] == [
        "質問0 の答えは?",
        "質問1 の答えは?",
    ]


def test_a_killed_then_rerun_import_publishes_its_questions_once(cast, target, monkeypatch):
    job = gift_import_start(source=gift(10), bank=target, author=cast.author)
    stop_after(monkeypatch, batches=2)
    with pytest.raises(KeyboardInterrupt):
        gift_import_run(job_id=job.pk, batch_size=3)
    job.refresh_from_db()
    assert job.state == State.STAGING and job.staged == 6 and target.questions.count() == 0
    monkeypatch.undo()
    job = gift_import_run(job_id=job.pk, batch_size=3)
    assert job.state == State.DONE and job.created == 10
    assert target.questions.count() == 10
    assert sorted(target.questions.values_list("text", flat=True)) == sorted(f"質問{i} の答えは?" for i in range(10))
    again = gift_import_run(job_id=job.pk, batch_size=3)
    assert again.state == State.DONE and target.questions.count() == 10


def test_a_cancelled_import_leaves_nothing(cast, target, monkeypatch):
    job = gift_import_start(source=gift(9), bank=target, author=cast.author)
    stop_after(monkeypatch, batches=2)
    with pytest.raises(KeyboardInterrupt):
        gift_import_run(job_id=job.pk, batch_size=3)
    monkeypatch.undo()
    assert gift_import_cancel(job=job)
    job = gift_import_run(job_id=job.pk, batch_size=3)
    assert job.state == State.CANCELLED and job.staging_bank_id is None and job.source == ""
    assert Question.objects.count() == 0
    assert list(QuestionBank.objects.all()) == [target]


def test_cancelling_from_the_page_stops_the_import_and_says_nothing_was_added(cast, target, client):
    job = gift_import_start(source=gift(3), bank=target, author=cast.author)
    client.force_login(cast.author)
    response = client.post(reverse("assessments:studio_gift_import_cancel", args=[job.pk]), follow=True)
    assert "取り込みを中止しました" in response.content.decode()
    job.refresh_from_db()
    assert job.state == State.CANCELLED and Question.objects.count() == 0


def test_the_status_part_shows_the_progress_and_polls_while_the_import_runs(cast, target, client, monkeypatch):
    job = gift_import_start(source=gift(10), bank=target, author=cast.author)
    stop_after(monkeypatch, batches=1)
    with pytest.raises(KeyboardInterrupt):
        gift_import_run(job_id=job.pk, batch_size=4)
    client.force_login(cast.author)
    part = client.get(reverse("assessments:studio_gift_import", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert part.startswith('<div id="gift-import-status"') and 'hx-trigger="every 1s"' in part
    assert "10問中4問" in part and 'value="40"' in part
    monkeypatch.undo()
    gift_import_run(job_id=job.pk)
    part = client.get(reverse("assessments:studio_gift_import", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in part and "10問を取り込みました" in part


def test_a_lock_timeout_in_a_batch_is_retried(cast, target, monkeypatch):
    real = gift_imports._stage_rows
    failures = {"left": 2}

    def locked_twice(*args, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(gift_imports, "_stage_rows", locked_twice)
    monkeypatch.setattr(locks, "LOCK_BACKOFF_SECONDS", 0)
    job = gift_import_run(job_id=gift_import_start(source=gift(5), bank=target).pk, batch_size=2)
    assert job.state == State.DONE and target.questions.count() == 5 and failures["left"] == 0


def test_a_lock_that_never_frees_stops_the_task_without_storing_anything_visible(cast, target, monkeypatch):
    def always_locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(gift_imports, "_stage_rows", always_locked)
    monkeypatch.setattr(locks, "LOCK_BACKOFF_SECONDS", 0)
    job = gift_import_start(source=gift(5), bank=target)
    with pytest.raises(OperationalError):
        gift_import_run(job_id=job.pk, batch_size=2)
    job.refresh_from_db()
    assert job.state == State.STAGING and job.staged == 0 and target.questions.count() == 0


def test_a_failed_command_import_creates_no_bank(cast, tmp_path):
    path = tmp_path / "broken.gift"
    path.write_text(gift(2) + "\n壊れた問題 {=a\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("gift_import", str(path), "--bank", "new-bank", stderr=err)
    assert ":7:" in err.getvalue()
    assert not QuestionBank.objects.exists() and not Question.objects.exists()


def test_the_command_creates_its_bank_only_when_it_publishes(cast, tmp_path):
    path = tmp_path / "ok.gift"
    path.write_text(gift(3), encoding="utf-8")
    out = io.StringIO()
    call_command("gift_import", str(path), "--bank", "new-bank", stdout=out)
    assert "single: 3" in out.getvalue()
    bank = QuestionBank.objects.get(slug="new-bank")
    assert bank.questions.count() == 3 and not bank.staging


def test_a_file_with_too_many_questions_is_refused_before_anything_is_stored(cast, target, monkeypatch):
    monkeypatch.setattr(gift_imports, "GIFT_MAX_QUESTIONS", 3)
    with translation.override("ja"):
        job = gift_import_run(job_id=gift_import_start(source=gift(4), bank=target, language="ja").pk)
    assert job.state == State.FAILED and job.staging_bank_id is None
    assert "3問" in job.errors[0][1] and "分けて" in job.errors[0][1]
    assert Question.objects.count() == 0


def test_an_upload_larger_than_the_limit_is_refused_in_japanese(cast, target, client, monkeypatch):
    monkeypatch.setattr(gift_imports, "GIFT_MAX_BYTES", 100)
    from kizuna.assessments import forms

    monkeypatch.setattr(forms, "GIFT_MAX_BYTES", 100)
    client.force_login(cast.author)
    response = client.post(reverse("assessments:studio_bank_import", args=[target.pk]), {"text": gift(5)})
    assert response.status_code == 400
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not GiftImport.objects.exists()


class Endless(io.RawIOBase):
    """A file of ``size`` bytes of "あ" with no newline, made up as it is read (it never sits in memory)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left) // 3 * 3
        buffer[:n] = "あ".encode() * (n // 3)
        self.left -= n
        return n


def test_a_20_mb_one_line_question_is_refused_early_in_little_memory():
    stream = io.BufferedReader(Endless(20 * 2**20))
    tracemalloc.start()
    started = time.perf_counter()
    with translation.override("ja"):
        questions, errors = gift_parse(stream)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert questions == [] and [e.line for e in errors] == [1]
    assert "64 KB" in errors[0].message and "長すぎ" in errors[0].message
    assert peak < 2 * 2**20, f"peak {peak} bytes"
    assert seconds < 10


def test_an_over_long_question_does_not_hide_the_errors_and_questions_after_it():
    long_question = "長い問題\n" + "あ" * (GIFT_MAX_QUESTION_CHARS // 2) + "\n" + "い" * GIFT_MAX_QUESTION_CHARS + "{T}"
    questions, errors = gift_parse(long_question + "\n\n次の問題{T}\n\n壊れた問題{=a\n")
    assert [e.line for e in errors] == [1, 7]
    assert [q.text for q in questions] == ["次の問題"]


def test_a_file_with_a_nul_character_is_refused_with_its_line_before_anything_is_stored(cast, target, client):
    client.force_login(cast.author)
    upload = SimpleUploadedFile("q.gift", "問題{T}\n\n壊れ\x00た{T}\n".encode(), "text/plain")
    response = client.post(reverse("assessments:studio_bank_import", args=[target.pk]), {"file": upload})
    assert response.status_code == 400 and "NUL 文字" in response.content.decode()
    assert not GiftImport.objects.exists() and Question.objects.count() == 0


def test_the_bank_page_links_to_an_import_still_running(cast, target, client):
    job = gift_import_start(source=gift(3), bank=target, author=cast.author)
    client.force_login(cast.author)
    page = client.get(reverse("assessments:studio_bank", args=[target.pk])).content.decode()
    assert reverse("assessments:studio_gift_import", args=[job.pk]) in page and "取り込みが進行中です" in page
    gift_import_run(job_id=job.pk)
    page = client.get(reverse("assessments:studio_bank", args=[target.pk])).content.decode()
    assert "取り込みが進行中です" not in page


def test_a_file_that_is_not_gift_at_all_lists_a_bounded_number_of_errors(cast, target, monkeypatch):
    monkeypatch.setattr(gift_imports, "GIFT_MAX_ERRORS", 5)
    job = gift_import_run(job_id=gift_import_start(source="x {\n\n" * 50, bank=target, language="ja").pk)
    assert job.state == State.FAILED and len(job.errors) == 6
    assert "まずこの5件を直してください" in job.errors[-1][1]


def test_a_task_that_finds_the_database_locked_throughout_is_enqueued_again_not_lost(cast, target, monkeypatch):
    from kizuna.assessments import tasks

    monkeypatch.setattr(
        tasks, "gift_import_run", lambda job_id: (_ for _ in ()).throw(OperationalError("database is locked"))
    )
    enqueued = []
    monkeypatch.setattr(tasks, "_can_defer", lambda: True)
    monkeypatch.setattr(tasks, "_enqueue_later", lambda *args: enqueued.append(args))
    tasks.gift_import_task.func(7)
    assert enqueued == [(7, 1)]
    with pytest.raises(OperationalError):
        tasks.gift_import_task.func(7, tasks.BUSY_RETRIES)
