"""Reads of content: published courses and lessons, who may open them, and what is assigned to whom."""

import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuna.media.selectors import access_video_for_uploader
from kizuna.ops.repcache import kept, kept_shared
from kizuna.orgs.access import Role, can_author, can_manage_people, membership_of, visible_partners
from kizuna.records import vocab

from .kinds import content_kind, lesson_kinds
from .models import Assignment, Course, CourseVersion, Lesson, LessonKind, Module, Product, PublishedLesson, Tag
from .openers import course_openers

if TYPE_CHECKING:
    from kizuna.accounts.models import User


@dataclass(frozen=True)
class LessonRef:
    """The few fields of a published lesson that lists need (no model instance on hot pages)."""

    pk: int
    version_id: int
    title: str
    kind: str
    estimated_minutes: int


def lesson_kind_label(kind: str) -> str:
    """Return the kind of a lesson as people read it ("動画", "quiz"), in the active language."""
    try:
        return str(LessonKind(kind).label)
    except ValueError:
        return kind


# Published versions never change, so each process keeps their lesson lists, keyed by (version id, publish
# time): an id reused after a database reset can never bring back another version's lessons.
_OUTLINES: OrderedDict[tuple[int, datetime], tuple[LessonRef, ...]] = OrderedDict()
_OUTLINES_MAX = 5000


def published_lessons(versions: Iterable[tuple[int, datetime]]) -> dict[int, tuple[LessonRef, ...]]:
    """Return {version id: its lessons in order} for (version id, published_at) pairs; one query for unseen ones."""
    wanted = set(versions)
    missing = [key for key in wanted if key not in _OUTLINES]
    if missing:
        fetched: dict[int, list[LessonRef]] = {}
        rows = (
            PublishedLesson.objects.filter(version_id__in=[version_id for version_id, _at in missing])
            .order_by("position")
            .values_list("id", "version_id", "title", "kind", "estimated_minutes")
        )
        for values in rows:
            fetched.setdefault(values[1], []).append(LessonRef(*values))
        for key in missing:
            _OUTLINES[key] = tuple(fetched.get(key[0], ()))
        while len(_OUTLINES) > _OUTLINES_MAX:
            _OUTLINES.popitem(last=False)
    return {version_id: _OUTLINES[(version_id, at)] for version_id, at in wanted}


def version_lesson_count(*, version_id: int) -> int:
    return CourseVersion.objects.filter(pk=version_id).values_list("lesson_count", flat=True).first() or 0


def scored_lesson_choices() -> list[tuple[uuid.UUID, str]]:
    """(lesson key, "course: lesson") of the scored lessons (catalog.kinds) in each course's latest version.

    A lesson's key stays the same across versions, so a requirement on its score outlives a republication.
    """
    kinds = [kind for kind, _label in lesson_kinds() if (owner := content_kind(kind)) is not None and owner.scored]
    latest = Course.objects.filter(latest_version__isnull=False).values("latest_version_id")
    rows = (
        PublishedLesson.objects.filter(kind__in=kinds, version_id__in=latest)
        .order_by("version__title", "position")
        .values_list("key", "version__title", "title")
    )
    return [(key, f"{course}: {title}") for key, course, title in rows]


def course_iri(course: Course | Any) -> str:
    return f"{settings.SITE_URL}/xapi/activities/course/{course.key}"


def lesson_activity_data(lesson: PublishedLesson) -> dict[str, Any]:
    """Return the xAPI activity of a published lesson: its IRI, type, name and parents."""
    version = lesson.version
    course = version.course
    return {
        "iri": f"{settings.SITE_URL}/xapi/activities/lesson/{lesson.key}/v{version.number}",
        "type": vocab.TYPE_VIDEO if lesson.kind == "video" else vocab.TYPE_LESSON,
        "name": {"ja-JP": lesson.title},
        "course_id": course.pk,
        "course_version_id": version.pk,
        "lesson_id": lesson.pk,
        "parents": [course_iri(course)],
    }


