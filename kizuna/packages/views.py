"""Package pages: the studio's import, the package's files behind the access check, the SCO player and its commits."""

import json
import uuid
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kizuna.ops.errors import ApplicationError, add_to_form
from kizuna.orgs.access import Role, membership_of, role_required

from . import runtime, selectors, services
from .forms import PackageImportForm
from .serving import package_file_response

authoring = role_required(Role.ADMIN, Role.AUTHOR)
LAUNCH_SALT = "kizuna.packages.launch"
LAUNCH_MAX_AGE = 24 * 3600

# What content exported by authoring tools needs: inline and evaluated scripts, inline styles, data: fonts and
# images, blob: media. Only inside the package's own frame, and only framed by Kizuna itself.
PACKAGE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "media-src": ["'self'", "data:", "blob:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
}


@authoring
@require_http_methods(["GET", "POST"])
def studio_package_import(request: HttpRequest) -> HttpResponse:
    """Upload a SCORM zip as a new lesson at the end of a course."""
    form = PackageImportForm(request.POST or None, request.FILES or None, initial={"course": request.GET.get("course")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lesson = services.package_lesson_import(
                upload=data["file"], course=data["course"], author=request.user, title=data["title"]
            )
        except services.PackageError as err:
            for problem in err.problems:
                form.add_error("file", problem)
        except ApplicationError as err:
            add_to_form(form, err)
        else:
            messages.success(
                request, _("The package was imported as the lesson “%(title)s”.") % {"title": lesson.title}
            )
            return redirect(reverse("catalog:studio_course", args=[data["course"].pk]) + f"#lesson-{lesson.pk}")
    return render(request, "packages/studio_import.html", {"form": form})


@login_required
@xframe_options_sameorigin
@csp_replace(PACKAGE_CSP)
@require_http_methods(["GET", "HEAD"])
def package_file(request: HttpRequest, package_lesson_id: int, path: str) -> HttpResponse:
    """A file of the lesson's package, for whoever may open the lesson (404 for everyone else)."""
    _lesson, package = selectors.access_package_lesson_for_user(request.user, package_lesson_id)
    return package_file_response(request, prefix=package.storage_prefix, path=path)


def _launch_token(*, user: Any, lesson: Any, sco: Any, session_id: uuid.UUID) -> str:
    return signing.dumps({"u": user.pk, "l": lesson.pk, "s": sco.pk, "x": str(session_id)}, salt=LAUNCH_SALT)


DELIVERY_SALT = "kizuna.packages.delivery"
# A delivery is used at once (the redirect that follows it); a reload within the hour works too.
DELIVERY_MAX_AGE = 3600


def _sequencing_refusal(reason: str) -> str:
    """Why sequencing refused a request, in the rep's words."""
    return {
        "disabled": _("This part is not available now."),
        "limit": _("You have used every attempt this part allows."),
        "hidden": _("This part opens in order: finish the part before it and go on with Next."),
        "no-choice": _("This part opens in order: finish the part before it and go on with Next."),
        "no-exit": _("Finish this part before you go to another one."),
        "forward-only": _("This package only goes forward."),
        "no-flow": _("Choose the next part from the lesson's list."),
        "start": _("This is the first part."),
        "skip-all": _("There is nothing to open here now."),
    }.get(reason, _("This part is not available now."))


def _delivered(request: HttpRequest, lesson: Any, sco: Any) -> HttpResponse:
    """Open a SCO that sequencing delivered (flow, jump or start): signed so the player skips the choice rules."""
    token = signing.dumps({"u": request.user.pk, "s": sco.pk}, salt=DELIVERY_SALT)
    return redirect(reverse("packages:sco_play", args=[lesson.pk, sco.pk]) + f"?delivered={token}")


@login_required
@require_http_methods(["GET"])
def sco_nav(request: HttpRequest, package_lesson_id: int, nav_request: str) -> HttpResponse:
    """A navigation request of a sequenced SCORM 2004 package (the lesson's Start, the player's Next/Previous, or a
    SCO's adl.nav.request as it terminates), evaluated on the rep's states as they are now."""
    lesson, package = selectors.access_package_lesson_for_user(request.user, package_lesson_id)
    m = membership_of(request.user)
    outline = selectors.sco_outline(package=package, rep=request.user if m is not None and m.is_rep else None)
    scos = {sco.identifier: sco for sco, _state in outline}
    by_pk = {str(sco.pk): sco for sco, _state in outline}
    tree = selectors.sequencing_tree(package=package, outline=outline)
    lesson_url = reverse("learning:lesson", args=[lesson.pk])
    current = by_pk.get(request.GET.get("from", ""))
    target = request.GET.get("target", "")[:200]
    if nav_request not in {"start", "continue", "previous", "choice", "jump"} or not outline:
        raise Http404
    if current is not None and _still_saving(request, lesson, current):
        # The SCO's last commit goes as a beacon and may arrive a moment after this request: wait for it (a
        # second at a time, a few times) so the rules see what the SCO just did.
        tries = int(request.GET.get("try", "0")) if request.GET.get("try", "0").isdigit() else 0
        if tries < NAV_WAIT_TRIES:
            query = request.GET.copy()
            query["try"] = str(tries + 1)
            return render(request, "packages/nav_wait.html", {"lesson": lesson, "again": f"?{query.urlencode()}"})
    if tree is None:  # no sequencing: the package's order, any SCO chosen freely
        order = [sco for sco, _state in outline]
        i = order.index(current) if current in order else -1
        found: Any = {
            "start": next((sco for sco, state in outline if state is None or not state.is_done), order[0]),
            "continue": order[i + 1] if 0 <= i < len(order) - 1 else None,
            "previous": order[i - 1] if i > 0 else None,
        }.get(nav_request, scos.get(target))
        return _delivered(request, lesson, found) if found is not None else redirect(lesson_url)
    if nav_request == "start":
        node = _start_node(tree)
        if node is None:
            messages.info(request, _sequencing_refusal("no-flow"))
            return redirect(lesson_url)
        return _delivered(request, lesson, scos[node["sco"]])
    if nav_request in ("choice", "jump"):
        node = tree.nodes.get(target)
        if node is None or node is tree.root:
            raise Http404
        problem = (
            tree.check_activity(node)
            if nav_request == "jump"
            else tree.choice_problem(target, current.identifier if current else None)
        )
        if problem is None and node.get("children"):  # a chosen cluster: the flow into it
            node, problem = tree.enter(node)
    else:
        if current is None:
            raise Http404
        node, problem = tree.flow(current.identifier, forward=nav_request == "continue")
    if problem == "end":
        messages.success(request, _("You reached the end of the package."))
        return redirect(lesson_url)
    if problem or node is None or node.get("sco") not in scos:
        messages.warning(request, _sequencing_refusal(problem or ""))
        return redirect(lesson_url)
    return _delivered(request, lesson, scos[node["sco"]])


NAV_WAIT_TRIES = 5


def _still_saving(request: HttpRequest, lesson: Any, sco: Any) -> bool:
    """Whether the player's session named by the request's launch token has not terminated yet."""
    try:
        launch = signing.loads(request.GET.get("launch", ""), salt=LAUNCH_SALT, max_age=LAUNCH_MAX_AGE)
        session_id = uuid.UUID(launch["x"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return False
    if (launch.get("u"), launch.get("l"), launch.get("s")) != (request.user.pk, lesson.pk, sco.pk):
        return False
    state = selectors.sco_state_of(rep=request.user, sco=sco)
    return state is None or state.session_id != session_id or state.session_started_at is not None


def _start_node(tree: Any) -> dict[str, Any] | None:
    """Where Start (or Resume) leads: a suspended SCO first, then the flow from the organization past what is done
    (the first SCO it delivers when everything is), else the first SCO that may be chosen."""
    leaves = [n for n in tree.nodes.values() if n.get("sco")]
    for node in leaves:
        if tree.status[node["id"]].suspended and tree.check_activity(node) is None:
            return node
    node, problem = tree.flow(None)
    first = node
    while node is not None and problem is None and tree.done_leaf(node):
        node, problem = tree.flow(node["id"])
    if node is not None and problem is None:
        return node
    if first is not None:
        return first
    choosable = [n for n in leaves if tree.choice_problem(n["id"]) is None]
    return next((n for n in choosable if not tree.done_leaf(n)), choosable[0] if choosable else None)


@login_required
def sco_play(request: HttpRequest, package_lesson_id: int, sco_id: int) -> HttpResponse:
    """The player: the SCO in a frame, with the SCORM API (scorm-again) in this page talking to our server."""
    lesson, sco = selectors.access_sco_for_user(request.user, package_lesson_id, sco_id)
    m = membership_of(request.user)
    is_rep = m is not None and m.is_rep
    package = sco.package
    outline_states = selectors.sco_outline(package=package, rep=request.user if is_rep else None)
    tree = selectors.sequencing_tree(package=package, outline=outline_states)
    if tree is not None and is_rep:
        try:
            delivered = signing.loads(request.GET.get("delivered", ""), salt=DELIVERY_SALT, max_age=DELIVERY_MAX_AGE)
        except signing.BadSignature:
            delivered = {}
        if delivered != {"u": request.user.pk, "s": sco.pk}:  # opened from the list: a choice
            problem = tree.choice_problem(sco.identifier)
            if problem:
                messages.warning(request, _sequencing_refusal(problem))
                return redirect("learning:lesson", lesson.pk)
    state = next((st for s, st in outline_states if s.pk == sco.pk), None) if is_rep else None
    if is_rep:
        runtime.sco_launch(rep=request.user, lesson=lesson, sco=sco)
    commit_url, token = None, ""
    if is_rep:
        token = _launch_token(user=request.user, lesson=lesson, sco=sco, session_id=uuid.uuid4())
        commit_url = reverse("packages:sco_commit", args=[lesson.pk, sco.pk]) + f"?launch={token}"
    outline = [s for s, _state in outline_states]
    index = next(i for i, s in enumerate(outline) if s.pk == sco.pk)
    file_url = reverse("packages:package_file", args=[lesson.pk, "x"])[:-1]
    config = {
        "standard": package.standard,
        "commitUrl": commit_url,
        "cmi": runtime.resume_data(state=state, sco=sco, rep=request.user),
        "launchUrl": file_url + sco.href,
        "lessonUrl": reverse("learning:lesson", args=[lesson.pk]),
        "logLevel": 4 if not settings.DEBUG else 3,
    }
    previous = outline[index - 1] if index > 0 else None
    following = outline[index + 1] if index + 1 < len(outline) else None
    nav_urls: dict[str, str | None] = {}
    if package.standard == "scorm2004":
        # Where a SCO's navigation request (adl.nav.request, acted on when it terminates) leads: the server
        # evaluates it after the SCO's last commit (kizuna.packages.sequencing; the package's order when the
        # package has no sequencing); exit and exitAll go back to the lesson.
        base = reverse("packages:sco_nav", args=[lesson.pk, "x"])[:-2]
        nav_urls = {r: f"{base}{r}/?from={sco.pk}" for r in ("continue", "previous", "choice", "jump")}
        config["navigation"] = {r: f"{url}&launch={token}" if token else url for r, url in nav_urls.items()}
    if tree is not None:
        parent = tree.parent.get(sco.identifier)
        controls = tree.controls(parent)
        previous = previous if controls["flow"] and not controls["forwardOnly"] else None
        following = following if controls["flow"] else None
    return render(
        request,
        "packages/player.html",
        {
            "lesson": lesson,
            "sco": sco,
            "config": config,
            "is_rep": is_rep,
            "previous": previous,
            "next": following,
            "previous_url": nav_urls.get("previous") if tree is not None else None,
            "next_url": nav_urls.get("continue") if tree is not None else None,
            "position": index + 1,
            "count": len(outline),
        },
    )


def _refused(message: str, status: int = 400) -> JsonResponse:
    # scorm-again reads {"result", "errorCode"}; 101 is SCORM's "general exception".
    return JsonResponse({"result": False, "errorCode": 101, "message": message}, status=status)


@csrf_exempt  # the signed launch token in the URL, bound to this user, SCO and session, stands in for CSRF's
@require_POST
def sco_commit(request: HttpRequest, package_lesson_id: int, sco_id: int) -> HttpResponse:
    """One commit of the SCO's runtime data (scorm-again's flattened JSON; sendBeacon's text/plain too)."""
    if not request.user.is_authenticated:
        raise Http404
    lesson, sco = selectors.access_sco_for_user(request.user, package_lesson_id, sco_id)
    m = membership_of(request.user)
    if m is None or not m.is_rep:
        return _refused(_("Only reps' learning is recorded."), status=403)
    try:
        launch = signing.loads(request.GET.get("launch", ""), salt=LAUNCH_SALT, max_age=LAUNCH_MAX_AGE)
        session_id = uuid.UUID(launch["x"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _refused(_("This launch has expired. Open the lesson again."), status=403)
    if (launch.get("u"), launch.get("l"), launch.get("s")) != (request.user.pk, lesson.pk, sco.pk):
        return _refused(_("This launch has expired. Open the lesson again."), status=403)
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _refused(_("The course sent data that is not a SCORM data model."))
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        data = data["data"]
    try:
        runtime.sco_commit(
            rep=request.user,
            lesson=lesson,
            sco=sco,
            session_id=session_id,
            data=data,
            terminate=request.GET.get("terminate") == "true",
        )
    except ApplicationError as err:
        return _refused(str(err))
    return JsonResponse({"result": True, "errorCode": 0})


@role_required(Role.ADMIN, Role.AUTHOR, Role.COACH, Role.MANAGER)
def package_items(request: HttpRequest, package_lesson_id: int) -> HttpResponse:
    """Item analysis of a package lesson: each interaction's answers and share answered right."""
    lesson, package = selectors.access_package_lesson_for_user(request.user, package_lesson_id)
    items = selectors.package_item_analysis(request.user, lesson)
    return render(request, "packages/items.html", {"lesson": lesson, "package": package, "items": items})
