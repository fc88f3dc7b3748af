"""The quiz studio: question banks and their questions of every type, GIFT import and export, quizzes and previews.

Admins and authors edit; coaches may look (every write answers them 404); partner people get 404.
"""

from __future__ import annotations

import random
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.catalog.services import topic_tags_ensure
from kizuna.ops.errors import add_to_form
from kizuna.ops.spreadsheets import download_response
from kizuna.orgs.access import Role, can_author, role_required

from . import gift_imports, selectors, services
from .errors import AssessmentError
from .forms import (
    BankCreateForm,
    BankFilterForm,
    BankForm,
    DrawRuleForm,
    GiftUploadForm,
    QuestionEditor,
    QuizForm,
)
from .gift import GiftError, category_parts
from .models import QuestionBank, Quiz
from .published import draw_layout
from .tasks import gift_import_task
from .types import type_choices, type_class

viewing = role_required(Role.ADMIN, Role.AUTHOR, Role.COACH)
authoring = role_required(Role.ADMIN, Role.AUTHOR)

QUESTIONS_PER_PAGE = 50
ERRORS_SHOWN = 200
TYPE_HINTS = {
    "single": gettext_lazy("One right answer among several options."),
    "multiple": gettext_lazy("Several right answers; partial credit for each one ticked."),
    "truefalse": gettext_lazy("A statement that is true or false."),
    "short": gettext_lazy("The rep types a word or phrase; you list what counts as right."),
    "numerical": gettext_lazy("The rep types a number; right within a tolerance or a range."),
    "matching": gettext_lazy("Match each item with its answer."),
    "essay": gettext_lazy("The rep writes an answer; a coach or their manager grades it with a rubric."),
    "description": gettext_lazy("Text shown between questions (instructions, a case to read); no answer, no score."),
}


def _author_only(request: HttpRequest) -> None:
    if not can_author(request.user):
        raise Http404


def _bank_url(bank: QuestionBank | int, anchor: str = "") -> str:
    pk = bank if isinstance(bank, int) else bank.pk
    return reverse("assessments:studio_bank", args=[pk]) + (f"#{anchor}" if anchor else "")


def _quiz_url(quiz: Quiz | int, anchor: str = "") -> str:
    pk = quiz if isinstance(quiz, int) else quiz.pk
    return reverse("assessments:studio_quiz", args=[pk]) + (f"#{anchor}" if anchor else "")


# --- Banks ---------------------------------------------------------------------------------------------


@viewing
@require_http_methods(["GET", "POST"])
def studio_banks(request: HttpRequest) -> HttpResponse:
    """The question banks, and (for authors) a form to add one."""
    form = BankCreateForm(request.POST or None)
    if request.method == "POST":
        _author_only(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                bank = services.bank_create(
                    slug=data["slug"], title=data["title"], author=request.user, product=data["product"]
                )
            except AssessmentError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("The question bank was created. Add questions or import a GIFT file."))
                return redirect(_bank_url(bank))
    banks = selectors.banks_all().order_by("title")
    return render(
        request,
        "assessments/studio_banks.html",
        {"banks": banks, "form": form, "can_edit": can_author(request.user)},
        status=400 if form.errors else 200,
    )


@viewing
@require_http_methods(["GET", "POST"])
def studio_bank(request: HttpRequest, bank_id: int) -> HttpResponse:
    """A bank's questions, filtered by type and topic; authors also rename it here."""
    bank = selectors.access_bank_for_user(request.user, bank_id)
    edit_form = BankForm(request.POST or None, initial={"title": bank.title, "product": bank.product_id})
    if request.method == "POST":
        _author_only(request)
        if edit_form.is_valid():
            services.bank_update(
                bank=bank,
                title=edit_form.cleaned_data["title"],
                product=edit_form.cleaned_data["product"],
                topics=bank.topics.all(),
            )
            messages.success(request, _("Saved."))
            return redirect(_bank_url(bank))
    topics = selectors.bank_topics(bank)
    categories = selectors.bank_categories(bank)
    filters = BankFilterForm(request.GET or None, topics=topics, categories=categories)
    chosen_type, chosen_topic, chosen_category = "", None, ""
    if filters.is_valid():
        chosen_type, chosen_topic = filters.cleaned_data["type"], filters.cleaned_data["topic"]
        chosen_category = filters.cleaned_data["category"]
    archived = request.GET.get("archived") == "1"
    questions = selectors.bank_questions_filtered(
        bank, type=chosen_type, topic=chosen_topic, category=chosen_category, archived=archived
    )
    page = Paginator(questions, QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    labels = dict(type_choices())
    for q in page.object_list:
        q.type_label = labels.get(q.type, q.type)
        q.category_names = category_parts(q.category)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/studio_bank.html",
        {
            "bank": bank,
            "page": page,
            "filters": filters,
            "archived": archived,
            "filtered": bool(chosen_type or chosen_topic or chosen_category),
            "categories": categories,
            "query": query.urlencode(),
            "edit_form": edit_form,
            "types": [(code, label, TYPE_HINTS.get(code, "")) for code, label in type_choices()],
            "can_edit": can_author(request.user),
            "running_imports": selectors.gift_imports_running(bank),
        },
        status=400 if edit_form.errors else 200,
    )


