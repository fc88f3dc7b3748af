"""The notification list (grouped by kind): read, open (marks read and follows the link), mark all read, e-mail
preference."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services


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
