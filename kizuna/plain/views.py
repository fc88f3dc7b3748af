"""Screens of plain words: the glossary (authors and coaches), its CSV import and export, the target level."""

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.ops.errors import add_to_form
from kizuna.ops.spreadsheets import csv_response, header_labels
from kizuna.orgs.access import Role, has_role, role_required

from . import selectors, services
from .analysis import JA, analyse, kind_labels, language_of
from .forms import ImportForm, TargetForm, TermForm
from .glossary_csv import COLUMNS
from .lessons import lesson_for_user

glossary_keepers = role_required(Role.ADMIN, Role.AUTHOR, Role.COACH)
admin_only = role_required(Role.ADMIN)


@glossary_keepers
@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    unexplained = request.GET.get("unexplained") == "1"
    terms = selectors.glossary_terms(query=query, unexplained=unexplained)
    return render(request, "plain/glossary.html", {"terms": terms, "query": query, "unexplained": unexplained})


def _term_form_page(request: HttpRequest, term: object | None) -> HttpResponse:
    if request.method == "POST":
        form = TermForm(request.POST)
        if form.is_valid():
            try:
                saved = services.term_save(editor=request.user, term=term, **form.cleaned_data)  # type: ignore[arg-type]
            except services.PlainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("“%(term)s” is saved in the glossary.") % {"term": saved.term})
                return redirect(reverse("plain:glossary") + f"#term-{saved.pk}")
    elif term is not None:
        form = TermForm(initial={key: getattr(term, key) for key in TermForm.base_fields})
    else:
        form = TermForm(initial={"term_ja": request.GET.get("term", "")[:100]})
    return render(request, "plain/term_form.html", {"form": form, "term": term})


@glossary_keepers
@require_http_methods(["GET", "POST"])
def term_new(request: HttpRequest) -> HttpResponse:
    return _term_form_page(request, None)


@glossary_keepers
@require_http_methods(["GET", "POST"])
def term_edit(request: HttpRequest, term_id: int) -> HttpResponse:
    return _term_form_page(request, selectors.access_term(term_id))


@glossary_keepers
@require_POST
def term_delete(request: HttpRequest, term_id: int) -> HttpResponse:
    term = selectors.access_term(term_id)
    name = term.term
    services.term_delete(term=term)
    messages.success(request, _("“%(term)s” was removed from the glossary.") % {"term": name})
    return redirect("plain:glossary")


@glossary_keepers
@require_http_methods(["GET", "POST"])
def glossary_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.glossary_import(editor=request.user, data=form.cleaned_data["file"].read())  # type: ignore[arg-type]
        except services.GlossaryImportError as error:
            problems = error.problems
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Imported: %(created)s new terms, %(updated)s changed.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("plain:glossary")
    context = {"form": form, "problems": problems, "columns": header_labels(COLUMNS)}
    return render(request, "plain/glossary_import.html", context)


@glossary_keepers
@require_GET
def glossary_export(request: HttpRequest) -> HttpResponse:
    return csv_response(header_labels(COLUMNS), services.glossary_rows(), filename="glossary.csv")


@admin_only
@require_http_methods(["GET", "POST"])
def target(request: HttpRequest) -> HttpResponse:
    current = selectors.target()
    form = TargetForm(
        request.POST or None, initial={"level_ja": str(current.level_ja), "level_en": str(current.level_en)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.target_set(**form.cleaned_data)
        except services.PlainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The target level is saved."))
            return redirect("plain:glossary")
    return render(request, "plain/target.html", {"form": form})


# The writing assistant (htmx fragments beside the editors' fields)

assist_users = role_required(Role.ADMIN, Role.AUTHOR, Role.COACH, Role.MANAGER)
CHECK_MAX_CHARS = 20000
CONTEXT_CHARS = 12
_SAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


def _assist(request: HttpRequest, *, error: str = "") -> HttpResponse:
    """Analyse the field the fragment sits beside (its name in `field`, its value under that name)."""
    field = request.POST.get("field", "")[:100]
    area = _SAFE_ID.sub("", request.POST.get("area", ""))[:100]
    text = request.POST.get(field, "")[:CHECK_MAX_CHARS] if field else ""
    if not text.strip():
        return HttpResponse("")
    lang = language_of(text)
    result = analyse(text, lang=lang, glossary=selectors.glossary_entries(lang))
    target = selectors.target()
    labels = kind_labels()
    rows = [
        {
            "finding": f,
            "kind_label": labels[f.kind],
            "before": ("…" if f.start > CONTEXT_CHARS else "") + text[max(0, f.start - CONTEXT_CHARS) : f.start],
            "after": text[f.end : f.end + CONTEXT_CHARS] + ("…" if f.end + CONTEXT_CHARS < len(text) else ""),
        }
        for f in result.findings
    ]
    context = {
        "analysis": result,
        "rows": rows,
        "below_target": result.level < (target.level_ja if lang == JA else target.level_en),
        "field": field,
        "area": area,
        "can_explain": has_role(request.user, Role.ADMIN, Role.AUTHOR, Role.COACH),
        "error": error,
    }
    return render(request, "plain/_assist.html", context)


@assist_users
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    return _assist(request)


@glossary_keepers
@require_POST
def term_explain(request: HttpRequest, term_id: int) -> HttpResponse:
    """Add the missing plain explanation of an insider term from the editor's warning, then analyse again."""
    term = selectors.access_term(term_id)
    field = request.POST.get("field", "")[:100]
    lang = language_of(request.POST.get(field, "")) if field else JA
    try:
        services.term_explain(
            editor=request.user, term=term, explanation=request.POST.get("plain_explanation", ""), lang=lang
        )  # type: ignore[arg-type]
    except services.PlainError as error:
        return _assist(request, error=error.message)
    return _assist(request)


# Reps: "I didn't understand this word", and the authors' inbox of those words


@role_required(Role.REP)
@require_POST
def word_ask(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = lesson_for_user(request.user, lesson_id)
    try:
        question = services.word_ask(
            rep=request.user,  # type: ignore[arg-type]
            lesson=lesson,
            word=request.POST.get("word", ""),
            sentence=request.POST.get("sentence", ""),
        )
    except services.PlainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Thank you. “%(word)s” was sent to the authors, who will explain it.") % {"word": question.word}
        )
    # Back where the word was read (a quiz, a scenario moment) if that is this site; else the lesson.
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(reverse("learning:lesson", args=[lesson.id]) + "#lesson")


@glossary_keepers
@require_GET
def word_inbox(request: HttpRequest) -> HttpResponse:
    context = {"words": selectors.most_asked_words(), "questions": selectors.word_questions()}
    return render(request, "plain/word_inbox.html", context)