def course_activity_data(version: CourseVersion) -> dict[str, Any]:
    return {
        "iri": course_iri(version.course),
        "type": vocab.TYPE_COURSE,
        "name": {"ja-JP": version.title},
        "course_id": version.course_id,
        "course_version_id": version.pk,
    }


# --- Which assignments reach which rep -----------------------------------------------------------
# An assignment reaches a rep of its partner when it is to the whole partner, to the rep's team, or to the rep
# alone. The rule is written here once for the database (assignments_reaching_q) and once in Python
# (_reach_key and _rep_reach_keys, behind AssignmentReach and rep_assigned_courses) for pages that resolve many
# reps in one pass; tests/test_assignment_reach.py holds the two to the same meaning.

ReachKey = tuple[int, str, int]  # (partner id, "partner" | "team" | "rep", that partner's, team's or rep's id)
T = TypeVar("T")


def assignments_reaching_q(*, partner_id: int, team_id: int | None, rep_id: int) -> Q:
    """Return the condition on Assignment selecting what reaches one rep of a partner (in their team, if any)."""
    return Q(
        Q(partner_id=partner_id, team__isnull=True, rep__isnull=True)
        | Q(team_id=team_id, rep__isnull=True)
        | Q(rep_id=rep_id),
        partner_id=partner_id,
    )


def _reach_key(*, partner_id: int, team_id: int | None, rep_id: int | None) -> ReachKey:
    """Return whom an assignment is to: one rep, else one team, else the whole partner."""
    if rep_id is not None:
        return (partner_id, "rep", rep_id)
    if team_id is not None:
        return (partner_id, "team", team_id)
    return (partner_id, "partner", partner_id)


def _rep_reach_keys(*, partner_id: int, team_id: int | None, rep_id: int) -> tuple[ReachKey, ...]:
    """Return the keys of the assignments that reach a rep: their partner's, their team's and their own."""
    keys = [(partner_id, "partner", partner_id), (partner_id, "rep", rep_id)]
    if team_id is not None:
        keys.append((partner_id, "team", team_id))
    return tuple(keys)


class AssignmentReach(Generic[T]):
    """Assignments (any item per assignment) indexed by whom they are to, to resolve many reps in one pass."""

    def __init__(self) -> None:
        self._items: dict[ReachKey, list[T]] = {}

    def add(self, *, partner_id: int, team_id: int | None, rep_id: int | None, item: T) -> None:
        key = _reach_key(partner_id=partner_id, team_id=team_id, rep_id=rep_id)
        self._items.setdefault(key, []).append(item)

    def reaching(self, *, partner_id: int, team_id: int | None, rep_id: int) -> list[T]:
        """Return the items of the assignments that reach this rep of this partner."""
        keys = _rep_reach_keys(partner_id=partner_id, team_id=team_id, rep_id=rep_id)
        return [item for key in keys for item in self._items.get(key, ())]

    def all(self) -> list[T]:
        """Return the items of every assignment."""
        return [item for items in self._items.values() for item in items]

    def partner_wide(self, partner_id: int) -> list[T]:
        """Return the items of the assignments to the whole partner (they reach every rep of it)."""
        return list(self._items.get((partner_id, "partner", partner_id), ()))

    def targeted(self) -> tuple[set[int], set[int]]:
        """Return the ids of the teams and of the reps that assignments name (not the whole partner)."""
        teams = {key[2] for key in self._items if key[1] == "team"}
        reps = {key[2] for key in self._items if key[1] == "rep"}
        return teams, reps


@dataclass(frozen=True, slots=True)
class AssignedCourse:
    """One assignment as the dashboards read it."""

    course_id: int
    required: bool
    due_at: datetime | None
    title: str  # the latest published version's title, else the draft's


