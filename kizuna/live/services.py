"""Writes of live sessions: scheduling and assigning, registration with its invitation, reminders,
attendance (check-in code or uploaded list), and the recording that becomes a video lesson."""

import csv
import hmac
import secrets
import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.text import MIMEText
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kizuna.catalog.text_checks import unexplained_terms_problems
from kizuna.ops.datetimes import datetime_label
from kizuna.ops.errors import ApplicationError
from kizuna.ops.locks import atomic_with_lock_retries
from kizuna.ops.spreadsheets import EMAIL_ALIASES, Column, csv_table, decode_csv, header_match
from kizuna.ops.trail import Action, audit_record, changed_fields
from kizuna.orgs.access import Role
from kizuna.orgs.models import Organization, Team
from kizuna.orgs.selectors import active_rep_memberships, active_reps
from kizuna.records.projections import reps_hold
from kizuna.records.selectors import latest_statement_id
from kizuna.records.services import Activity, statement_record, statement_void

from . import vocab
from .ical import invitation_ics
from .models import LiveAudience, LiveSession, Registration

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.media.models import Video
else:
    User = get_user_model()

# Reps may check in from this long before the start until the end.
CHECKIN_OPENS_BEFORE = timedelta(minutes=15)
# The day-before reminder goes out when the session is between this far and a day away.
DAY_REMINDER_AFTER = timedelta(hours=20)
MAX_DURATION_MINUTES = 8 * 60
MAX_ATTENDANCE_ROWS = 5000
ATTENDANCE_BATCH = 50  # attendances per transaction: each records a statement and its projections
# The one column an attendance list needs; named in either language (or as attendance reports name it).
ATTENDANCE_EMAIL = Column("email", gettext_lazy("E-mail"), (*EMAIL_ALIASES, "user email", "営業担当者のメールアドレス"))


class LiveError(ApplicationError):
    """A change that cannot be made; the message is shown to the user, with ``problems`` listed under it."""

    def __init__(self, message: str, *, field: str | None = None, problems: list[str] | None = None) -> None:
        super().__init__(message, field=field)
        self.problems = problems or []


def session_iri(session: LiveSession) -> str:
    return f"{settings.SITE_URL}/xapi/activities/live-session/{session.key}"


def _activity(session: LiveSession) -> Activity:
    return Activity(iri=session_iri(session), type=vocab.TYPE_MEETING, name={"ja-JP": session.title})


def _notify(**kwargs: Any) -> None:
    from kizuna.notifications.services import notification_send

    notification_send(**kwargs)


def _session_url(session: LiveSession) -> str:
    return reverse("live:live_session", args=[session.pk])


def _when_label(session: LiveSession, person: User) -> str:
    """Return the start as the person reads it ("12月10日(木) 14:00"), in their language, never a zone's IANA name."""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        return datetime_label(session.starts_at)


# --- Scheduling ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    title: str
    description: str
    starts_at: datetime
    duration_minutes: int
    time_zone: str
    join_url: str
    capacity: int | None = None
    waitlist: bool = False
    open_to_all: bool = False


