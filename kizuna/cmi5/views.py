"""cmi5 pages: the studio's import, a cmi5 lesson's files behind the access check, the launch of an AU and the
fetch URL that hands the AU its auth-token once."""

from typing import Any

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kizuna.ops.errors import ApplicationError, add_to_form, message_user
from kizuna.orgs.access import Role, membership_of, role_required
from kizuna.packages.selectors import package_item_analysis
from kizuna.packages.services import PackageError
from kizuna.packages.serving import package_file_response
from kizuna.packages.views import PACKAGE_CSP

from . import launching, selectors, services
from .forms import Cmi5ImportForm, Cmi5WaiveForm
from .models import LaunchMode

authoring = role_required(Role.ADMIN, Role.AUTHOR)


@authoring
@require_http_methods(["GET", "POST"])
def studio_cmi5_import(request: HttpRequest) -> HttpResponse:
    """Upload a cmi5 course package as a new lesson at the end of a course."""
    form = Cmi5ImportForm(request.POST or None, request.FILES or None, initial={"course": request.GET.get("course")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lesson = services.cmi5_lesson_import(
                upload=data["file"], course=data["course"], author=request.user, title=data["title"]
            )
        except PackageError as err:
            for problem in err.problems:
                form.add_error("file", problem)
        except ApplicationError as err:
            add_to_form(form, err)
        else:
            messages.success(
                request, _("The cmi5 course was imported as the lesson “%(title)s”.") % {"title": lesson.title}
            )
            return redirect(reverse("catalog:studio_course", args=[data["course"].pk]) + f"#lesson-{lesson.pk}")
    return render(request, "cmi5/studio_import.html", {"form": form})


@login_required
@xframe_options_sameorigin
@csp_replace(PACKAGE_CSP)
@require_http_methods(["GET", "HEAD"])
def cmi5_file(request: HttpRequest, cmi5_lesson_id: int, au_path: str) -> HttpResponse:
    """A file of the lesson's cmi5 course package, for whoever may open the lesson (404 for everyone else)."""
    _lesson, course = selectors.access_cmi5_lesson_for_user(request.user, cmi5_lesson_id)
    return package_file_response(request, prefix=course.storage_prefix, path=au_path)


@login_required
@require_POST
def au_launch(request: HttpRequest, cmi5_lesson_id: int, au_id: int) -> HttpResponse:
    """Launch an AU: the LMS's side (registration, session, LMS.LaunchData, launched), then open the AU.

    ``mode=Review`` (POSTed by the lesson page's second button of a finished AU) launches it in Review mode,
    ``mode=Browse`` (the second button of an AU not finished yet) in Browse mode."""
    lesson, au = selectors.access_au_for_user(request.user, cmi5_lesson_id, au_id)
    m = membership_of(request.user)
    lesson_url = reverse("learning:lesson", args=[lesson.pk])
    if m is None or not m.is_rep:
        messages.info(request, _("Only reps launch AUs: their learning is what is recorded."))
        return redirect(lesson_url)
    site = request.build_absolute_uri("/").rstrip("/")
    # A finished AU may be opened again in Review mode, and any AU looked through in Browse mode (in both the AU
    # sends only initialized and terminated, so moveOn ignores them); anything else is Normal.
    chosen = request.POST.get("mode")
    mode = chosen if chosen in (LaunchMode.REVIEW, LaunchMode.BROWSE) else LaunchMode.NORMAL
    try:
        _session, url = launching.cmi5_launch(
            rep=request.user, lesson=lesson, au=au, site=site, return_url=site + lesson_url, launch_mode=mode
        )
    except ApplicationError as err:
        message_user(request, err)
        return redirect(lesson_url)
    # Both launch methods open the AU in this window (the spec allows a redirect for AnyWindow and OwnWindow).
    return redirect(url)


@csrf_exempt  # the one-time key in the URL is the AU's only credential; the spec has it POSTed from the AU
def cmi5_fetch(request: HttpRequest, fetch_key: str) -> HttpResponse:
    """The fetch URL: the auth-token the first time, the spec's error JSON (status 200) after."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    answer: dict[str, Any] = launching.cmi5_fetch(fetch_key=fetch_key[:200])
    response = JsonResponse(answer)
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.ADMIN, Role.AUTHOR, Role.COACH, Role.MANAGER)
def cmi5_items(request: HttpRequest, cmi5_lesson_id: int) -> HttpResponse:
    """Item analysis of a cmi5 lesson: each interaction the AUs reported answers to, and the share answered right."""
    lesson, course = selectors.access_cmi5_lesson_for_user(request.user, cmi5_lesson_id)
    items = package_item_analysis(request.user, lesson)
    return render(request, "cmi5/items.html", {"lesson": lesson, "cmi5_course": course, "items": items})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def studio_cmi5_waive(request: HttpRequest, cmi5_lesson_id: int) -> HttpResponse:
    """The principal waives an AU of a cmi5 lesson for a rep, with the cmi5 reason (then moveOn is evaluated)."""
    lesson, course = selectors.access_cmi5_lesson_for_user(request.user, cmi5_lesson_id)
    form = Cmi5WaiveForm(
        request.POST or None,
        registrations=selectors.registrations_for_waiver(user=request.user, course=course),
        aus=course.aus.all(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            launching.cmi5_au_waive(registration=data["registration"], au=data["au"], reason=data["reason"])
        except ApplicationError as err:
            add_to_form(form, err)
        else:
            messages.success(
                request,
                _("“%(au)s” was waived for %(rep)s.")
                % {"au": data["au"].title, "rep": data["registration"].rep.name or data["registration"].rep.email},
            )
            return redirect("cmi5:studio_cmi5_waive", cmi5_lesson_id=lesson.pk)
    waivers = selectors.waivers_of(user=request.user, course=course)[:50]
    return render(
        request, "cmi5/studio_waive.html", {"lesson": lesson, "cmi5_course": course, "form": form, "waivers": waivers}
    )
