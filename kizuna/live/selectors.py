"""Reads of live sessions: which sessions a person may see, who may host, and who registered."""

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kizuna.orgs.access import Role, has_role, membership_of, visible_reps

from .models import LiveAudience, LiveSession, Registration

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.media.models import Video

HOST_ROLES = (Role.ADMIN, Role.AUTHOR)


def can_host(user: "User") -> bool:
    """Whether the person schedules sessions, records attendance and publishes recordings."""
    return has_role(user, *HOST_ROLES)


def sessions_for(user: "User") -> QuerySet[LiveSession]:
    """Return the sessions this person may see: all for the principal's staff; open or assigned ones otherwise."""
    m = membership_of(user)
    sessions = LiveSession.objects.all()
    if m is None:
        return sessions.none()
    if m.is_principal_staff:
        return sessions
    if m.is_manager:
        assigned = LiveAudience.objects.filter(session=OuterRef("pk"), partner_id=m.organization_id)
        return sessions.filter(Q(open_to_all=True) | Q(Exists(assigned)))
    if m.is_rep:
        reaching = LiveAudience.objects.filter(session=OuterRef("pk"), partner_id=m.organization_id).filter(
            Q(team__isnull=True, rep__isnull=True) | Q(team_id=m.team_id, rep__isnull=True) | Q(rep_id=user.pk)
        )
        mine = Registration.objects.filter(session=OuterRef("pk"), rep_id=user.pk)
        return sessions.filter(Q(open_to_all=True) | Q(Exists(reaching)) | Q(Exists(mine)))
    return sessions.none()


def recording_course_ids(user: "User") -> QuerySet[LiveSession, Any]:
    """Return (as a one-column query) the published recordings' courses of the sessions this person may see.

    A recording is an archive for everyone the session was for (attended or not), so the catalog opens
    these courses to them (catalog.openers), as it does the courses assigned to them.
    """
    return sessions_for(user).filter(recording_course__isnull=False).values("recording_course_id")


def recording_lets_watch(user: "User", video_id: int) -> bool:
    """Whether the video is the published recording of a session this person may see (media.uses)."""
    return sessions_for(user).filter(recording_video_id=video_id, recording_course__isnull=False).exists()


def sessions_showing_video(video_id: int) -> list[str]:
    """Return the titles of the sessions whose recording is this video, published or not (media.uses)."""
    titles = LiveSession.objects.filter(recording_video_id=video_id).order_by("pk").values_list("title", flat=True)
    return [_("Live session: %(title)s") % {"title": title} for title in titles]


def published_recording(session: LiveSession) -> "Video | None":
    """Return the session's recording once it is published and ready to play, else None."""
    video = session.recording_video
    if session.recording_course_id is None or video is None or not video.is_ready:
        return None
    return video


def access_session_for_user(user: "User", live_session_id: int) -> LiveSession:
    try:
        return sessions_for(user).select_related("recording_video", "recording_course").get(pk=live_session_id)
    except (LiveSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_session_for_host(user: "User", live_session_id: int) -> LiveSession:
    if not can_host(user):
        raise Http404
    return access_session_for_user(user, live_session_id)


def session_list(user: "User") -> QuerySet[LiveSession]:
    seats = Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED))
    return sessions_for(user).annotate(seats_taken=seats).order_by("starts_at", "id")


def my_registrations(rep: "User") -> dict[int, Registration]:
    """Return the rep's registrations by session id."""
    return {r.session_id: r for r in Registration.objects.filter(rep=rep)}


def registration_of(*, session: LiveSession, rep: "User") -> Registration | None:
    return Registration.objects.filter(session=session, rep=rep).first()


def seats_taken(session: LiveSession) -> int:
    return session.registrations.filter(status=Registration.Status.REGISTERED).count()


def registrations_visible(user: "User", session: LiveSession) -> QuerySet[Registration]:
    """Return the session's registrations this person may see: all for the principal, their agency's for a manager."""
    m = membership_of(user)
    registrations = session.registrations.exclude(status=Registration.Status.CANCELLED).select_related("rep", "partner")
    if m is None:
        return registrations.none()
    if m.role in (Role.ADMIN, Role.AUTHOR, Role.COACH):
        return registrations.order_by("partner__name", "rep__name")
    if m.is_manager:
        return registrations.filter(partner_id=m.organization_id).order_by("rep__name")
    return registrations.none()


def audience_of(session: LiveSession, user: "User") -> list[LiveAudience]:
    """Return who the session is assigned to, as far as this person may see (a manager: their agency)."""
    m = membership_of(user)
    audience = session.audience.select_related("partner", "team", "rep")
    if m is not None and m.is_manager:
        audience = audience.filter(partner_id=m.organization_id)
    elif m is None or not m.is_principal_staff:
        return []
    return list(audience)


def rep_by_email(user: "User", email: str) -> "User | None":
    """Return the rep with this e-mail among those the person may see, or None."""
    return visible_reps(user).filter(email__iexact=email.strip()).select_related("membership__organization").first()


def rep_registrations(rep: "User") -> QuerySet[Registration]:
    return (
        Registration.objects.filter(rep=rep)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("session")
        .order_by("-session__starts_at")
    )
