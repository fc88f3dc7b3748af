"""Screens of live sessions: the list, scheduling, a session's page (register, check in, host's tools), the calendar file."""

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.media.services import MediaError, video_create
from kizuna.ops.errors import add_to_form, message_user
from kizuna.ops.spreadsheets import download_response
from kizuna.orgs.access import Role, access_rep_for_user, membership_of, role_required

from . import selectors, services
from .forms import AttendanceForm, AudienceForm, CheckinForm, PublishRecordingForm, RecordingForm, SessionForm
from .ical import invitation_ics
from .models import LiveSession
from .services import LiveError

hosting = role_required(Role.ADMIN, Role.AUTHOR)
# Wrong check-in codes a rep may type per session before being told to wait.
CHECKIN_TRIES = 10


def _session_url(session: LiveSession, anchor: str = "") -> str:
    return reverse("live:live_session", args=[session.pk]) + (f"#{anchor}" if anchor else "")


@login_required
@require_GET
def live_sessions(request: HttpRequest) -> HttpResponse:
    m = membership_of(request.user)
    if m is None:
        raise Http404
    now = timezone.now()
    sessions = list(selectors.session_list(request.user))
    registrations = selectors.my_registrations(request.user) if m.is_rep else {}
    rows = [(s, registrations.get(s.pk)) for s in sessions]
    return render(
        request,
        "live/list.html",
        {
            "upcoming": [(s, r) for s, r in rows if s.ends_at > now],
            "past": [(s, r) for s, r in rows if s.ends_at <= now][::-1][:30],
            "can_host": selectors.can_host(request.user),
            "is_rep": m.is_rep,
        },
    )


@hosting
@require_http_methods(["GET", "POST"])
def live_session_new(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.live_session_create(author=request.user, data=form.session_data())
        except LiveError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The live session is scheduled. Assign it or open it to all reps."))
            return redirect(_session_url(session))
    return render(request, "live/form.html", {"form": form}, status=400 if form.errors else 200)


@hosting
@require_http_methods(["GET", "POST"])
def live_session_edit(request: HttpRequest, live_session_id: int) -> HttpResponse:
    session = selectors.access_session_for_host(request.user, live_session_id)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            services.live_session_update(session=session, data=form.session_data())
        except LiveError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Saved. Registered reps get the updated calendar invitation."))
            return redirect(_session_url(session))
    return render(request, "live/form.html", {"form": form, "session": session}, status=400 if form.errors else 200)


def _page(request: HttpRequest, session: LiveSession, status: int = 200, **forms: Any) -> HttpResponse:
    m = membership_of(request.user)
    now = timezone.now()
    host = selectors.can_host(request.user)
    registration = selectors.registration_of(session=session, rep=request.user) if m.is_rep else None
    taken = selectors.seats_taken(session)
    context = {
        "session": session,
        "registration": registration,
        "is_rep": m.is_rep,
        "host": host,
        "ended": session.ends_at <= now,
        "started": session.starts_at <= now,
        "checkin_open": services.checkin_open(session, now),
        "seats_taken": taken,
        "seats_left": None if session.capacity is None else max(0, session.capacity - taken),
        "checkin_form": forms.get("checkin_form") or CheckinForm(),
        "registrations": selectors.registrations_visible(request.user, session),
        "audience": selectors.audience_of(session, request.user),
        "recording": selectors.published_recording(session),
        # The host's clock reads differently from the person's: show both (the host's named).
        "other_zone": session.starts_at.astimezone(ZoneInfo(session.time_zone)).utcoffset()
        != timezone.localtime(session.starts_at).utcoffset(),
    }
    if host:
        context.update(
            audience_form=forms.get("audience_form") or AudienceForm(),
            attendance_form=forms.get("attendance_form") or AttendanceForm(),
            recording_form=forms.get("recording_form") or RecordingForm(user=request.user),
            publish_form=forms.get("publish_form") or PublishRecordingForm(),
            attendance_problems=forms.get("attendance_problems", []),
        )
    return render(request, "live/detail.html", context, status=status)


@login_required
@require_GET
def live_session(request: HttpRequest, live_session_id: int) -> HttpResponse:
    session = selectors.access_session_for_user(request.user, live_session_id)
    return _page(request, session)


@login_required
@require_GET
def live_session_ics(request: HttpRequest, live_session_id: int) -> HttpResponse:
    session = selectors.access_session_for_user(request.user, live_session_id)
    m = membership_of(request.user)
    rep = request.user if m.is_rep else None
    return download_response(
        invitation_ics(session=session, rep=rep, method="PUBLISH"),
        filename=f"live-{session.pk}.ics",
        content_type="text/calendar; charset=utf-8",
    )


@role_required(Role.REP)
@require_POST
def live_session_register(request: HttpRequest, live_session_id: int) -> HttpResponse:
    session = selectors.access_session_for_user(request.user, live_session_id)
    try:
        registration = services.live_register(session=session, rep=request.user)
    except LiveError as error:
        message_user(request, error)
    else:
        if registration.status == registration.Status.WAITLISTED:
            messages.info(
                request, _("The session is full: you are on the waiting list. We will tell you if a seat opens.")
            )
        else:
            messages.success(request, _("You are registered. The calendar invitation is on its way by e-mail."))
    return redirect(_session_url(session))


@role_required(Role.REP)
@require_POST
def live_session_unregister(request: HttpRequest, live_session_id: int) -> HttpResponse:
    session = selectors.access_session_for_user(request.user, live_session_id)
    try:
        services.live_unregister(session=session, rep=request.user)
    except LiveError as error:
        message_user(request, error)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(_session_url(session))


@role_required(Role.REP)
@require_POST
def live_session_checkin(request: HttpRequest, live_session_id: int) -> HttpResponse:
    session = selectors.access_session_for_user(request.user, live_session_id)
    form = CheckinForm(request.POST)
    tries_key = f"live-checkin:{session.pk}:{request.user.pk}"
    if (cache.get(tries_key) or 0) >= CHECKIN_TRIES:
        form.is_valid()
        form.add_error("code", _("Too many wrong codes. Ask the host to record your attendance."))
        return _page(request, session, status=400, checkin_form=form)
    if form.is_valid():
        try:
            services.live_checkin(session=session, rep=request.user, code=form.cleaned_data["code"])
        except LiveError as error:
            if error.field == "code":
                cache.set(tries_key, (cache.get(tries_key) or 0) + 1, timeout=6 * 3600)
            add_to_form(form, error)
        else:
            messages.success(request, _("Checked in. Welcome!"))
            return redirect(_session_url(session))
    return _page(request, session, status=400, checkin_form=form)


@hosting
@require_POST
def live_session_audience(request: HttpRequest, live_session_id: int) -> HttpResponse:
    session = selectors.access_session_for_host(request.user, live_session_id)
    form = AudienceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        rep = None
        if data["rep_email"]:
            rep = selectors.rep_by_email(request.user, data["rep_email"])
            if rep is None:
                form.add_error("rep_email", _("No rep has this e-mail."))
        if not form.errors:
            try:
                services.live_audience_add(
                    session=session, assigned_by=request.user, partner=data["partner"], team=data["team"], rep=rep
                )
            except LiveError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("Assigned. The reps were invited to register."))
                return redirect(_session_url(session, "audience"))
    return _page(request, session, status=400, audience_form=form)