def partner_assignments(*, partner_ids: Iterable[int], required_only: bool = False) -> AssignmentReach[AssignedCourse]:
    """Return the assignments of these partners indexed by whom they reach (one query)."""
    assignments = Assignment.objects.filter(partner_id__in=list(partner_ids))
    if required_only:
        assignments = assignments.filter(required=True)
    reach: AssignmentReach[AssignedCourse] = AssignmentReach()
    for (
        partner_id,
        team_id,
        rep_id,
        course_id,
        required,
        due_at,
        title,
        draft_title,
    ) in assignments.order_by().values_list(
        "partner_id",
        "team_id",
        "rep_id",
        "course_id",
        "required",
        "due_at",
        "course__latest_version__title",
        "course__title",
    ):
        reach.add(
            partner_id=partner_id,
            team_id=team_id,
            rep_id=rep_id,
            item=AssignedCourse(course_id=course_id, required=required, due_at=due_at, title=title or draft_title),
        )
    return reach


def course_assignment_reach(*, course_id: int, partner_ids: Iterable[int]) -> AssignmentReach[tuple[int, datetime]]:
    """Return the assignments of one course to these partners, as (assignment id, created at), by whom they reach."""
    reach: AssignmentReach[tuple[int, datetime]] = AssignmentReach()
    rows = Assignment.objects.filter(course_id=course_id, partner_id__in=list(partner_ids)).order_by()
    for pk, partner_id, team_id, rep_id, created_at in rows.values_list(
        "pk", "partner_id", "team_id", "rep_id", "created_at"
    ):
        reach.add(partner_id=partner_id, team_id=team_id, rep_id=rep_id, item=(pk, created_at))
    return reach


def courses_showing_content(*, kind: str, content_ids: Iterable[int]) -> list[int]:
    """Return the ids of the courses whose latest published version has a lesson of this kind showing one of these
    contents (a scenario version, …): assigning such a course gives that content too."""
    lessons = PublishedLesson.objects.filter(kind=kind, content_id__in=list(content_ids)).values("version_id")
    return list(Course.objects.filter(latest_version__in=lessons).order_by("pk").values_list("pk", flat=True))


def assignments_for_rep(rep: Any) -> QuerySet[Assignment]:
    """Return the assignments that reach this rep: through their partner, their team, or to them alone."""
    m = membership_of(rep)
    if m is None or m.role != Role.REP:
        return Assignment.objects.none()
    return Assignment.objects.filter(
        assignments_reaching_q(partner_id=m.organization_id, team_id=m.team_id, rep_id=rep.pk)
    )


def rep_assigned_courses(rep: "User") -> list[tuple[int, int, str, datetime, bool, datetime | None]]:
    """Return (course id, latest version id, its title, its publish time, required, due) for each assignment
    reaching the rep — the same rule as assignments_for_rep, applied in Python to the partner's published
    assignments: one plain query on the rep home, the hottest page."""
    m = membership_of(rep)
    if m is None or m.role != Role.REP:
        return []
    rows = (
        Assignment.objects.filter(partner_id=m.organization_id, course__latest_version__isnull=False)
        .order_by()
        .values_list(
            "team_id",
            "rep_id",
            "course_id",
            "course__latest_version_id",
            "course__latest_version__title",
            "course__latest_version__published_at",
            "required",
            "due_at",
        )
    )
    reaching = _rep_reach_keys(partner_id=m.organization_id, team_id=m.team_id, rep_id=rep.pk)
    return [
        tuple(row[2:])  # type: ignore[misc]  # values_list rows: (course, version, title, published, required, due)
        for row in rows
        if _reach_key(partner_id=m.organization_id, team_id=row[0], rep_id=row[1]) in reaching
    ]


def course_latest(*, course_ids: Iterable[int]) -> dict[int, tuple[int | None, str]]:
    """Return {course id: (its latest published version id or None, that version's title, else the draft's)}."""
    return {
        pk: (latest_id, latest_title or title)
        for pk, latest_id, latest_title, title in Course.objects.filter(pk__in=course_ids).values_list(
            "pk", "latest_version_id", "latest_version__title", "title"
        )
    }


