"""Writes for GIFT imports of any size: checked whole, staged in a hidden bank in short batches, published at once.

One transaction around a 60,000-question import held SQLite's write lock for minutes and took the
site down (issue 12). Here an import is a GiftImport job that a background task runs in steps,
each its own short transaction:

1. check: the whole file is parsed (streaming, memory bounded); any error refuses it, with every
   error and its line, and nothing is stored;
2. stage: ``GIFT_BATCH`` questions at a time go into a hidden staging bank (``QuestionBank.staging``)
   that no page lists; a question that updates one of the bank's own is staged as a copy that
   ``replaces`` it;
3. publish: one short transaction moves the new questions into the bank and copies the staged
   updates onto their originals.

Every step starts with a conditional update of the job's state and counter, so a task run again
after its worker died resumes where the last committed batch left it, and publishes only once.
Cancelling removes the staged rows; nobody ever saw them.
"""

from __future__ import annotations

import itertools
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kizuna.catalog.services import topic_tags_ensure
from kizuna.ops.locks import atomic_with_lock_retries as with_lock_retries

from .errors import AssessmentError, GiftImportError
from .gift import GIFT_MAX_BYTES, GIFT_MAX_QUESTIONS, GiftError, GiftQuestion, gift_read
from .models import GiftImport, Question, QuestionBank
from .services.questions import GiftImportResult, _clean_question

# About 0.1 s of write lock per batch on SQLite (README, "Question banks", has the figures).
GIFT_BATCH = 250
GIFT_MAX_ERRORS = 10_000

State = GiftImport.State
Through = Question.topics.through


def gift_too_large_message() -> str:
    return _("The file is too large (at most %(max)s MB). Split it into several files.") % {
        "max": GIFT_MAX_BYTES // 2**20
    }


