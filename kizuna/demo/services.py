"""Load the demo: people, real short videos, five published courses, assignments and five weeks of learning.

Everything goes through the real services (orgs, media, catalog, records), so
statements, projections and dashboards are exactly what production would show.
The whole load is one transaction: it either happens completely or not at all.
"""

import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kizuna.catalog import selectors as catalog_selectors
from kizuna.catalog import services as catalog
from kizuna.media import services as media
from kizuna.media.hls import video_hls_package
from kizuna.ops.progress import QUIET, Progress
from kizuna.ops.storage import stored_delete_folder
from kizuna.orgs import services as orgs
from kizuna.orgs.models import Membership, Organization, Team
from kizuna.records.services import projections_eager

from . import activity, content
from .agreements import seed_agreements
from .assessments import seed_assessments
from .certification import seed_certification
from .coaching import seed_coaching
from .community import seed_community
from .feedback import seed_feedback
from .freshness import seed_freshness
from .gamification import seed_gamification
from .guidance import seed_guidance
from .kpis import seed_kpis
from .live import seed_live
from .packages import seed_packages
from .people import PARTNERS, PASSWORD, PRINCIPAL_NAME, PRINCIPAL_SLUG, SCRIPTED, SIGN_INS, STAFF
from .plain import seed_plain
from .scenarios import seed_scenarios
from .stories import seed_stories
from .surveys import seed_surveys
from .updates import seed_updates
from .videos import VideoScript, video_render

if TYPE_CHECKING:
    from kizuna.accounts.models import User

RANDOM_SEED = 20240401  # the same history on every machine


class DemoSeedError(Exception):
    """The demo could not be loaded; nothing was written."""


@dataclass(frozen=True)
class Plan:
    """When a course was published and assigned, in days before today, and to whom."""

    published_days_ago: int
    assigned_days_ago: int
    due_in_days: int | None  # negative: already past; None: optional
    team: tuple[str, str] | None = None  # (partner slug, team name) for a one-team assignment


PLANS = {
    content.PRODUCT_BASICS.slug: Plan(38, 37, -9),  # required, overdue for whoever has not finished
    content.FOUNDER_STORY.slug: Plan(38, 37, 2),  # required, due the day after tomorrow
    content.CUSTOMER_VOICE.slug: Plan(31, 30, 16),  # required
    content.FAILURE_CASE.slug: Plan(25, 24, None),  # optional for everyone
    content.PRICE_QUESTIONS.slug: Plan(18, 17, 10, team=("partner-a", "東京第1チーム")),  # one team only
}


@dataclass(frozen=True)
class SeedResult:
    created: bool
    people: int = 0
    courses: int = 0
    videos: int = 0
    steps: int = 0
    seconds: float = 0.0


def demo_is_loaded() -> bool:
    """The demo is there once a principal organization exists (the seed never touches a set-up site)."""
    return Organization.objects.filter(kind=Organization.Kind.PRINCIPAL).exists()


def demo_sign_ins() -> list[tuple[str, str, str, str]]:
    """Return (e-mail, role, organization, password) of the demo's sign-ins that exist."""
    memberships = Membership.objects.filter(user__email__in=SIGN_INS).select_related("user", "organization")
    by_email = {m.user.email: m for m in memberships}
    return [
        (email, by_email[email].get_role_display(), by_email[email].organization.name, PASSWORD)
        for email in SIGN_INS
        if email in by_email
    ]


def _at(now: datetime, days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localtime(now).date() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute), timezone.get_current_timezone())


# --- People -----------------------------------------------------------------------------------


@dataclass
class Cast:
    principal: Organization
    staff: dict[str, "User"]  # by role
    partners: dict[str, Organization]
    teams: dict[tuple[str, str], Team]
    reps: list[tuple["User", str]]  # (user, pace), in a fixed order


def _person(*, password: str, joined: datetime, **kwargs: Any) -> "User":
    user = orgs.person_create(send_invitation=False, **kwargs)
    # One hash for everyone: hashing the same password thirty times would dominate the seed's time.
    user.password = password
    user.date_joined = joined
    user.save(update_fields=["password", "date_joined"])
    return user