def published_lesson_rows(*, version_ids: Iterable[int]) -> Iterable[tuple[int, int, str, str, str]]:
    """Return (lesson id, version id, title, kind, module title) of these versions' lessons, in order (one query)."""
    return (
        PublishedLesson.objects.filter(version_id__in=version_ids)
        .order_by("version_id", "position")
        .values_list("pk", "version_id", "title", "kind", "module__title")
    )


def courses_visible_to(user: "User") -> QuerySet[Course]:
    """Return the published courses this person may open: assigned ones, and those a feature opens to them."""
    m = membership_of(user)
    published = Course.objects.filter(latest_version__isnull=False)
    if m is None:
        return published.none()
    if m.is_principal_staff:
        return published
    if m.role == Role.MANAGER:
        reach = Q(pk__in=Assignment.objects.filter(partner_id=m.organization_id).values("course_id"))
    else:
        reach = Q(pk__in=assignments_for_rep(user).values("course_id"))
    for opener in course_openers():
        reach |= Q(pk__in=opener.course_ids(user))
    return published.filter(reach)


def access_course_for_user(user: "User", course_id: int, *, along: tuple[str, ...] = ()) -> Course:
    course_id = _object_id(course_id)
    if course_id not in visible_course_ids(user, along=along):
        raise Http404
    course = kept_shared(
        user,
        f"course:{course_id}",
        lambda: Course.objects.select_related("latest_version").filter(pk=course_id).first(),
    )
    if course is None:
        raise Http404
    return course


def visible_course_ids(user: "User", *, along: tuple[str, ...] = ()) -> frozenset[int]:
    """The ids of the courses ``courses_visible_to`` gives this person, kept until their assignments, their team
    or the content change (ops.repcache); ``along`` names kept parts the page reads next, in the same round trip."""
    return kept(
        user,
        {"visible_courses": lambda: frozenset(courses_visible_to(user).values_list("pk", flat=True))},
        along=along,
    )["visible_courses"]