@hosting
@require_POST
def live_session_attendance(request: HttpRequest, live_session_id: int) -> HttpResponse:
    session = selectors.access_session_for_host(request.user, live_session_id)
    form = AttendanceForm(request.POST, request.FILES)
    problems: list[str] = []
    if form.is_valid():
        try:
            count = services.live_attendance_import(session=session, file=form.cleaned_data["file"])
        except LiveError as error:
            add_to_form(form, error, field="file")
            problems = error.problems
        else:
            messages.success(request, _("Attendance recorded for %(count)s reps.") % {"count": count})
            return redirect(_session_url(session, "attendance"))
    return _page(request, session, status=400, attendance_form=form, attendance_problems=problems)


@hosting
@require_POST
def live_session_recording(request: HttpRequest, live_session_id: int) -> HttpResponse:
    session = selectors.access_session_for_host(request.user, live_session_id)
    form = RecordingForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        try:
            video = form.cleaned_data["video"] or video_create(
                uploaded_by=request.user, file=form.cleaned_data["file"], title=session.title
            )
            services.live_recording_attach(session=session, video=video)
        except MediaError as error:
            add_to_form(form, error, field="file")
        except LiveError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The recording is attached. Publish it once the video is ready."))
            return redirect(_session_url(session, "recording"))
    return _page(request, session, status=400, recording_form=form)


@hosting
@require_POST
def live_session_recording_publish(request: HttpRequest, live_session_id: int) -> HttpResponse:
    session = selectors.access_session_for_host(request.user, live_session_id)
    form = PublishRecordingForm(request.POST)
    if form.is_valid():
        try:
            services.live_recording_publish(session=session, publisher=request.user, due_at=form.due_at())
        except LiveError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The recording is published and assigned to those who missed the session."))
            return redirect(_session_url(session, "recording"))
    return _page(request, session, status=400, publish_form=form)


@login_required
@require_GET
def live_rep_attendance(request: HttpRequest, rep_id: int) -> HttpResponse:
    """One rep's live sessions and attendance, for their manager and the principal's staff."""
    rep = access_rep_for_user(request.user, rep_id)
    return render(request, "live/rep.html", {"rep": rep, "registrations": selectors.rep_registrations(rep)})
