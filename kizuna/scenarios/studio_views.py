"""The scenario studio: the list, the editor (moments, choices, start, publish), the map, values, import and export.

Editors are the principal's admins, authors and coaches; everyone else gets a
404. Every change goes through ``services`` and comes back to the editor, which
recomputes the draft's problems and shows each next to its moment or choice.
"""

import logging
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.catalog.services import topic_tags_ensure
from kizuna.catalog.text_checks import explain_url, unexplained_terms_message
from kizuna.media.serving import stored_file_response
from kizuna.ops.errors import add_to_form
from kizuna.ops.spreadsheets import download_response
from kizuna.orgs.access import Role, has_role, role_required

from . import editor, selectors, services
from .errors import ScenarioError
from .exchange import IMAGE_DIR, dump_json, dump_yaml, scenario_export
from .forms import (
    ChoiceForm,
    EditorOptions,
    ImportForm,
    NodeForm,
    ScenarioCreateForm,
    ScenarioForm,
    StartForm,
    ValueTagCreateForm,
    ValueTagForm,
)
from .graphmap import MapError
from .images import image_content_type
from .models import Node, Scenario
from .selectors import EDITOR_ROLES

logger = logging.getLogger(__name__)
editing = role_required(*EDITOR_ROLES)


def _editor_url(scenario: Scenario | int, anchor: str = "") -> str:
    pk = scenario if isinstance(scenario, int) else scenario.pk
    return reverse("scenarios:studio_scenario", args=[pk]) + (f"#{anchor}" if anchor else "")


# --- The list, creating, importing -----------------------------------------------------------


@editing
@require_GET
def studio_scenarios(request: HttpRequest) -> HttpResponse:
    return render(request, "scenarios/studio_list.html", {"rows": editor.studio_scenarios(request.user)})


@editing
@require_http_methods(["GET", "POST"])
def studio_scenario_new(request: HttpRequest) -> HttpResponse:
    form = ScenarioCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                scenario = services.scenario_create(
                    author=request.user,
                    title=data["title"],
                    slug=data["slug"],
                    description=data["description"],
                    product=data["product"],
                    tags=topic_tags_ensure(names=form.topic_tag_names()),
                )
        except ScenarioError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The scenario was created. Add its first moment."))
            return redirect(_editor_url(scenario))
    return render(request, "scenarios/studio_new.html", {"form": form})


@editing
@require_http_methods(["GET", "POST"])
def studio_scenario_import(request: HttpRequest) -> HttpResponse:
    """Upload a JSON or YAML file: a new draft, or a replaced one; refused with every error, nothing written."""
    initial = {}
    if request.GET.get("replace", "").isdigit():
        initial["replace"] = int(request.GET["replace"])
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    errors = []
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["replace"]
        try:
            scenario = services.scenario_import(
                form.cleaned_data["file"].read(),
                author=request.user,
                slug=target.slug if target else (form.cleaned_data["slug"] or None),
                replace=target is not None,
            )
        except ScenarioError as error:
            errors = error.errors
        else:
            messages.success(
                request, _("“%(title)s” was imported as a draft. Check it, then publish.") % {"title": scenario.title}
            )
            return redirect(_editor_url(scenario))
    return render(request, "scenarios/studio_import.html", {"form": form, "errors": errors})


# --- The editor ------------------------------------------------------------------------------


def _render_editor(
    request: HttpRequest,
    scenario: Scenario,
    *,
    bound: dict[str, Any] | None = None,
    nodes: list[Node] | None = None,
    options: EditorOptions | None = None,
) -> HttpResponse:
    """Draw the editor; ``bound`` holds forms that came back with errors, by the card they belong to."""
    bound = bound or {}
    nodes = selectors.draft_nodes(scenario) if nodes is None else nodes
    options = options or EditorOptions.for_draft(request.user, nodes)
    problems = editor.draft_problems(scenario, nodes)
    cards = []
    for node in nodes:
        choices = [
            {
                "choice": choice,
                "form": bound.get(f"choice-{choice.pk}")
                or ChoiceForm(options=options, choice=choice, prefix=f"c{choice.pk}"),
                "problems": problems.by_choice.get(choice.pk, []),
            }
            for choice in node.choices.all()
        ]
        cards.append(
            {
                "node": node,
                "form": bound.get(f"node-{node.pk}") or NodeForm(options=options, node=node),
                "new_choice_form": bound.get(f"new-choice-{node.pk}")
                or ChoiceForm(options=options, prefix=f"new{node.pk}"),
                "choices": choices,
                "problems": problems.by_node.get(node.pk, []),
                "has_problems": node.pk in problems.nodes_with_problems(),
                "is_start": node.pk == scenario.start_node_id,
            }
        )
    own_plays = selectors.my_attempts(request.user).filter(version__scenario=scenario, finished_at__isnull=False)[:5]
    context = {
        "scenario": scenario,
        "cards": cards,
        "problems": problems,
        "explain_terms_url": explain_url() if services.unexplained_in([p.error for p in problems.all]) else "",
        "scenario_form": bound.get("scenario")
        or ScenarioForm(initial=ScenarioForm.initial_for(scenario), auto_id="scenario_%s"),
        "start_form": StartForm(options=options, initial={"node": scenario.start_node_id}, auto_id="start_%s"),
        "versions": selectors.scenario_versions(scenario)[:10],
        "own_plays": own_plays,
        "has_moments": any(node.kind == Node.Kind.MOMENT for node in nodes),
        # Rolling it out as an experiment (the KPI app's experiments are the admin's): reps drawn get it per rep.
        "experiment_url": (
            f"{reverse('kpis:experiment_new')}?kind=scenario&content={scenario.pk}"
            if scenario.latest_version_id and has_role(request.user, Role.ADMIN)
            else ""
        ),
    }
    return render(request, "scenarios/studio_editor.html", context)


