"""Screens of plain words: the glossary (authors and coaches), its CSV import and export, the target level."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.ops.errors import add_to_form
from kizuna.ops.spreadsheets import csv_response, header_labels
from kizuna.orgs.access import Role, role_required

from . import selectors, services
from .forms import ImportForm, TargetForm, TermForm
from .glossary_csv import COLUMNS

glossary_keepers = role_required(Role.ADMIN, Role.AUTHOR, Role.COACH)
admin_only = role_required(Role.ADMIN)


@glossary_keepers
@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    terms = selectors.glossary_terms(query=query)
    return render(request, "plain/glossary.html", {"terms": terms, "query": query})


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