def _object_id(value: Any) -> int:
    """An id from a URL or a query string, or 404."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


def _published_lesson(lesson_id: int) -> PublishedLesson | None:
    return PublishedLesson.objects.select_related("version__course", "module", "video").filter(pk=lesson_id).first()


def access_lesson_for_user(user: "User", lesson_id: int, *, along: tuple[str, ...] = ()) -> PublishedLesson:
    """Return a published lesson the person may open, or 404 (no query once the lesson and the person's courses
    are kept: a published lesson changes only with the shared content)."""
    lesson_id = _object_id(lesson_id)
    lesson = kept_shared(user, f"lesson:{lesson_id}", lambda: _published_lesson(lesson_id))
    if lesson is None or lesson.version.course_id not in visible_course_ids(user, along=along):
        raise Http404
    return lesson


def access_lesson_page_for_user(
    user: "User", lesson_id: int, parts: Callable[[PublishedLesson], dict[str, Callable[[], Any]]]
) -> tuple[PublishedLesson, dict[str, Any]]:
    """A published lesson the person may open (or 404), with their own parts of its page (``parts(lesson)``, each
    named and computed per course, not per lesson: their progress, their feedback).

    The parts are kept with the person's visible courses in one entry per course (ops.repcache): once warm, no
    query; when a statement of theirs renewed their token, the first lesson they open in the course recomputes
    the entry (the visible courses and each part, one query each) and keeps it in one write; the course's
    other lessons then read it as it is."""
    lesson_id = _object_id(lesson_id)
    lesson = kept_shared(user, f"lesson:{lesson_id}", lambda: _published_lesson(lesson_id))
    if lesson is None:
        raise Http404
    values = kept(
        user,
        {"visible_courses": lambda: frozenset(courses_visible_to(user).values_list("pk", flat=True)), **parts(lesson)},
    )
    if lesson.version.course_id not in values["visible_courses"]:
        raise Http404
    return lesson, values


def lesson_id_for_activity_iri(iri: str) -> int | None:
    """Return the id of the published lesson whose xAPI activity IRI this is (see lesson_activity_data), or None."""
    prefix = f"{settings.SITE_URL}/xapi/activities/lesson/"
    if not iri.startswith(prefix):
        return None
    key, _slash, number = iri[len(prefix) :].partition("/v")
    if not number.isdigit():
        return None
    try:
        return PublishedLesson.objects.filter(key=key, version__number=int(number)).values_list("pk", flat=True).first()
    except ValidationError:  # not a UUID
        return None


def course_id_for_activity_iri(iri: str) -> int | None:
    """Return the id of the published course whose xAPI activity IRI this is (see course_iri), or None."""
    prefix = f"{settings.SITE_URL}/xapi/activities/course/"
    if not iri.startswith(prefix):
        return None
    try:
        key = uuid.UUID(iri[len(prefix) :])
    except ValueError:
        return None
    return Course.objects.filter(key=key, latest_version__isnull=False).values_list("pk", flat=True).first()


def lesson_ids_showing_content(*, kind: str, content_id: int) -> list[int]:
    """Return the published lessons of this kind showing this content (a package…), the newest versions first."""
    rows = PublishedLesson.objects.filter(kind=kind, content_id=content_id).order_by("-version__published_at", "-pk")
    return list(rows.values_list("pk", flat=True)[:50])


def version_outline(version: CourseVersion) -> list[tuple[Any, list[PublishedLesson]]]:
    """Return [(module, [lessons])] of a published version in two queries."""
    modules = list(version.modules.all())
    lessons = list(version.lessons.select_related("video").all())
    by_module: dict[int, list[PublishedLesson]] = {m.pk: [] for m in modules}
    for lesson in lessons:
        by_module[lesson.module_id].append(lesson)
    return [(m, by_module[m.pk]) for m in modules]


def draft_courses() -> QuerySet[Course]:
    return Course.objects.select_related("product", "latest_version").prefetch_related("tags")


def lesson_following(lesson: PublishedLesson) -> PublishedLesson | None:
    """Return the next lesson of the same published version, if any."""
    return (
        PublishedLesson.objects.filter(version_id=lesson.version_id, position__gt=lesson.position)
        .order_by("position")
        .first()
    )


def lesson_video_lets_watch(user: Any, video_id: int) -> bool:
    """Whether a published lesson of a course the person may open shows this video."""
    course_ids = PublishedLesson.objects.filter(video_id=video_id).values("version__course_id")
    return courses_visible_to(user).filter(pk__in=course_ids).exists()


def lessons_showing_video(video_id: int) -> list[str]:
    """Return the titles of lessons, drafts first, then published versions, that show this video."""
    drafts = Lesson.objects.filter(video_id=video_id).order_by("pk").values_list("title", flat=True)
    published = PublishedLesson.objects.filter(video_id=video_id).order_by("pk").values_list("title", flat=True)
    return [_("Lesson: %(title)s") % {"title": title} for title in (*drafts, *published)]


def use_in_course_url(user: "User", *, kind: str, ref: int) -> str:
    """Return the address of the page that puts a video, quiz, scenario or survey into a course ("" for non-authors)."""
    if not can_author(user):
        return ""
    return reverse("catalog:studio_lesson_use") + "?" + urlencode({"kind": kind, "id": ref})


def video_use_in_course_link(user: "User", video_id: int) -> tuple[str, str] | None:
    """The video page's "use in a course" link (media.uses), for authors."""
    url = use_in_course_url(user, kind=LessonKind.VIDEO, ref=video_id)
    return (_("Use in a course"), url) if url else None


# The author's studio and the admin's assignments. Content belongs to the principal, so
# these check only the role; a person without it gets a 404, as everywhere else.