@authoring
@require_http_methods(["GET", "POST"])
def studio_bank_import(request: HttpRequest, bank_id: int) -> HttpResponse:
    """Upload (or paste) GIFT: the import runs in the background and its page shows how far it got."""
    bank = selectors.access_bank_for_user(request.user, bank_id)
    form = GiftUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = gift_imports.gift_import_start(source=form.source(), bank=bank, author=request.user)
        gift_import_task.enqueue(job.pk)
        return redirect("assessments:studio_gift_import", job.pk)
    return render(
        request,
        "assessments/studio_bank_import.html",
        {"bank": bank, "form": form},
        status=400 if form.errors else 200,
    )


@viewing
@require_GET
def studio_gift_import(request: HttpRequest, gift_import_id: int) -> HttpResponse:
    """A GIFT import's progress (htmx polls the status part while it runs), its errors, or what came in."""
    job = selectors.access_gift_import_for_user(request.user, gift_import_id)
    context = {"job": job, "bank": job.bank, "can_edit": can_author(request.user)}
    if job.state == job.State.FAILED:
        context |= {"errors": [GiftError(line, message) for line, message in job.errors[:ERRORS_SHOWN]]}
        context |= {"more_errors": max(0, len(job.errors) - ERRORS_SHOWN), "form": GiftUploadForm()}
    if job.state == job.State.DONE:
        labels = dict(type_choices())
        context["kinds"] = _(", ").join(
            _("%(type)s %(count)s") % {"type": labels.get(code, code), "count": count}
            for code, count in job.counts.items()
        )
    template = "assessments/_gift_import_status.html" if request.htmx else "assessments/studio_gift_import.html"
    return render(request, template, context)


@authoring
@require_POST
def studio_gift_import_cancel(request: HttpRequest, gift_import_id: int) -> HttpResponse:
    """Stop a running import: its staged questions are removed, nobody ever saw them."""
    job = selectors.access_gift_import_for_user(request.user, gift_import_id)
    if gift_imports.gift_import_cancel(job=job):
        gift_import_task.enqueue(job.pk)  # removes the staged questions in short batches
        messages.success(request, _("The import was cancelled: nothing was added."))
    return redirect("assessments:studio_gift_import", job.pk)


@viewing
@require_GET
def studio_bank_export(request: HttpRequest, bank_id: int) -> HttpResponse:
    """The bank's questions as a GIFT file (importing it again gives the same questions)."""
    bank = selectors.access_bank_for_user(request.user, bank_id)
    return download_response(
        selectors.gift_export(bank), filename=f"{bank.slug}.gift", content_type="text/plain; charset=utf-8"
    )


# --- Questions -----------------------------------------------------------------------------------------


def _question_values(editor: QuestionEditor) -> dict[str, Any]:
    """The service arguments of a valid editor; new topics are created (call inside the transaction)."""
    cleaned = editor.form.cleaned_data
    topics = [*cleaned["topics"], *topic_tags_ensure(names=editor.form.new_topic_names())]
    return {
        "type": editor.type,
        "title": cleaned["title"],
        "text": cleaned["text"],
        "explanation": cleaned["explanation"],
        "data": editor.data(),
        "topics": topics,
        "category": cleaned.get("category") or "",
    }


@authoring
@require_http_methods(["GET", "POST"])
def studio_question_new(request: HttpRequest, bank_id: int) -> HttpResponse:
    """Choose a type, then write the question, its options with their feedback, and its explanation."""
    bank = selectors.access_bank_for_user(request.user, bank_id)
    type_code = request.POST.get("type") or request.GET.get("type") or ""
    codes = dict(type_choices())
    if type_code not in codes:
        types = [(code, label, TYPE_HINTS.get(code, "")) for code, label in codes.items()]
        return render(request, "assessments/studio_question_type.html", {"bank": bank, "types": types})
    action = request.POST.get("action", "save")
    editor = QuestionEditor(type_code, request.POST or None, more_rows=action == "rows")
    if request.method == "POST" and action != "rows" and editor.is_valid():
        try:
            with transaction.atomic():
                question = services.question_create(bank=bank, **_question_values(editor))
        except AssessmentError as exc:
            add_to_form(editor.form, exc)
        else:
            messages.success(request, _("The question was added."))
            if action == "save_another":
                return redirect(reverse("assessments:studio_question_new", args=[bank.pk]) + f"?type={type_code}")
            return redirect(_bank_url(bank, f"question-{question.pk}"))
    invalid = request.method == "POST" and action != "rows"
    return render(
        request,
        "assessments/studio_question_form.html",
        {"bank": bank, "editor": editor, "type_code": type_code, "type_label": codes[type_code], "question": None},
        status=400 if invalid else 200,
    )