def people_create(*, now: datetime) -> Cast:
    password = make_password(PASSWORD)
    joined = _at(now, 42, 10)
    principal = Organization.objects.create(name=PRINCIPAL_NAME, slug=PRINCIPAL_SLUG, kind=Organization.Kind.PRINCIPAL)
    staff: dict[str, User] = {}
    for person in STAFF:
        staff[person.role] = _person(
            password=password,
            joined=joined,
            name=person.name,
            email=person.email,
            organization=principal,
            role=person.role,
            invited_by=staff.get("admin"),
        )
    admin = staff["admin"]
    partners: dict[str, Organization] = {}
    teams: dict[tuple[str, str], Team] = {}
    reps: list[tuple[User, str]] = []
    for spec in PARTNERS:
        partner = orgs.partner_create(name=spec.name, slug=spec.slug)
        partners[spec.slug] = partner
        for team_name in spec.teams:
            teams[spec.slug, team_name] = orgs.team_create(organization=partner, name=team_name)
        _person(
            password=password,
            joined=joined,
            name=spec.manager,
            email=spec.manager_email,
            organization=partner,
            role=Membership.Role.MANAGER,
            team=teams[spec.slug, spec.teams[0]],
            invited_by=admin,
        )
        for index, rep in enumerate(spec.reps, start=1):
            user = _person(
                password=password,
                joined=joined,
                name=rep.name,
                email=spec.rep_email(index),
                organization=partner,
                role=Membership.Role.REP,
                team=teams[spec.slug, rep.team],
                invited_by=admin,
            )
            reps.append((user, rep.pace))
    return Cast(principal=principal, staff=staff, partners=partners, teams=teams, reps=reps)


# --- Videos -----------------------------------------------------------------------------------


def videos_render(*, workdir: Path, log: Callable[[str], None], progress: Progress = QUIET) -> dict[VideoScript, Path]:
    """Make every demo video's MP4 with espeak-ng and ffmpeg (no database involved)."""
    rendered: dict[VideoScript, Path] = {}
    scripts = progress.track(content.video_scripts(), description=_("Making the demo videos"))
    for index, script in enumerate(scripts, start=1):
        path, seconds = video_render(script=script, workdir=workdir / f"video{index}")
        log(_("Made the video “%(title)s” (%(seconds)s s).") % {"title": script.title, "seconds": round(seconds)})
        rendered[script] = path
    return rendered


def videos_create(
    *,
    rendered: dict[VideoScript, Path],
    uploaded_by: "User",
    made: list[str],
    log: Callable[[str], None],
    progress: Progress = QUIET,
) -> dict[VideoScript, Any]:
    """Upload each made video through the media services and transcode it now, so it is ready to publish."""
    videos: dict[VideoScript, Any] = {}
    for script, path in progress.track(list(rendered.items()), description=_("Transcoding the demo videos")):
        with path.open("rb") as handle:
            try:
                video = media.video_create(uploaded_by=uploaded_by, file=File(handle), title=script.title)
            except media.MediaError as error:
                raise DemoSeedError(f"The demo video “{script.title}” was refused: {error.message}") from error
        made.append(video.original.name.rsplit("/", 1)[0])
        video = media.video_transcode(video=video)
        if not video.is_ready:
            raise DemoSeedError(f"The demo video “{script.title}” could not be transcoded: {video.error}")
        # Adaptive streaming too, as every upload gets it (the demo's 360p videos make one rendition: quick).
        video = video_hls_package(video=video)
        videos[script] = video
    if videos:
        log(
            ngettext("Transcoded %(count)s video.", "Transcoded %(count)s videos.", len(videos))
            % {"count": len(videos)}
        )
    return videos


# --- Courses ----------------------------------------------------------------------------------


def courses_create(*, cast: Cast, videos: dict[VideoScript, Any], now: datetime) -> dict[str, tuple[Any, list[Any]]]:
    """Write, publish and assign the five courses; return {slug: (course, published lessons in order)}."""
    author, admin = cast.staff["author"], cast.staff["admin"]
    product = catalog.product_create(name=content.PRODUCT_NAME, slug=content.PRODUCT_SLUG)
    tags = catalog.story_tags_ensure()
    tags |= {
        slug: catalog.tag_create(kind="topic", slug=slug, name_ja=ja, name_en=en) for slug, ja, en in content.TOPIC_TAGS
    }
    published: dict[str, tuple[Any, list[Any]]] = {}
    for spec in content.COURSES:
        plan = PLANS[spec.slug]
        course = catalog.course_create(
            author=author,
            title=spec.title,
            slug=spec.slug,
            summary=spec.summary,
            product=product,
            tags=[tags[slug] for slug in (*spec.story_tags, *spec.topic_tags)],
        )
        for module_spec in spec.modules:
            module = catalog.module_create(course=course, title=module_spec.title)
            for lesson in module_spec.lessons:
                # Without videos (--no-video) a video lesson becomes an article of what the video says.
                video = videos.get(lesson.video) if lesson.video is not None else None
                catalog.lesson_create(
                    module=module,
                    kind="video" if video is not None else "article",
                    title=lesson.title,
                    body=lesson.body,
                    video=video,
                    estimated_minutes=lesson.minutes,
                )
        version = catalog.course_publish(course=course, publisher=author, when=_at(now, plan.published_days_ago, 10))
        assigned_at = _at(now, plan.assigned_days_ago, 9, 30)
        due_at = None if plan.due_in_days is None else _at(now, -plan.due_in_days, 23, 59)
        targets: list[dict[str, Any]]
        if plan.team is not None:
            targets = [{"team": cast.teams[plan.team]}]
        else:
            targets = [{"partner": partner} for partner in cast.partners.values()]
        for target in targets:
            catalog.assignment_create(
                course=course, assigned_by=admin, required=due_at is not None, due_at=due_at, when=assigned_at, **target
            )
        lessons = [lesson for _module, items in catalog_selectors.version_outline(version) for lesson in items]
        published[spec.slug] = (course, lessons)
    return published


