"""The installable app's addresses: the manifest, its icons, the service worker (at the root, so its scope is the
whole site) and the page it shows when a page cannot be reached offline."""

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kizuna.catalog.selectors import access_course_for_user, access_lesson_for_user
from kizuna.orgs.access import membership_of

from .icons import BACKGROUND_COLOR, ICONS, ICONS_BY_NAME, THEME_COLOR, icon_build, source_version
from .selectors import (
    OFFLINE_BUDGET_BYTES,
    course_offline_bundle,
    lesson_offline_pack,
    next_up_offline_bundle,
    review_offline_bundle,
)

# What the service worker keeps from its install on: the page shell (styles, scripts), the icons and the
# offline page. Pages and media are not kept here (they are the rep's own, and large).
SHELL_STATIC = (
    "kizuna/app.css",
    "django_htmx/htmx-2.min.js",
    "pwa/register.js",
    "pwa/outbox.js",
    "pwa/notice.js",
    "pwa/offline.js",
)


def icon_url(name: str) -> str:
    return f"{reverse('pwa:icon', kwargs={'name': name})}?v={source_version()}"


def precache_urls() -> list[str]:
    """Return the URLs the service worker stores at install (tests keep their total under 500 KB)."""
    icons = [icon_url(icon.name) for icon in ICONS if icon.name != "apple-touch-icon.png"]
    return [*(static(path) for path in SHELL_STATIC), *icons, reverse("pwa:offline"), reverse("pwa:saved")]


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    def icon(name: str) -> dict[str, str]:
        entry = ICONS_BY_NAME[name]
        return {
            "src": icon_url(name),
            "sizes": f"{entry.size}x{entry.size}",
            "type": "image/png",
            "purpose": entry.purpose,
        }

    shortcut_icons = [icon("shortcut-96.png")]
    data = {
        "id": "/",
        "name": "Kizuna 絆",
        "short_name": "Kizuna",
        "description": _("Learn from the best of your principal's sales people, in spare minutes on your phone."),
        "lang": get_language() or "ja",
        "dir": "ltr",
        "start_url": reverse("learning:home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [icon("icon-192.png"), icon("icon-512.png"), icon("maskable-512.png")],
        "shortcuts": [
            {"name": _("Next up"), "url": reverse("learning:home"), "icons": shortcut_icons},
            {"name": _("Today's review"), "url": reverse("assessments:review"), "icons": shortcut_icons},
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=24 * 3600)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_GET
def icon(request: HttpRequest, name: str) -> FileResponse:
    entry = ICONS_BY_NAME.get(name)
    if entry is None:
        raise Http404
    response = FileResponse(icon_build(entry).open("rb"), content_type="image/png")
    if request.GET.get("v") == source_version():
        # The URL carries the source's hash, so a changed source is a new URL: keep this one for a year.
        patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    precache = precache_urls()
    body = render_to_string(
        "pwa/sw.js",
        {
            "precache_json": json.dumps(precache),
            "offline_url_json": json.dumps(reverse("pwa:offline")),
            "icon_json": json.dumps(icon_url("icon-192.png")),
            "outbox_script_json": json.dumps(static("pwa/outbox.js")),
        },
    )
    # The version changes whenever the worker or anything it keeps changes: browsers then install the new one.
    version = hashlib.sha256(body.encode()).hexdigest()[:16]
    body = body.replace("__VERSION__", version)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = f'"{version}"'
    unchanged = get_conditional_response(request, etag=response["ETag"], response=response)
    if unchanged is not response:
        return unchanged
    # Always asked again (a 304 when unchanged), so a fixed worker reaches every phone at its next visit.
    patch_cache_control(response, no_cache=True, max_age=0)
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    response = render(request, "pwa/offline.html")
    patch_cache_control(response, no_cache=True, private=True)
    return response


@require_GET
def saved(request: HttpRequest) -> HttpResponse:
    """The lessons kept on this phone (listed from the browser's own storage, so it opens offline too)."""
    response = render(request, "pwa/saved.html", {"budget_bytes": OFFLINE_BUDGET_BYTES})
    patch_cache_control(response, no_cache=True, private=True)
    return response


@require_GET
@login_required
def lesson_pack(request: HttpRequest, lesson_id: int) -> JsonResponse:
    """What saving a lesson for offline stores (its page, video, poster) and its size, or why it cannot be saved."""
    lesson = access_lesson_for_user(request.user, lesson_id)
    _require_rep(request)
    return _pack_response(lesson_offline_pack(rep=request.user, lesson=lesson).as_json())


@require_GET
@login_required
def course_pack(request: HttpRequest, course_id: int) -> JsonResponse:
    """Saving a whole course with one tap: each of its lessons that works offline, their total size, and why
    the others are not kept."""
    course = access_course_for_user(request.user, course_id)
    _require_rep(request)
    return _pack_response(course_offline_bundle(rep=request.user, course=course).as_json())


@require_GET
@login_required
def next_up_pack(request: HttpRequest) -> JsonResponse:
    """Saving the rep's next-up with one tap: the next lesson of each of their courses."""
    _require_rep(request)
    return _pack_response(next_up_offline_bundle(rep=request.user).as_json())


@require_GET
@login_required
def review_pack(request: HttpRequest) -> JsonResponse:
    """Saving today's review questions with one tap (answered offline, scored on the server when sent)."""
    _require_rep(request)
    return _pack_response(review_offline_bundle(rep=request.user).as_json())


def _require_rep(request: HttpRequest) -> None:
    m = membership_of(request.user)
    if m is None or not m.is_rep:
        raise Http404


def _pack_response(data: dict) -> JsonResponse:
    response = JsonResponse(data)
    patch_cache_control(response, no_store=True, private=True)
    return response
