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


@login_required
def sco_play(request: HttpRequest, package_lesson_id: int, sco_id: int) -> HttpResponse:
    """The player: the SCO in a frame, with the SCORM API (scorm-again) in this page talking to our server."""
    lesson, sco = selectors.access_sco_for_user(request.user, package_lesson_id, sco_id)
    m = membership_of(request.user)
    is_rep = m is not None and m.is_rep
    state = selectors.sco_state_of(rep=request.user, sco=sco) if is_rep else None
    if is_rep:
        runtime.sco_launch(rep=request.user, lesson=lesson, sco=sco)
    commit_url = None
    if is_rep:
        token = _launch_token(user=request.user, lesson=lesson, sco=sco, session_id=uuid.uuid4())
        commit_url = reverse("packages:sco_commit", args=[lesson.pk, sco.pk]) + f"?launch={token}"
    outline = [s for s, _state in selectors.sco_outline(package=sco.package, rep=None)]
    index = next(i for i, s in enumerate(outline) if s.pk == sco.pk)
    file_url = reverse("packages:package_file", args=[lesson.pk, "x"])[:-1]
    config = {
        "standard": sco.package.standard,
        "commitUrl": commit_url,
        "cmi": runtime.resume_data(state=state, sco=sco, rep=request.user),
        "launchUrl": file_url + sco.href,
        "lessonUrl": reverse("learning:lesson", args=[lesson.pk]),
        "logLevel": 4 if not settings.DEBUG else 3,
    }
    if sco.package.standard == "scorm2004":
        # Where a SCO's navigation request (adl.nav.request, acted on when it terminates) leads: continue and
        # previous follow the package's order, choice and jump name a SCO, exit and exitAll go back to the lesson.
        play = {s.identifier: reverse("packages:sco_play", args=[lesson.pk, s.pk]) for s in outline}
        config["navigation"] = {
            "continue": play[outline[index + 1].identifier] if index + 1 < len(outline) else config["lessonUrl"],
            "previous": play[outline[index - 1].identifier] if index > 0 else None,
            "choice": play,
        }
    return render(
        request,
        "packages/player.html",
        {
            "lesson": lesson,
            "sco": sco,
            "config": config,
            "is_rep": is_rep,
            "previous": outline[index - 1] if index > 0 else None,
            "next": outline[index + 1] if index + 1 < len(outline) else None,
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