@viewing
@require_http_methods(["GET", "POST"])
def studio_question(request: HttpRequest, question_id: int) -> HttpResponse:
    """A question: how reps see it and its answer key; authors edit or archive it here."""
    question = selectors.access_question_for_user(request.user, question_id)
    bank = question.bank
    action = request.POST.get("action", "save")
    if request.method == "POST":
        _author_only(request)
        if action == "archive":
            services.question_archive(question=question)
            messages.success(request, _("The question was archived: quizzes no longer draw it, records keep it."))
            return redirect(_bank_url(bank))
    editor = QuestionEditor(question.type, request.POST or None, question=question, more_rows=action == "rows")
    if request.method == "POST" and action != "rows" and editor.is_valid():
        try:
            with transaction.atomic():
                services.question_update(question=question, **_question_values(editor))
        except AssessmentError as exc:
            add_to_form(editor.form, exc)
        else:
            messages.success(request, _("Saved. Published quizzes keep the version they froze until republished."))
            return redirect(_bank_url(bank, f"question-{question.pk}"))
    invalid = request.method == "POST" and action != "rows"
    return render(
        request,
        "assessments/studio_question_form.html",
        {
            "bank": bank,
            "editor": editor,
            "type_code": question.type,
            "type_label": type_class(question.type).label,
            "question": question,
            "category_names": category_parts(question.category),
            "preview": selectors.question_preview(question),
            "can_edit": can_author(request.user),
        },
        status=400 if invalid else 200,
    )


# --- Quizzes -----------------------------------------------------------------------------------------


def _settings_values(form: QuizForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "pass_mark": data["pass_mark"],
        "allowed_attempts": data["allowed_attempts"],
        "time_limit_minutes": data["time_limit_minutes"],
        "shuffle_options": data["shuffle_options"],
        "shuffle_questions": data["shuffle_questions"],
        "micro": data["micro"],
    }


@viewing
@require_http_methods(["GET", "POST"])
def studio_quizzes(request: HttpRequest) -> HttpResponse:
    """The quizzes, and (for authors) a form to start one — a quiz lesson's or a micro lesson's check questions."""
    micro = request.GET.get("micro") == "1"
    initial = {"micro": True, "pass_mark": 100} if micro else {}
    form = QuizForm(request.POST or None, initial=initial)
    if request.method == "POST":
        _author_only(request)
        if form.is_valid():
            try:
                quiz = services.quiz_create(author=request.user, **_settings_values(form))
            except AssessmentError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("The quiz was created. Add its questions next."))
                return redirect(_quiz_url(quiz))
    quizzes = list(selectors.quizzes_all().order_by("-micro", "title"))
    for quiz in quizzes:
        quiz.question_count = services.quiz_question_count(quiz)
    return render(
        request,
        "assessments/studio_quizzes.html",
        {"quizzes": quizzes, "form": form, "micro": micro, "can_edit": can_author(request.user)},
        status=400 if form.errors else 200,
    )