def _check(data: SessionData) -> None:
    if not data.title.strip():
        raise LiveError(_("Enter a title."), field="title")
    if data.time_zone not in zoneinfo.available_timezones():
        raise LiveError(_("Choose a time zone from the list."), field="time_zone")
    if timezone.is_naive(data.starts_at):
        raise LiveError(_("Enter the start date and time."), field="starts_at")
    if not 5 <= data.duration_minutes <= MAX_DURATION_MINUTES:
        raise LiveError(
            _("The duration must be between 5 and %(max)s minutes.") % {"max": MAX_DURATION_MINUTES},
            field="duration_minutes",
        )
    parts = urlsplit(data.join_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LiveError(
            _("The join link must start with https:// (or http://), like the link your meeting service gives you."),
            field="join_url",
        )
    if data.capacity is not None and data.capacity < 1:
        raise LiveError(_("The capacity must be at least 1, or empty for no limit."), field="capacity")


def _check_terms(title: str, description: str) -> None:
    """Refuse to let reps see a session whose title or description uses an unexplained insider term."""
    problems = unexplained_terms_problems(title, description)
    if problems:
        raise LiveError(problems[0], field="description")


def _new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


@transaction.atomic
def live_session_create(*, author: User, data: SessionData) -> LiveSession:
    """Schedule a session; it reaches reps once it is assigned or opened to all."""
    _check(data)
    if data.open_to_all:
        _check_terms(data.title, data.description)
    session = LiveSession.objects.create(
        title=data.title.strip()[:200],
        description=data.description.strip(),
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        time_zone=data.time_zone,
        join_url=data.join_url.strip(),
        capacity=data.capacity,
        waitlist=data.waitlist,
        open_to_all=data.open_to_all,
        checkin_code=_new_code(),
        created_by=author,
    )
    audit_record(
        action=Action.LIVE_SESSION_CREATE,
        actor=author,
        target=session,
        target_label=session.title,
        after=_audited(session),
    )
    return session


def _audited(session: LiveSession) -> dict[str, Any]:
    """What the trail keeps of a session: its settings (the check-in code is a secret of the room, not kept)."""
    return {
        name: getattr(session, name).isoformat() if name == "starts_at" else getattr(session, name)
        for name in SessionData.__dataclass_fields__
    }


@transaction.atomic
def live_session_update(*, session: LiveSession, data: SessionData) -> LiveSession:
    """Change a session; registered reps get the updated calendar invitation."""
    _check(data)
    if data.open_to_all or session.audience.exists():
        _check_terms(data.title, data.description)
    LiveSession.objects.select_for_update().filter(pk=session.pk).first()
    moved = data.starts_at != session.starts_at or data.duration_minutes != session.duration_minutes
    before = _audited(session)
    for name in SessionData.__dataclass_fields__:
        value = getattr(data, name)
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    session.sequence += 1
    session.save()
    old, new = changed_fields(before, _audited(session))
    if old or new:
        audit_record(
            action=Action.LIVE_SESSION_UPDATE, target=session, target_label=session.title, before=old, after=new
        )
    registered = list(session.registrations.filter(status=Registration.Status.REGISTERED).values_list("pk", flat=True))
    transaction.on_commit(lambda: _enqueue_invitations(registered, "REQUEST"))
    if moved:
        for registration in session.registrations.filter(status=Registration.Status.REGISTERED).select_related("rep"):
            _notify(
                recipient=registration.rep,
                kind="live.changed",
                title=gettext_noop("The live session “%(title)s” has moved to %(when)s"),
                params={"title": session.title, "when": _when_label(session, registration.rep)},
                url=_session_url(session),
                email=False,
            )
    return session


def _reps_reached(partner: Organization, team: Team | None = None, rep: User | None = None) -> list[User]:
    if rep is not None:
        return [rep]
    members = active_rep_memberships(partner_ids=[partner.pk]).select_related("user")
    if team is not None:
        members = members.filter(team=team)
    return [m.user for m in members]


@transaction.atomic
def live_audience_add(
    *,
    session: LiveSession,
    assigned_by: User,
    partner: Organization | None = None,
    team: Team | None = None,
    rep: User | None = None,
    notify: bool = True,
) -> LiveAudience:
    """Assign the session to a partner, a team or one rep, and invite them to register."""
    _check_terms(session.title, session.description)
    if rep is not None:
        m = getattr(rep, "membership", None)
        if m is None or m.role != Role.REP:
            raise LiveError(_("Live sessions can only be assigned to reps."), field="rep")
        partner, team = m.organization, None
    elif team is not None:
        partner = team.organization
    if partner is None or partner.kind != Organization.Kind.PARTNER:
        raise LiveError(_("Choose a partner, a team or a rep."))
    with transaction.atomic():
        audience = LiveAudience.objects.create(
            session=session, partner=partner, team=team, rep=rep, assigned_by=assigned_by
        )
        whom = str(rep or team or partner)
        audit_record(  # an assignment like a course's, on the trail of the agency it reaches
            action=Action.ASSIGNMENT_CREATE,
            actor=assigned_by,
            target=audience,
            target_label=f"{session.title} → {whom}",
            organization_id=partner.pk,
            after={"live_session": session.title, "to": whom},
        )
    if notify and session.starts_at > timezone.now():
        for person in _reps_reached(partner, team, rep):
            _notify(
                recipient=person,
                kind="live.assigned",
                title=gettext_noop("You are invited to the live session “%(title)s” (%(when)s)"),
                body=gettext_noop("Register to get a calendar invitation and reminders."),
                params={"title": session.title, "when": _when_label(session, person)},
                url=_session_url(session),
                dedupe_key=f"live:assigned:{session.pk}",
            )
    return audience


# --- Registration -----------------------------------------------------------------------------


def _record_registered(
    session: LiveSession, rep: User, statement_id: uuid.UUID | None = None, timestamp: datetime | None = None
) -> None:
    statement_record(
        actor=rep, verb=vocab.REGISTERED, activity=_activity(session), statement_id=statement_id, timestamp=timestamp
    )


@transaction.atomic
def live_register(
    *,
    session: LiveSession,
    rep: User,
    statement_id: uuid.UUID | None = None,
    now: datetime | None = None,
    invite: bool = True,
) -> Registration:
    """Register a rep (the caller checked they may see the session): a seat, the waiting list, or a refusal."""
    now = now or timezone.now()
    reps_hold(rep.pk)  # before the session's lock: a rebuild of the rep ends first, nobody waits behind it
    LiveSession.objects.select_for_update().filter(pk=session.pk).first()  # one seat count at a time
    if session.ends_at <= now:
        raise LiveError(_("This live session has already ended."))
    m = getattr(rep, "membership", None)
    if m is None or m.role != Role.REP:
        raise LiveError(_("Only reps can register."))
    registration = Registration.objects.filter(session=session, rep=rep).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return registration
    taken = session.registrations.filter(status=Registration.Status.REGISTERED).count()
    if session.capacity is None or taken < session.capacity:
        status = Registration.Status.REGISTERED
    elif session.waitlist:
        status = Registration.Status.WAITLISTED
    else:
        raise LiveError(_("This live session is full."))
    if registration is None:
        registration = Registration(session=session, rep=rep, partner_id=m.organization_id)
    registration.status, registration.registered_at = status, now
    registration.save()
    if status == Registration.Status.REGISTERED:
        _confirm(registration, statement_id, timestamp=now, invite=invite)
    return registration


def _confirm(
    registration: Registration,
    statement_id: uuid.UUID | None = None,
    *,
    timestamp: datetime | None = None,
    invite: bool = True,
) -> None:
    """Record the seat, and send the calendar invitation once the transaction has stored it."""
    _record_registered(registration.session, registration.rep, statement_id, timestamp)
    registration_id = registration.pk
    if invite:
        transaction.on_commit(lambda: _enqueue_invitations([registration_id], "REQUEST"))


@transaction.atomic
def live_unregister(*, session: LiveSession, rep: User) -> Registration | None:
    """Give up a seat (or a place on the waiting list); the first one waiting gets the seat."""
    reps_hold(rep.pk)  # before the session's lock: a rebuild of the rep ends first, nobody waits behind it
    LiveSession.objects.select_for_update().filter(pk=session.pk).first()
    registration = Registration.objects.filter(session=session, rep=rep).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return registration
    if registration.attended_at is not None:
        raise LiveError(_("You already attended this live session."))
    had_seat = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status"])
    # The registration statement is withdrawn, so that counts of `registered` stay true.
    registered = latest_statement_id(actor=rep, verb=vocab.REGISTERED.iri, object_iri=_activity(session).iri)
    if registered is not None:
        statement_void(actor=rep, statement_id=registered)
    if had_seat:
        registration_id = registration.pk
        transaction.on_commit(lambda: _enqueue_invitations([registration_id], "CANCEL"))
        waiting = (
            session.registrations.filter(status=Registration.Status.WAITLISTED)
            .select_related("rep", "session")
            .order_by("registered_at", "id")
            .first()
        )
        if waiting is not None and session.ends_at > timezone.now():
            waiting.status = Registration.Status.REGISTERED
            waiting.save(update_fields=["status"])
            _confirm(waiting)
            _notify(
                recipient=waiting.rep,
                kind="live.seat",
                title=gettext_noop("A seat opened up: you are registered for “%(title)s”"),
                params={"title": session.title},
                url=_session_url(session),
                email=False,
            )
    return registration


def _enqueue_invitations(registration_ids: list[int], method: str) -> None:
    from .tasks import send_invitations_task

    if registration_ids:
        send_invitations_task.enqueue(registration_ids, method)


def live_invitations_send(*, registration_ids: list[int], method: str) -> int:
    """E-mail each registration its calendar invitation (REQUEST) or cancellation (CANCEL); return how many."""
    registrations = Registration.objects.filter(pk__in=registration_ids).select_related("rep", "session")
    sent = 0
    for registration in registrations:
        session, rep = registration.session, registration.rep
        with translation.override(rep.language or settings.LANGUAGE_CODE):
            if method == "CANCEL":
                subject = _("Cancelled: %(title)s") % {"title": session.title}
                body = _("Your registration for the live session “%(title)s” (%(when)s) is cancelled.")
            else:
                subject = _("Invitation: %(title)s") % {"title": session.title}
                body = _(
                    "You are registered for the live session “%(title)s”.\n\nStart: %(when)s\nJoin link: %(link)s\n\n"
                    "The calendar invitation is attached: open it to add the session to your calendar."
                )
            body = body % {"title": session.title, "when": _when_label(session, rep), "link": session.join_url}
        message = EmailMultiAlternatives(subject=subject, body=body, to=[rep.email])
        part = MIMEText(invitation_ics(session=session, rep=rep, method=method).decode(), "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="invite.ics")
        message.attach(part)
        message.send()
        sent += 1
    return sent


# --- Reminders ----------------------------------------------------------------------------------


def live_reminders_send(*, now: datetime | None = None) -> int:
    """Remind registered reps a day before and an hour before; each reminder goes out once per start time."""
    now = now or timezone.now()
    sessions = LiveSession.objects.filter(starts_at__gt=now, starts_at__lte=now + timedelta(days=1))
    sent = 0
    for session in sessions:
        ahead = session.starts_at - now
        if ahead <= timedelta(hours=1):
            kind = "hour"
        elif ahead > DAY_REMINDER_AFTER:
            kind = "day"
        else:
            continue  # registered less than a day ahead: the invitation was reminder enough
        registrations = session.registrations.filter(status=Registration.Status.REGISTERED).select_related("rep")
        for registration in registrations:
            result = _send_reminder(session, registration.rep, kind)
            sent += result is not None
    return sent


def _send_reminder(session: LiveSession, rep: User, kind: str) -> Any:
    from kizuna.notifications.services import notification_send

    title = (
        gettext_noop("Starting within the hour: “%(title)s” (%(when)s)")
        if kind == "hour"
        else gettext_noop("Reminder: the live session “%(title)s” is on %(when)s")
    )
    return notification_send(
        recipient=rep,
        kind="live.reminder",
        title=title,
        body=gettext_noop("Join link: %(link)s"),
        params={"title": session.title, "when": _when_label(session, rep), "link": session.join_url},
        url=_session_url(session),
        dedupe_key=f"live:{kind}:{session.pk}:{session.starts_at.isoformat()}",
    )


# --- Attendance --------------------------------------------------------------------------------


def checkin_open(session: LiveSession, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return session.starts_at - CHECKIN_OPENS_BEFORE <= now <= session.ends_at


def _attend(session: LiveSession, rep: User, *, source: str, when: datetime) -> Registration:
    m = rep.membership
    registration = Registration.objects.filter(session=session, rep=rep).first()
    if registration is None:
        registration = Registration(
            session=session, rep=rep, partner_id=m.organization_id, registered_at=when, status="registered"
        )
    if registration.attended_at is not None:
        return registration
    if registration.status != Registration.Status.REGISTERED:
        registration.status = Registration.Status.REGISTERED
    registration.attended_at, registration.attendance_source = when, source
    registration.save()
    statement_record(
        actor=rep,
        verb=vocab.ATTENDED,
        activity=_activity(session),
        extensions={vocab.EXT_ATTENDANCE_SOURCE.iri: source},
        # One attendance per rep and session, however often it is reported.
        statement_id=uuid.uuid5(session.key, f"attended:{rep.pk}"),
        timestamp=when,
    )
    return registration


@transaction.atomic
def live_checkin(*, session: LiveSession, rep: User, code: str, now: datetime | None = None) -> Registration:
    """Check a rep in with the code shown during the session (valid only from shortly before the start to the end)."""
    now = now or timezone.now()
    m = getattr(rep, "membership", None)
    if m is None or m.role != Role.REP:
        raise LiveError(_("Only reps can check in."))
    if not checkin_open(session, now):
        raise LiveError(_("Check-in is open only during the session (from 15 minutes before the start)."))
    if not hmac.compare_digest(code.strip().encode(), session.checkin_code.encode()):
        raise LiveError(_("That code is not right. Type the code the host shows in the session."), field="code")
    return _attend(session, rep, source=Registration.Source.CHECKIN, when=now)


def _read_rows(file: IO[bytes]) -> list[tuple[int, list[str]]]:
    """Return the list's non-empty rows with their line in the file (the header is line 1)."""
    raw = file.read(5 * 1024 * 1024 + 1)
    if len(raw) > 5 * 1024 * 1024:
        raise LiveError(_("The file is too large (limit 5MB)."))
    text = decode_csv(raw)
    if text is None:
        raise LiveError(_("Save the list as CSV (UTF-8) and upload it again."))
    try:
        table = csv_table(text)
    except csv.Error:  # a NUL byte, a field past the csv module's size limit
        raise LiveError(_("Save the list as CSV (UTF-8) and upload it again.")) from None
    return [(line, row) for line, row in enumerate(table, 1) if any(cell.strip() for cell in row)]


def reps_expected(session: LiveSession) -> set[int]:
    """Return the ids of the reps the session was meant for: its audience and everyone registered."""
    expected = set(session.registrations.exclude(status=Registration.Status.CANCELLED).values_list("rep_id", flat=True))
    for audience in session.audience.select_related("partner", "team", "rep"):
        expected |= {r.pk for r in _reps_reached(audience.partner, audience.team, audience.rep)}
    return expected


def live_attendance_import(*, session: LiveSession, file: IO[bytes], now: datetime | None = None) -> int:
    """Record attendance from a CSV with an e-mail column; any bad row refuses the whole list, each explained.

    The whole list is checked before anything is written, outside any transaction; then the attendances are
    written ATTENDANCE_BATCH at a time, each batch its own short transaction (a lock timeout is retried), so
    a long list never holds the database's write lock for long. Recording an attendance twice records it
    once: if the process stops part-way, uploading the list again completes it.
    """
    now = now or timezone.now()
    if session.starts_at > now:
        raise LiveError(_("Attendance can be uploaded once the session has started."))
    rows = _read_rows(file)
    if not rows:
        raise LiveError(_("The file is empty."))
    column = header_match(rows[0][1], [ATTENDANCE_EMAIL]).positions.get("email")
    if column is None:
        raise LiveError(_("The first row must name the columns, one of them “email”."))
    if len(rows) - 1 > MAX_ATTENDANCE_ROWS:
        raise LiveError(_("At most %(count)s rows at a time.") % {"count": MAX_ATTENDANCE_ROWS})
    emails = [(number, (row[column] if column < len(row) else "").strip().lower()) for number, row in rows[1:]]
    reps = {
        u.email.lower(): u for u in active_reps().filter(email__in=[e for _n, e in emails]).select_related("membership")
    }
    expected = None if session.open_to_all else reps_expected(session)
    problems, seen, attending = [], set(), []
    for number, email in emails:
        rep = reps.get(email)
        if not email:
            problems.append(_("Row %(row)s: the e-mail is empty.") % {"row": number})
        elif email in seen:
            problems.append(_("Row %(row)s: %(email)s appears twice.") % {"row": number, "email": email})
        elif rep is None:
            problems.append(_("Row %(row)s: no rep has the e-mail %(email)s.") % {"row": number, "email": email})
        elif expected is not None and rep.pk not in expected:
            problems.append(
                _("Row %(row)s: %(email)s was not invited to this session and did not register.")
                % {"row": number, "email": email}
            )
        else:
            attending.append(rep)
        seen.add(email)
    if problems:
        raise LiveError(_("Nothing was recorded. Fix these rows and upload the list again."), problems=problems)
    for start in range(0, len(attending), ATTENDANCE_BATCH):
        batch = attending[start : start + ATTENDANCE_BATCH]

        def write(batch: list[Any] = batch) -> None:
            for rep in batch:
                _attend(session, rep, source=Registration.Source.UPLOAD, when=session.starts_at)

        atomic_with_lock_retries(write, what=f"live attendance {session.pk}")
    return len(attending)


# --- Recording -----------------------------------------------------------------------------------


def live_recording_attach(*, session: LiveSession, video: "Video") -> LiveSession:
    """Keep the recording's video (uploaded through the media pipeline) with the session."""
    if session.recording_course_id is not None:
        raise LiveError(_("The recording is already published."))
    session.recording_video = video
    session.save(update_fields=["recording_video"])
    return session


@transaction.atomic
def live_recording_publish(*, session: LiveSession, publisher: User, due_at: datetime | None = None) -> Any:
    """Publish the recording as a one-lesson video course and assign it to each expected rep who missed the session."""
    from kizuna.catalog import services as catalog

    LiveSession.objects.select_for_update().filter(pk=session.pk).first()
    session.refresh_from_db()
    video = session.recording_video
    if session.recording_course_id is not None:
        raise LiveError(_("The recording is already published."))
    if video is None or not video.is_ready:
        raise LiveError(_("The recording is not ready yet. Wait until the video is converted, then publish."))
    if session.ends_at > timezone.now():
        raise LiveError(_("Publish the recording after the session has ended."))
    if due_at is not None and due_at <= timezone.now():
        raise LiveError(_("The due date must be in the future."))
    with translation.override(settings.LANGUAGE_CODE):
        course_title = _("%(title)s (recording)") % {"title": session.title}
        module_title = _("Recording")
    try:
        course = catalog.course_create(
            author=publisher,
            title=course_title[:200],
            slug=f"live-{session.key.hex[:12]}",
            summary=session.description,
        )
        module = catalog.module_create(course=course, title=module_title)
        catalog.lesson_create(
            module=module,
            kind="video",
            title=session.title,
            body=session.description,
            video=video,
            estimated_minutes=max(1, round((video.duration_seconds or 60) / 60)),
        )
        catalog.course_publish(course=course, publisher=publisher)
    except catalog.CatalogError as error:
        raise LiveError(str(error)) from None
    session.recording_course = course
    session.save(update_fields=["recording_course"])
    attended = set(session.registrations.filter(attended_at__isnull=False).values_list("rep_id", flat=True))
    missed = sorted(reps_expected(session) - attended)
    for rep in User.objects.filter(pk__in=missed, is_active=True).select_related("membership__organization"):
        catalog.assignment_create(
            course=course, assigned_by=publisher, required=due_at is not None, due_at=due_at, rep=rep
        )
        _notify(
            recipient=rep,
            kind="live.recording",
            title=gettext_noop("The recording of “%(title)s” is ready to watch"),
            params={"title": session.title},
            url=reverse("learning:course", args=[course.pk]),
            dedupe_key=f"live:recording:{session.pk}",
        )
    return course
