"""The notification list (grouped by kind): read, open (marks read and follows the link), mark all read, e-mail
preference; the phone's push notifications: subscribe, unsubscribe, which kinds and quiet hours."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.ops.errors import ApplicationError, add_to_form

from . import push_services, selectors, services
from .forms import PushPreferencesForm
from .push import CATEGORIES, vapid_public_key


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/list.html", {"groups": selectors.notification_groups_for(request.user)})


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = selectors.access_notification_for_user(request.user, notification_id)
    # Opening a grouped entry opens its newest notification and marks the whole group read.
    services.notification_open(notification=notification, with_group=request.POST.get("group") == "1")
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notifications:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_read_all(user=request.user)
    return redirect("notifications:notifications")


@login_required
@require_POST
def notification_email_preference(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("notify_by_email") == "on"
    services.notification_email_preference_set(user=request.user, notify_by_email=wanted)
    if wanted:
        messages.success(request, _("Notifications will also be sent by e-mail."))
    else:
        messages.success(request, _("Notifications will no longer be sent by e-mail."))
    return redirect("notifications:notifications")


@login_required
def push_settings(request: HttpRequest) -> HttpResponse:
    preferences = selectors.push_preferences_for(request.user)
    initial = {category: getattr(preferences, category) for category in CATEGORIES}
    initial.update(quiet_start=preferences.quiet_start, quiet_end=preferences.quiet_end)
    return _push_page(request, PushPreferencesForm(initial=initial))


def _push_page(request: HttpRequest, form: PushPreferencesForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "public_key": vapid_public_key(),
        "phones": selectors.push_subscription_count(request.user),
    }
    return render(request, "notifications/push.html", context, status=status)


@login_required
@require_POST
def push_preferences(request: HttpRequest) -> HttpResponse:
    form = PushPreferencesForm(request.POST)
    if not form.is_valid():
        return _push_page(request, form, status=400)
    try:
        push_services.push_preferences_set(
            user=request.user,
            switched_on=form.switched_on(),
            quiet_start=form.cleaned_data["quiet_start"],
            quiet_end=form.cleaned_data["quiet_end"],
        )
    except ApplicationError as err:
        add_to_form(form, err)
        return _push_page(request, form, status=400)
    messages.success(request, _("Your phone notification settings are saved."))
    return redirect("notifications:push_settings")


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        data = None
    return data if isinstance(data, dict) else {}


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    data = _json_body(request)
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    fields = (data.get("endpoint"), keys.get("p256dh"), keys.get("auth"))
    if not all(isinstance(value, str) and value for value in fields):
        return JsonResponse({"error": _("This browser sent a subscription Kizuna cannot use.")}, status=400)
    endpoint, p256dh, auth = (str(value) for value in fields)
    try:
        push_services.push_subscription_save(
            user=request.user,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ApplicationError as err:
        return JsonResponse({"error": err.message}, status=400)
    return JsonResponse({"subscribed": True, "message": _("Notifications are on for this phone.")}, status=201)


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> JsonResponse:
    endpoint = _json_body(request).get("endpoint")
    removed = isinstance(endpoint, str) and push_services.push_subscription_delete(user=request.user, endpoint=endpoint)
    return JsonResponse({"removed": removed, "message": _("Notifications are off for this phone.")})