def gift_source_text(source: str | bytes | IO[bytes]) -> str:
    """The text of an uploaded or read file, at most GIFT_MAX_BYTES; refused as a GiftImportError otherwise."""
    if not isinstance(source, str | bytes):
        source = source.read(GIFT_MAX_BYTES + 1)  # never more than the limit in memory
    if len(source) > GIFT_MAX_BYTES:
        raise GiftImportError(
            [
                GiftError(
                    1,
                    _("The file is too large (at most %(max)s MB). Split it into several files.")
                    % {"max": GIFT_MAX_BYTES // 2**20},
                )
            ]
        )
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = source[: exc.start].count(b"\n") + 1
            raise GiftImportError(
                [GiftError(line, _("The file is not UTF-8 text. Save it as UTF-8 and upload it again."))]
            ) from None
    if (nul := source.find("\x00")) >= 0:  # PostgreSQL cannot store it in a text column
        raise GiftImportError(
            [
                GiftError(
                    source.count("\n", 0, nul) + 1,
                    _(
                        "The file contains a NUL character, so it is not a text file. "
                        "Save it as UTF-8 text and upload it again."
                    ),
                )
            ]
        )
    return source


def gift_import_start(
    *, source: str, bank: QuestionBank | None = None, slug: str = "", author: Any = None, language: str = ""
) -> GiftImport:
    """Create an import job for ``bank`` (or, from the command, for the bank ``slug``, created when published)."""
    return GiftImport.objects.create(
        bank=bank,
        bank_slug=bank.slug if bank is not None else slug,
        source=source,
        created_by=author,
        language=language or translation.get_language() or "ja",
    )


def gift_import_cancel(*, job: GiftImport) -> bool:
    """Stop a running import; its staged questions are removed by the next run of its task. False if it was over."""
    return bool(
        GiftImport.objects.filter(pk=job.pk, state__in=(State.CHECKING, State.STAGING)).update(
            state=State.CANCELLED, finished_at=timezone.now(), source=""
        )
    )


def gift_import_run(*, job_id: int, batch_size: int = GIFT_BATCH) -> GiftImport:
    """Take the job as far as it goes: check, stage the rest, publish; or clean up a refused or cancelled one.

    Safe to run again at any point (after a crash, or twice at once): see the module's docstring.
    """
    job = GiftImport.objects.get(pk=job_id)
    with translation.override(job.language):
        if job.state == State.CHECKING:
            _check(job)
        questions = None
        while job.state == State.STAGING and job.staged < job.total:
            if questions is None:  # (re)start after the questions staged by earlier (or concurrent) runs
                questions = itertools.islice(_questions(job.source), job.staged, None)
            batch = list(itertools.islice(questions, batch_size))
            if not batch:  # the text no longer has as many questions as checked: cannot happen, but never loop
                _fail(job, [[1, _("The file changed while it was imported.")]])
            elif not _stage(job, batch):
                questions = None
            _reload(job)
        if job.state == State.STAGING:
            with_lock_retries(lambda: _publish(job), what=f"gift import {job.pk}: publish")
            _reload(job)
        if job.state in (State.FAILED, State.CANCELLED) and job.staging_bank_id:
            _discard(job, batch_size)
    job.refresh_from_db()  # all of it, once: its counts and errors for the caller
    return job


def gift_import_now(
    *, source: str | bytes | IO[bytes], bank: QuestionBank | None = None, slug: str = "", author: Any = None
) -> GiftImportResult:
    """Import a GIFT text in this process by the same staged path; raise GiftImportError (nothing stored) if refused."""
    job = gift_import_start(source=gift_source_text(source), bank=bank, slug=slug, author=author)
    job = gift_import_run(job_id=job.pk)
    if job.state != State.DONE:
        raise GiftImportError([GiftError(line, message) for line, message in job.errors])
    return GiftImportResult(counts=job.counts, created=job.created, updated=job.updated)


# --- The steps ------------------------------------------------------------------------------------------


def _reload(job: GiftImport) -> None:
    """Read the job's progress again, not its source (up to 4 MB): this runs after every batch."""
    job.refresh_from_db(fields=["state", "total", "staged", "staging_bank", "bank"])


def _questions(source: str) -> Iterator[GiftQuestion]:
    return (item for item in gift_read(source) if isinstance(item, GiftQuestion))


def _check(job: GiftImport) -> None:
    counts: Counter[str] = Counter()
    errors: list[list[Any]] = []
    total = 0
    for item in gift_read(job.source):
        if isinstance(item, GiftError):
            errors.append([item.line, item.message])
            if len(errors) == GIFT_MAX_ERRORS:  # a file that is not GIFT at all: the list stays readable
                errors.append(
                    [item.line, _("More errors follow; fix these %(count)s first.") % {"count": f"{GIFT_MAX_ERRORS:,}"}]
                )
                break
        else:
            total += 1
            counts[item.type] += 1
            if total > GIFT_MAX_QUESTIONS:
                errors.append(
                    [
                        item.line,
                        _("The file has more than %(max)s questions. Split it into several files.")
                        % {"max": f"{GIFT_MAX_QUESTIONS:,}"},
                    ]
                )
                break
    if errors:
        _fail(job, errors)
    else:

        def start_staging() -> None:
            # The conditional update first: a second run of the task waits here, then finds nothing to do.
            moved = GiftImport.objects.filter(pk=job.pk, state=State.CHECKING).update(
                state=State.STAGING, total=total, counts=dict(counts)
            )
            if moved:
                staging = QuestionBank.objects.create(
                    slug=f"~import-{job.pk}", title=job.bank_slug, staging=True, created_by_id=job.created_by_id
                )
                GiftImport.objects.filter(pk=job.pk).update(staging_bank=staging)

        with_lock_retries(start_staging, what=f"gift import {job.pk}: check")
    _reload(job)


def _fail(job: GiftImport, errors: list[list[Any]]) -> None:
    with_lock_retries(
        lambda: GiftImport.objects.filter(pk=job.pk, state__in=(State.CHECKING, State.STAGING)).update(
            state=State.FAILED, errors=errors, source="", finished_at=timezone.now()
        ),
        what=f"gift import {job.pk}: refuse",
    )


def _import_key(raw: str | None, slug: str) -> uuid.UUID | None:
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        # Moodle's idnumbers are any text: the same idnumber in the same bank is the same question.
        return uuid.uuid5(uuid.NAMESPACE_URL, f"kizuna-gift:{slug}:{raw}")


def _without_id(item: Any) -> Any:
    return {k: v for k, v in item.items() if k != "id"} if isinstance(item, dict) else item


def reuse_option_ids(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Keep the ids of options whose content did not change, so item statistics stay with their option."""
    merged = dict(new)
    for name, items in new.items():
        previous = old.get(name)
        if not (isinstance(items, list) and isinstance(previous, list)):
            continue
        unused = [p for p in previous if isinstance(p, dict) and "id" in p]
        taken = []
        for item in items:
            match = next((p for p in unused if _without_id(p) == _without_id(item)), None)
            if match is not None:
                unused.remove(match)
            taken.append({**_without_id(item), "id": match["id"] if match else None})
        merged[name] = taken
    return merged


def _stage(job: GiftImport, batch: list[GiftQuestion]) -> bool:
    """Write one batch into the staging bank, in one short transaction that also moves the job's counter.

    False if the job had moved on meanwhile (cancelled, or this batch staged by another run): nothing written.
    """
    try:
        cleaned = [_clean_question(gq.type, gq.text, gq.data) for gq in batch]
    except AssessmentError as exc:  # the parser checked the same; kept so that a gap can never store half a file
        _fail(job, [[batch[0].line, str(exc)]])
        return False

    def write() -> bool:
        moved = GiftImport.objects.filter(pk=job.pk, state=State.STAGING, staged=job.staged).update(
            staged=job.staged + len(batch)
        )
        if not moved:
            return False
        created, updated = _stage_rows(job, batch, cleaned)
        GiftImport.objects.filter(pk=job.pk).update(created=F("created") + created, updated=F("updated") + updated)
        return True

    return with_lock_retries(write, what=f"gift import {job.pk}: batch at {job.staged}")


def _stage_rows(
    job: GiftImport, batch: list[GiftQuestion], cleaned: list[tuple[str, dict[str, Any]]]
) -> tuple[int, int]:
    staging_id, target_id = job.staging_bank_id, job.bank_id
    if target_id is None:  # the command's bank: it may have been created since the job was
        target_id = QuestionBank.objects.filter(slug=job.bank_slug, staging=False).values_list("pk", flat=True).first()
    keys = {gq.key: _import_key(gq.key, job.bank_slug) for gq in batch if gq.key}
    wanted = [k for k in keys.values() if k]
    staged = {q.key: q for q in Question.objects.filter(bank_id=staging_id, key__in=wanted)}
    staged |= {
        q.replaces.key: q
        for q in Question.objects.filter(bank_id=staging_id, replaces__key__in=wanted).select_related("replaces")
    }
    existing = {q.key: q for q in Question.objects.filter(bank_id=target_id, key__in=wanted)} if target_id else {}
    elsewhere = set(
        Question.objects.exclude(bank_id__in=[b for b in (staging_id, target_id) if b])
        .filter(key__in=wanted)
        .values_list("key", flat=True)
    )
    topics = _topics([name for gq in batch for name in gq.topics])
    # After the bank's own questions (an author adding some meanwhile only makes positions tie; ids break ties).
    base = (Question.objects.filter(bank_id=target_id).aggregate(m=Max("position"))["m"] or 0) if target_id else 0
    new: list[tuple[Question, list[Any]]] = []
    changed: list[tuple[Question, list[Any]]] = []
    created = updated = 0
    for index, (gq, (text, data)) in enumerate(zip(batch, cleaned, strict=True), start=base + job.staged + 1):
        key = keys.get(gq.key) if gq.key else None
        tags = [topics[name] for name in dict.fromkeys(n.strip()[:100] for n in gq.topics) if name in topics]
        fields = {
            "type": gq.type,
            "title": gq.title.strip()[:200],
            "text": text,
            "explanation": gq.explanation.replace("\r\n", "\n").strip(),
            "category": gq.category,
        }
        if key is not None and key in staged:  # the same id twice in the file: the later one wins
            question = staged[key]
            for name, value in fields.items():
                setattr(question, name, value)
            question.data = data
            if question.pk is not None:
                changed.append((question, tags))
            else:
                new = [(q, tags if q is question else t) for q, t in new]
            updated += 1
            continue
        question = Question(bank_id=staging_id, position=index, data=data, **fields)
        if key is not None and key in existing:
            original = existing[key]
            question.replaces = original
            if original.type == gq.type:
                question.data = reuse_option_ids(original.data, data)
            updated += 1
        else:
            if key is not None and key not in elsewhere:
                question.key = key
            created += 1
        if key is not None:
            staged[key] = question
        new.append((question, tags))
    Question.objects.bulk_create([q for q, _tags in new])
    for question, tags in changed:
        question.save()
        question.topics.set(tags)
    Through.objects.bulk_create([Through(question_id=q.pk, tag_id=t.pk) for q, tags in new for t in tags])
    return created, updated


def _topics(names: Iterable[str]) -> dict[str, Any]:
    """Topic tags by (trimmed) name, created if missing."""
    wanted = {n.strip()[:100] for n in names if n.strip()}
    found = {}
    for name in wanted:
        found[name] = topic_tags_ensure(names=[name])[0]
    return found


def _publish(job: GiftImport) -> None:
    """Make the staged questions the bank's, in one short step; nothing if another run published already."""
    now = timezone.now()
    moved = GiftImport.objects.filter(pk=job.pk, state=State.STAGING, staged=F("total")).update(
        state=State.DONE, finished_at=now, source=""
    )
    if not moved:
        return
    bank = job.bank
    if bank is None:
        bank = QuestionBank.objects.filter(slug=job.bank_slug, staging=False).first()
    if bank is None:
        # A new bank (the command's): the staging bank becomes it, one row changed whatever the file's size.
        QuestionBank.objects.filter(pk=job.staging_bank_id).update(
            slug=job.bank_slug, title=job.bank_slug, staging=False
        )
        GiftImport.objects.filter(pk=job.pk).update(bank_id=job.staging_bank_id, staging_bank=None)
        return
    staged = Question.objects.filter(bank_id=job.staging_bank_id)
    replacing = staged.filter(replaces__isnull=False)
    if replacing.exists():
        copy = Question.objects.filter(bank_id=job.staging_bank_id, replaces=OuterRef("pk"))
        Question.objects.filter(pk__in=replacing.values("replaces")).update(
            **{
                name: Subquery(copy.values(name)[:1])
                for name in ("type", "title", "text", "explanation", "data", "category")
            },
            updated_at=now,
        )
        Through.objects.filter(question_id__in=replacing.values("replaces")).delete()
        Through.objects.filter(question_id__in=replacing.values("pk")).update(
            question_id=Subquery(Question.objects.filter(pk=OuterRef("question_id")).values("replaces")[:1])
        )
        # Staged copies have no other rows pointing at them (nobody could see them): a plain DELETE is enough.
        replacing._raw_delete(replacing.db)
    # Only the bank changes (positions were given when staged): the one statement here that grows with the
    # file, about 1 s for 60,000 questions on SQLite (README, "Question banks").
    staged.update(bank=bank)
    GiftImport.objects.filter(pk=job.pk).update(bank=bank, staging_bank=None)
    QuestionBank.objects.filter(pk=job.staging_bank_id, staging=True).delete()


def _discard(job: GiftImport, batch_size: int) -> None:
    """Remove a refused or cancelled import's staged questions, a batch at a time."""
    staging_id = job.staging_bank_id
    while True:
        ids = list(Question.objects.filter(bank_id=staging_id).values_list("pk", flat=True)[:batch_size])
        if not ids:
            break

        def delete(ids: list[int] = ids) -> None:
            Through.objects.filter(question_id__in=ids).delete()
            doomed = Question.objects.filter(pk__in=ids)
            doomed._raw_delete(doomed.db)

        with_lock_retries(delete, what=f"gift import {job.pk}: discard")

    def drop_bank() -> None:
        GiftImport.objects.filter(pk=job.pk).update(staging_bank=None, source="")
        QuestionBank.objects.filter(pk=staging_id, staging=True).delete()

    with_lock_retries(drop_bank, what=f"gift import {job.pk}: discard")