# --- Learning history -------------------------------------------------------------------------


def history_plan(*, cast: Cast, published: dict[str, tuple[Any, list[Any]]], now: datetime) -> list[activity.Step]:
    """Plan every rep's five weeks from the courses that actually reach them (the real assignment rules).

    Each rep has random generators of their own, seeded from RANDOM_SEED and their e-mail address,
    so the history is the same on every machine and one rep's history never shifts another's.
    """
    by_course_id = {course.pk: (slug, lessons) for slug, (course, lessons) in published.items()}
    steps: list[activity.Step] = []
    for rep, pace in cast.reps:
        tasks: dict[str, activity.CourseTask] = {}
        for assignment in catalog_selectors.assignments_for_rep(rep):
            slug, lessons = by_course_id[assignment.course_id]
            plan = PLANS[slug]
            tasks[slug] = activity.CourseTask(
                lessons=tuple(lessons), available_at=_at(now, plan.assigned_days_ago, 9, 30), due_at=assignment.due_at
            )
        rng = random.Random(f"{RANDOM_SEED}:{rep.email}:when")
        if pace == SCRIPTED:
            steps += activity.scripted_rep_plan(
                rep=rep,
                done=tasks[content.PRODUCT_BASICS.slug],
                started=tasks[content.FOUNDER_STORY.slug],
                rng=rng,
                now=now,
            )
        else:
            fate = random.Random(f"{RANDOM_SEED}:{rep.email}:how-far")
            steps += activity.rep_plan(rep=rep, pace_name=pace, tasks=list(tasks.values()), rng=rng, fate=fate, now=now)
    return steps


# --- The whole load ---------------------------------------------------------------------------


# Each capability adds its own demo content once the people, product and courses exist.
# In this order: agreements, certifications and KPIs read the learning the earlier seeds made, and
# gamification re-scores everything at the end.
FEATURE_SEEDS = (
    seed_assessments,
    seed_updates,
    seed_scenarios,
    seed_coaching,
    seed_community,
    seed_feedback,
    seed_surveys,
    seed_live,
    seed_agreements,
    seed_certification,
    seed_kpis,
    seed_gamification,
    seed_guidance,
    seed_freshness,
    seed_stories,
    seed_plain,
    seed_packages,
)


def demo_seed(
    *,
    with_video: bool = True,
    log: Callable[[str], None] | None = None,
    now: datetime | None = None,
    progress: Progress = QUIET,
) -> SeedResult:
    """Load the demo once; a site that already has a principal is left alone (returns created=False)."""
    say = log or (lambda _message: None)
    if demo_is_loaded():
        return SeedResult(created=False)
    started = time.monotonic()
    now = now or timezone.now()
    made: list[str] = []  # stored video folders, removed again if the load fails
    with tempfile.TemporaryDirectory(prefix="kizuna-demo-") as tmp:
        rendered = videos_render(workdir=Path(tmp), log=say, progress=progress) if with_video else {}
        try:
            # The history is written in the order it happened and later steps read points and certifications.
            with transaction.atomic(), projections_eager():
                cast = people_create(now=now)
                people = len(cast.reps) + len(STAFF) + len(PARTNERS)
                say(
                    ngettext(
                        "Created %(count)s person: the principal's staff and the partners' managers and reps.",
                        "Created %(count)s people: the principal's staff and the partners' managers and reps.",
                        people,
                    )
                    % {"count": people}
                )
                videos = videos_create(
                    rendered=rendered, uploaded_by=cast.staff["author"], made=made, log=say, progress=progress
                )
                published = courses_create(cast=cast, videos=videos, now=now)
                say(
                    ngettext(
                        "Published and assigned %(count)s course.",
                        "Published and assigned %(count)s courses.",
                        len(published),
                    )
                    % {"count": len(published)}
                )
                steps = history_plan(cast=cast, published=published, now=now)
                played = activity.steps_play(steps, progress=progress)
                say(
                    ngettext(
                        "Recorded %(count)s learning event of the last five weeks.",
                        "Recorded %(count)s learning events of the last five weeks.",
                        played,
                    )
                    % {"count": played}
                )
                features = _("Adding quizzes, updates, scenarios and the rest")
                for seed in progress.track(FEATURE_SEEDS, description=features):
                    seed(now=now)
        except BaseException:
            for folder in made:
                stored_delete_folder(folder)
            raise
    return SeedResult(
        created=True,
        people=people,
        courses=len(published),
        videos=len(videos),
        steps=played,
        seconds=round(time.monotonic() - started, 1),
    )