def studio_courses() -> QuerySet[Course]:
    """Return every draft course with its product, latest version, tags and lesson count, for the studio list."""
    return draft_courses().annotate(draft_lesson_count=Count("modules__lessons", distinct=True)).order_by("title")


def access_draft_course_for_user(user: "User", course_id: int) -> Course:
    """Return a draft course the person may author, or 404."""
    if not can_author(user):
        raise Http404
    try:
        return draft_courses().get(pk=course_id)
    except (Course.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_module_for_user(user: "User", module_id: int) -> Module:
    """Return a draft module the person may author, or 404."""
    if not can_author(user):
        raise Http404
    try:
        return Module.objects.select_related("course").get(pk=module_id)
    except (Module.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_draft_lesson_for_user(user: "User", lesson_id: int) -> Lesson:
    """Return a draft lesson the person may author, or 404."""
    if not can_author(user):
        raise Http404
    try:
        return Lesson.objects.select_related("module__course", "video").get(pk=lesson_id)
    except (Lesson.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def draft_outline(course: Course) -> list[tuple[Module, list[Lesson]]]:
    """Return [(module, [lessons])] of a course's draft in two queries."""
    modules = list(course.modules.order_by("position", "id"))
    by_module: dict[int, list[Lesson]] = {m.pk: [] for m in modules}
    for lesson in Lesson.objects.filter(module__course=course).select_related("video").order_by("position", "id"):
        by_module[lesson.module_id].append(lesson)
    return [(m, by_module[m.pk]) for m in modules]


def course_versions(course: Course) -> QuerySet[CourseVersion]:
    return course.versions.select_related("published_by").order_by("-number")


def products_all() -> QuerySet[Product]:
    return Product.objects.annotate(course_count=Count("courses")).order_by("name")


def story_tags() -> QuerySet[Tag]:
    return Tag.objects.filter(kind=Tag.Kind.STORY).order_by("pk")


def topic_tags() -> QuerySet[Tag]:
    return Tag.objects.filter(kind=Tag.Kind.TOPIC).order_by("name_ja", "pk")


def access_topic_tag_for_user(user: "User", tag_id: int) -> Tag:
    """Return a topic tag the person may rename, or 404; story tags are fixed."""
    if not can_author(user):
        raise Http404
    try:
        return topic_tags().get(pk=tag_id)
    except (Tag.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def published_courses() -> QuerySet[Course]:
    """Return the courses that have a published version and so may be assigned."""
    return Course.objects.filter(latest_version__isnull=False).select_related("latest_version").order_by("title")


def assignments_for_admin(user: "User", *, partner_id: int | None = None) -> QuerySet[Assignment]:
    """Return the assignments this admin may manage, newest first, optionally for one partner."""
    if not can_manage_people(user):
        return Assignment.objects.none()
    assignments = Assignment.objects.filter(partner__in=visible_partners(user))
    if partner_id is not None:
        assignments = assignments.filter(partner_id=partner_id)
    return assignments.select_related("course", "partner", "team", "rep", "assigned_by").order_by("-created_at", "-id")


def access_assignment_for_user(user: "User", assignment_id: int) -> Assignment:
    """Return an assignment this admin may delete, or 404."""
    try:
        return assignments_for_admin(user).get(pk=assignment_id)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class LessonOffer:
    """A thing an author is about to put into a course as a lesson: a video, or a quiz, scenario or survey."""

    kind: str
    kind_label: str
    title: str
    content_id: int | None = None
    video: Any = None
    estimated_minutes: int = 5


def lesson_offer_for_user(user: "User", *, kind: str | None, ref: str | None) -> LessonOffer:
    """Return what a "use in a course" link offers (a kind and the id of its video or content), or 404."""
    labels = dict(lesson_kinds())
    kind, ref = kind or "", ref or ""
    if not can_author(user) or kind not in labels or kind == LessonKind.ARTICLE or not ref.isdigit():
        raise Http404
    if kind == LessonKind.VIDEO:
        video = access_video_for_uploader(user, int(ref))
        minutes = max(1, -(-int(video.duration_seconds or 0) // 60))
        return LessonOffer(kind, labels[kind], video.title, video=video, estimated_minutes=minutes)
    owner = content_kind(kind)
    choices = dict(owner.choices(user)) if owner else {}
    if owner is None or int(ref) not in choices:
        raise Http404
    title = (owner.title(int(ref)) if owner.title else None) or str(choices[int(ref)])
    return LessonOffer(kind, labels[kind], title, content_id=int(ref))


def module_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Return the draft courses with their modules, as grouped choices [(course title, [(module id, title)])]."""
    courses = Course.objects.prefetch_related("modules").order_by("title", "pk")
    return [
        (course.title, [(module.pk, module.title) for module in course.modules.all()])
        for course in courses
        if course.modules.all()
    ]


# The rep's library: every published course they may open, by story tag and product.


@dataclass(frozen=True)
class LibraryCourse:
    course_id: int
    title: str
    summary: str
    product: Product | None
    tags: list[Tag]
    lesson_count: int
    estimated_minutes: int
    published_at: datetime


@dataclass(frozen=True)
class CourseLibrary:
    courses: list[LibraryCourse]
    #: The story tags and products the person's courses carry, to filter by (none offered that would show nothing).
    tags: list[Tag]
    products: list[Product]
    tag: Tag | None
    product: Product | None


def course_library(user: "User", *, tag_slug: str = "", product_slug: str = "") -> CourseLibrary:
    """Return the published courses the person may open, newest first, optionally of one story tag and product.

    Tags and product are the published version's (what the learner opens), not the author's draft. An unknown
    tag or product filters nothing (three queries, whatever the number of courses).
    """
    versions = (
        CourseVersion.objects.filter(course__in=courses_visible_to(user), course__latest_version=F("pk"))
        .select_related("product")
        .prefetch_related(Prefetch("tags", queryset=story_tags()))
        .order_by("-published_at", "-pk")
    )
    everything = [
        LibraryCourse(
            course_id=v.course_id,
            title=v.title,
            summary=v.summary,
            product=v.product,
            tags=list(v.tags.all()),
            lesson_count=v.lesson_count,
            estimated_minutes=v.estimated_minutes,
            published_at=v.published_at,
        )
        for v in versions
    ]
    tags = {t.pk: t for c in everything for t in c.tags}
    products = {c.product.pk: c.product for c in everything if c.product is not None}
    tag = next((t for t in tags.values() if t.slug == tag_slug), None)
    product = next((p for p in products.values() if p.slug == product_slug), None)
    chosen = [
        c
        for c in everything
        if (tag is None or tag in c.tags)
        and (product is None or (c.product is not None and c.product.pk == product.pk))
    ]
    return CourseLibrary(
        courses=chosen,
        tags=sorted(tags.values(), key=lambda t: t.pk),
        products=sorted(products.values(), key=lambda p: p.name),
        tag=tag,
        product=product,
    )


def draft_lessons_all() -> QuerySet[Lesson]:
    """Return every draft lesson with its course (and the course's maker), in course order."""
    return Lesson.objects.select_related("module__course").order_by(
        "module__course__title", "module__course_id", "module__position", "module_id", "position", "id"
    )


def draft_lesson_ids_for_key(key: Any) -> QuerySet[Any, Any]:
    """Return (as a subquery) the id of the draft lesson a published lesson was made from: they share the key."""
    return Lesson.objects.filter(key=key).values("pk")


def published_lesson_keys(*, lesson_ids: Iterable[int]) -> dict[int, uuid.UUID]:
    """Return {published lesson id: its key} (the key stays the same across a lesson's published versions)."""
    return dict(PublishedLesson.objects.filter(pk__in=list(lesson_ids)).values_list("pk", "key"))