@viewing
@require_http_methods(["GET", "POST"])
def studio_quiz(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """One quiz: its settings, its fixed questions and draw rules in order, and what stops it from being published."""
    quiz = selectors.access_quiz_for_user(request.user, quiz_id)
    action = request.POST.get("action", "")
    settings_form = QuizForm(
        request.POST if action == "settings" else None, initial=QuizForm.initial_for(quiz), prefix="settings"
    )
    draw_form = DrawRuleForm(request.POST if action == "draw" else None, prefix="draw")
    if request.method == "POST":
        _author_only(request)
        try:
            if action == "settings" and settings_form.is_valid():
                services.quiz_update(quiz=quiz, **_settings_values(settings_form))
                messages.success(request, _("Saved."))
                return redirect(_quiz_url(quiz))
            if action == "draw" and draw_form.is_valid():
                data = draw_form.cleaned_data
                services.quiz_draw_add(quiz=quiz, bank=data["bank"], topic=data["topic"], count=data["count"])
                messages.success(request, _("The draw rule was added."))
                return redirect(_quiz_url(quiz, "items"))
        except AssessmentError as exc:
            add_to_form(settings_form if action == "settings" else draw_form, exc)
    items = selectors.quiz_items(quiz)
    count = sum(item.question_count for item in items)
    labels = dict(type_choices())
    for item in items:
        if item.question is not None:
            item.type_label = labels.get(item.question.type, item.question.type)
    return render(
        request,
        "assessments/studio_quiz.html",
        {
            "quiz": quiz,
            "items": items,
            "count": count,
            "settings_form": settings_form,
            "draw_form": draw_form,
            "quiz_problems": services.quiz_publish_problems(quiz, micro=False),
            "micro_problems": services.quiz_publish_problems(quiz, micro=True),
            "micro_max": services.MICRO_MAX_QUESTIONS,
            "versions": selectors.quiz_version_summaries(quiz),
            "can_edit": can_author(request.user),
        },
        status=400 if settings_form.errors or draw_form.errors else 200,
    )


@authoring
@require_POST
def studio_quiz_item(request: HttpRequest, quiz_item_id: int) -> HttpResponse:
    """Move a line of a quiz up or down, or remove it."""
    item = selectors.access_quiz_item_for_user(request.user, quiz_item_id)
    action = request.POST.get("action")
    if action == "remove":
        services.quiz_item_remove(item=item)
        messages.success(request, _("Removed from the quiz."))
    elif action in ("up", "down"):
        services.quiz_item_move(item=item, direction=-1 if action == "up" else 1)
    return redirect(_quiz_url(item.quiz_id, "items"))


@viewing
@require_http_methods(["GET", "POST"])
def studio_quiz_add(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """Pick questions from a bank (filtered by type and topic) and add them to the quiz as fixed questions."""
    quiz = selectors.access_quiz_for_user(request.user, quiz_id)
    banks = list(selectors.banks_all().order_by("title"))
    bank = next((b for b in banks if str(b.pk) == (request.POST.get("bank") or request.GET.get("bank"))), None)
    if bank is None and len(banks) == 1:
        bank = banks[0]
    if request.method == "POST":
        _author_only(request)
        if bank is None:
            raise Http404
        chosen = list(
            selectors.bank_questions(bank).filter(pk__in=[v for v in request.POST.getlist("question") if v.isdigit()])
        )
        if not chosen:
            messages.error(request, _("Tick the questions to add first."))
        else:
            try:
                with transaction.atomic():
                    for question in sorted(chosen, key=lambda q: (q.position, q.pk)):
                        services.quiz_question_add(quiz=quiz, question=question)
            except AssessmentError as exc:
                messages.error(request, _("Nothing was added: %(problem)s") % {"problem": exc})
            else:
                messages.success(request, _("%(count)s questions were added.") % {"count": len(chosen)})
                return redirect(_quiz_url(quiz, "items"))
    context: dict[str, Any] = {"quiz": quiz, "banks": banks, "bank": bank, "can_edit": can_author(request.user)}
    if bank is not None:
        filters = BankFilterForm(request.GET or None, topics=selectors.bank_topics(bank))
        chosen_type, chosen_topic = "", None
        if filters.is_valid():
            chosen_type, chosen_topic = filters.cleaned_data["type"], filters.cleaned_data["topic"]
        questions = list(selectors.bank_questions_filtered(bank, type=chosen_type, topic=chosen_topic)[:200])
        labels = dict(type_choices())
        taken = selectors.quiz_fixed_question_ids(quiz)
        for q in questions:
            q.type_label = labels.get(q.type, q.type)
            q.taken = q.pk in taken
        context |= {"filters": filters, "questions": questions}
    return render(request, "assessments/studio_quiz_add.html", context)


@viewing
@require_GET
def studio_quiz_preview(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """The draft as a rep would see one attempt (a new random draw each time), with the answer key below each."""
    quiz = selectors.access_quiz_for_user(request.user, quiz_id)
    version = services.quiz_snapshot(quiz)
    try:
        seed = int(request.GET.get("seed", ""))
    except ValueError:
        seed = random.randrange(1, 10**9)  # noqa: S311 (a preview's draw, not a secret)
    questions = selectors.preview_questions(version, draw_layout(version, seed=seed))
    return render(
        request,
        "assessments/studio_quiz_preview.html",
        {
            "quiz": quiz,
            "version": version,
            "questions": questions,
            "seed": seed,
            "problems": services.quiz_publish_problems(quiz, micro=quiz.micro),
        },
    )