@editing
@require_http_methods(["GET", "POST"])
def studio_scenario(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """The editor (GET), and saving the scenario's own fields (POST)."""
    scenario = selectors.access_scenario_for_user(request.user, scenario_id)
    if request.method == "POST":
        form = ScenarioForm(request.POST, auto_id="scenario_%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    services.scenario_update(
                        scenario=scenario,
                        title=data["title"],
                        description=data["description"],
                        product=data["product"],
                        tags=topic_tags_ensure(names=form.topic_tag_names()),
                    )
            except ScenarioError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(_editor_url(scenario, "scenario-details"))
        return _render_editor(request, scenario, bound={"scenario": form})
    return _render_editor(request, scenario)


@editing
@require_POST
def studio_scenario_start(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = selectors.access_scenario_for_user(request.user, scenario_id)
    nodes = selectors.draft_nodes(scenario)
    form = StartForm(request.POST, options=EditorOptions(nodes={n.pk: n for n in nodes}, videos={}, value_tags={}))
    if form.is_valid():
        node = next(n for n in nodes if n.pk == form.cleaned_data["node"])
        services.scenario_start_set(scenario=scenario, node=node)
        messages.success(request, _("The scenario now starts with “%(key)s”.") % {"key": node.key})
    else:
        messages.error(request, _("Choose the moment the scenario starts with."))
    return redirect(_editor_url(scenario, "start"))


@editing
@require_POST
def studio_scenario_node_new(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = selectors.access_scenario_for_user(request.user, scenario_id)
    kind = request.POST.get("kind", Node.Kind.MOMENT)
    if kind not in Node.Kind.values:
        kind = Node.Kind.MOMENT
    node = services.node_create(scenario=scenario, kind=kind)
    if kind == Node.Kind.END:
        messages.success(request, _("An end “%(key)s” was added. Choose its outcome.") % {"key": node.key})
    else:
        messages.success(request, _("A moment “%(key)s” was added. Write it and add its choices.") % {"key": node.key})
    return redirect(_editor_url(scenario, f"node-{node.pk}"))


@editing
@require_http_methods(["GET", "POST"])
def studio_scenario_node(request: HttpRequest, node_id: int) -> HttpResponse:
    """Save a moment's fields and picture (POST), or delete it (``action=delete``); GET goes to its card."""
    node = selectors.access_node_for_user(request.user, node_id)
    scenario = node.scenario
    if request.method == "GET":
        return redirect(_editor_url(scenario, f"node-{node.pk}"))
    if request.POST.get("action") == "delete":
        services.node_delete(node=node)
        messages.success(request, _("The moment “%(key)s” was deleted.") % {"key": node.key})
        return redirect(_editor_url(scenario, "nodes"))
    nodes = selectors.draft_nodes(scenario)
    options = EditorOptions.for_draft(request.user, nodes)
    form = NodeForm(request.POST, request.FILES, options=options, node=node)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.node_update(
                    node=node,
                    key=data["key"],
                    kind=data["kind"],
                    speaker=data["speaker"],
                    text=data["text"],
                    video=data["video"],
                    outcome=data["outcome"],
                    debrief=data["debrief"],
                )
                services.node_question_set(
                    node=node, question=data["question"] if data["kind"] == Node.Kind.MOMENT else None
                )
                if data.get("remove_image"):
                    services.node_image_clear(node=node)
                if data.get("image"):
                    services.node_image_set(node=node, file=data["image"])
        except ScenarioError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Saved “%(key)s”.") % {"key": node.key})
            return redirect(_editor_url(scenario, f"node-{node.pk}"))
    node.refresh_from_db()
    return _render_editor(request, scenario, bound={f"node-{node.pk}": form})


@editing
@require_GET
def studio_scenario_node_image(request: HttpRequest, node_id: int) -> HttpResponse:
    """The picture of a draft moment, for its editors."""
    node = selectors.access_node_for_user(request.user, node_id)
    if not node.image:
        raise Http404
    return stored_file_response(request, name=IMAGE_DIR + node.image, content_type=image_content_type(node.image))


def _choice_values(form: ChoiceForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "text": data["text"],
        "next_node": data["next_node"],
        "key": data["key"] or None,
        "commentary": data["commentary"],
        "commentary_video": data["commentary_video"],
        "score": data["score"],
        "value_tags": form.chosen_value_tags(),
        "tags": topic_tags_ensure(names=form.topic_tag_names()),
        "is_reference": data["is_reference"],
    }


@editing
@require_POST
def studio_scenario_choice_new(request: HttpRequest, node_id: int) -> HttpResponse:
    node = selectors.access_node_for_user(request.user, node_id)
    nodes = selectors.draft_nodes(node.scenario)
    options = EditorOptions.for_draft(request.user, nodes)
    form = ChoiceForm(request.POST, options=options, prefix=f"new{node.pk}")
    if form.is_valid():
        try:
            with transaction.atomic():
                choice = services.choice_create(node=node, **_choice_values(form))
        except ScenarioError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The choice “%(key)s” was added.") % {"key": choice.key})
            return redirect(_editor_url(node.scenario_id, f"node-{node.pk}"))
    return _render_editor(request, node.scenario, bound={f"new-choice-{node.pk}": form})


@editing
@require_http_methods(["GET", "POST"])
def studio_scenario_choice(request: HttpRequest, choice_id: int) -> HttpResponse:
    """Save a choice (POST), or delete it (``action=delete``); GET goes to its place in the editor."""
    choice = selectors.access_choice_for_user(request.user, choice_id)
    scenario = choice.node.scenario
    if request.method == "GET":
        return redirect(_editor_url(scenario, f"choice-{choice.pk}"))
    if request.POST.get("action") == "delete":
        services.choice_delete(choice=choice)
        messages.success(request, _("The choice “%(key)s” was deleted.") % {"key": choice.key})
        return redirect(_editor_url(scenario, f"node-{choice.node_id}"))
    nodes = selectors.draft_nodes(scenario)
    options = EditorOptions.for_draft(request.user, nodes)
    form = ChoiceForm(request.POST, options=options, choice=choice, prefix=f"c{choice.pk}")
    if form.is_valid():
        try:
            with transaction.atomic():
                services.choice_update(choice=choice, **_choice_values(form))
        except ScenarioError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Saved the choice “%(key)s”.") % {"key": choice.key})
            return redirect(_editor_url(scenario, f"choice-{choice.pk}"))
    return _render_editor(request, scenario, bound={f"choice-{choice.pk}": form})


@editing
@require_POST
def studio_scenario_choice_move(request: HttpRequest, choice_id: int) -> HttpResponse:
    choice = selectors.access_choice_for_user(request.user, choice_id)
    direction = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if direction is not None:
        services.choice_move(choice=choice, direction=direction)
    return redirect(_editor_url(choice.node.scenario_id, f"choice-{choice.pk}"))


@editing
@require_POST
def studio_scenario_publish(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Publish the draft as a new version; refused, here as in the service, while it has problems."""
    scenario = selectors.access_scenario_for_user(request.user, scenario_id)
    problems = services.scenario_problems(scenario)
    if problems:
        messages.error(
            request,
            ngettext(
                "Not published: fix the %(count)s problem marked in red first.",
                "Not published: fix the %(count)s problems marked in red first.",
                len(problems),
            )
            % {"count": len(problems)},
        )
        if terms := services.unexplained_in(problems):
            messages.error(request, unexplained_terms_message(terms))
        return redirect(_editor_url(scenario, "publish"))
    previous = scenario.latest_version_id
    try:
        version = services.scenario_publish(scenario=scenario, publisher=request.user)
    except ScenarioError as error:
        for problem in error.errors:
            messages.error(request, problem.message)
        return redirect(_editor_url(scenario, "publish"))
    if version.pk == previous:
        messages.info(request, _("No changes since version %(number)s.") % {"number": version.number})
    else:
        messages.success(
            request,
            _("Published as version %(number)s. Lessons that show this scenario get it when their course is published.")
            % {"number": version.number},
        )
    return redirect(_editor_url(scenario, "publish"))


@editing
@require_POST
def studio_scenario_reference(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Take the editor's own finished play of a version of this scenario as the top rep's choices in the draft."""
    scenario = selectors.access_scenario_for_user(request.user, scenario_id)
    raw = request.POST.get("attempt", "")
    attempt = selectors.access_own_attempt(request.user, int(raw)) if raw.isdigit() else None
    if attempt is None or attempt.version.scenario_id != scenario.pk or not attempt.is_finished:
        messages.error(request, _("Choose one of your finished plays of this scenario."))
        return redirect(_editor_url(scenario, "reference"))
    marked = services.scenario_reference_from_attempt(attempt=attempt)
    messages.success(
        request,
        ngettext(
            "Your choice at %(count)s moment is now the top rep's choice. Publish again so that reps compare with it.",
            "Your choices at %(count)s moments are now the top rep's choices. "
            "Publish again so that reps compare with them.",
            marked,
        )
        % {"count": marked},
    )
    return redirect(_editor_url(scenario, "publish"))


# --- The map, export -------------------------------------------------------------------------


def _map_unavailable_svg() -> str:
    message = escape(_("The map could not be drawn. The list of moments below is complete."))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="60" viewBox="0 0 640 60">'
        f'<text x="10" y="35" font-family="sans-serif" font-size="14" fill="#b3261e">{message}</text></svg>'
    )


@editing
@require_GET
def studio_scenario_map(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """The draft's map as an SVG image (served apart from the page, so nothing of it runs inside the page)."""
    scenario = selectors.access_scenario_for_user(request.user, scenario_id)
    try:
        svg = editor.draft_map_svg(scenario, selectors.draft_nodes(scenario))
    except MapError as error:
        logger.warning("scenario map %s could not be drawn: %s", scenario.pk, error)
        svg = _map_unavailable_svg()
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response


@editing
@require_GET
def studio_scenario_export(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Download the draft in the exchange format: JSON, or YAML with ``?format=yaml``."""
    scenario = selectors.access_scenario_for_user(request.user, scenario_id)
    data = scenario_export(scenario)
    if request.GET.get("format") == "yaml":
        return download_response(
            dump_yaml(data), filename=f"{scenario.slug}.yaml", content_type="application/yaml; charset=utf-8"
        )
    return download_response(
        dump_json(data), filename=f"{scenario.slug}.json", content_type="application/json; charset=utf-8"
    )


# --- Values ----------------------------------------------------------------------------------


def _render_values(request: HttpRequest, *, bound: dict[str, Any] | None = None) -> HttpResponse:
    bound = bound or {}
    rows = [
        (
            tag,
            bound.get(f"value-{tag.pk}")
            or ValueTagForm(initial={"name_ja": tag.name_ja, "name_en": tag.name_en}, prefix=f"v{tag.pk}"),
        )
        for tag in selectors.value_tags_all()
    ]
    context = {"rows": rows, "form": bound.get("new") or ValueTagCreateForm(prefix="new")}
    return render(request, "scenarios/studio_values.html", context)


@editing
@require_http_methods(["GET", "POST"])
def studio_scenario_values(request: HttpRequest) -> HttpResponse:
    """The principal's values (行動指針) that choices carry: the list, and adding one (POST)."""
    if request.method == "GET":
        return _render_values(request)
    form = ValueTagCreateForm(request.POST, prefix="new")
    if form.is_valid():
        data = form.cleaned_data
        try:
            tag = services.value_tag_create(slug=data["slug"], name_ja=data["name_ja"], name_en=data["name_en"])
        except ScenarioError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The value “%(name)s” was added.") % {"name": tag.name})
            return redirect(reverse("scenarios:studio_scenario_values") + f"#value-{tag.pk}")
    return _render_values(request, bound={"new": form})


@editing
@require_http_methods(["GET", "POST"])
def studio_scenario_value(request: HttpRequest, value_tag_id: int) -> HttpResponse:
    tag = get_object_or_404(selectors.value_tags_all(), pk=value_tag_id)
    if request.method == "GET":
        return redirect(reverse("scenarios:studio_scenario_values") + f"#value-{tag.pk}")
    form = ValueTagForm(request.POST, prefix=f"v{tag.pk}")
    if form.is_valid():
        try:
            services.value_tag_update(
                value_tag=tag, name_ja=form.cleaned_data["name_ja"], name_en=form.cleaned_data["name_en"]
            )
        except ScenarioError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("scenarios:studio_scenario_values") + f"#value-{tag.pk}")
    return _render_values(request, bound={f"value-{tag.pk}": form})
