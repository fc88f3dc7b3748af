"""Reads of success stories: who sees which (partner isolation through kizuna.orgs.access), and the lists.

- a rep sees the stories about them;
- a partner manager sees their agency's stories and nominates their reps;
- coaches and admins see and nominate everyone; authors (and admins) turn interviews into lessons.
Everything else answers 404.
"""

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from kizuna.orgs.access import Role, can_nominate_success, has_role, membership_of, visible_partners, visible_reps

from .models import SuccessStory

if TYPE_CHECKING:
    from kizuna.accounts.models import User

NOMINATOR_ROLES = (Role.ADMIN, Role.COACH, Role.MANAGER)
AUTHOR_ROLES = (Role.ADMIN, Role.AUTHOR)


def can_nominate(user: Any) -> bool:
    return can_nominate_success(user)


def can_write_lessons(user: Any) -> bool:
    return has_role(user, *AUTHOR_ROLES)


def stories_visible_to(user: Any) -> QuerySet[SuccessStory]:
    m = membership_of(user)
    stories = SuccessStory.objects.select_related("rep", "partner", "nominated_by", "course", "video")
    if m is None:
        return stories.none()
    if m.is_principal_staff:
        return stories
    if m.role == Role.MANAGER:
        return stories.filter(partner__in=visible_partners(user))
    if m.role == Role.REP:
        return stories.filter(rep=user)
    return stories.none()


def access_story_for_user(user: Any, story_id: int) -> SuccessStory:
    try:
        return stories_visible_to(user).get(pk=story_id)
    except (SuccessStory.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_story_for_rep(user: Any, story_id: int) -> SuccessStory:
    """The story about this rep (the one who consents and answers), or 404."""
    story = access_story_for_user(user, story_id)
    if story.rep_id != user.pk:
        raise Http404
    return story


def access_story_for_author(user: Any, story_id: int) -> SuccessStory:
    if not can_write_lessons(user):
        raise Http404
    return access_story_for_user(user, story_id)


def nominee_choices(user: Any) -> QuerySet["User"]:
    """The reps this person may nominate: their agency's for a manager, everyone's for coaches and admins."""
    if not can_nominate(user):
        return visible_reps(user).none()
    return visible_reps(user).select_related("membership__organization").order_by("name")


def stories_list(user: Any, *, status: str = "") -> QuerySet[SuccessStory]:
    stories = stories_visible_to(user)
    if status in SuccessStory.Status.values:
        stories = stories.filter(status=status)
    return stories.order_by("-nominated_at", "-id")


def stories_waiting_for_author(user: Any) -> QuerySet[SuccessStory]:
    """Interviews answered (and drafts not yet published), oldest first: what an author turns into lessons."""
    if not can_write_lessons(user):
        return SuccessStory.objects.none()
    waiting = Q(status=SuccessStory.Status.INTERVIEWED) | Q(status=SuccessStory.Status.DRAFTED)
    return stories_visible_to(user).filter(waiting).order_by("interviewed_at", "id")


def story_video_lets_watch(user: Any, video_id: int) -> bool:
    """A story's recording is watched by whoever may see the story (the rep, their manager, principal staff)."""
    return stories_visible_to(user).filter(video_id=video_id).exists()


def stories_showing_video(video_id: int) -> list[str]:
    return list(SuccessStory.objects.filter(video_id=video_id).order_by("pk").values_list("headline", flat=True))
