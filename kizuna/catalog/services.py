"""Writes of content: courses and their drafts, publishing, and assignments."""

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kizuna.ops.errors import ApplicationError, problems_text
from kizuna.ops.ordering import position_swap
from kizuna.ops.trail import Action, audit_edit, audit_record, changed_fields
from kizuna.orgs.access import Role
from kizuna.orgs.models import Organization, Team
from kizuna.records import vocab
from kizuna.records.services import Activity, statement_record

from .kinds import content_kind, lesson_kinds
from .markdown import render_markdown
from .models import (
    Assignment,
    Course,
    CourseVersion,
    Lesson,
    LessonKind,
    Module,
    Product,
    PublishedLesson,
    PublishedModule,
    ReminderSent,
    Tag,
)
from .publish_hooks import course_published
from .selectors import course_activity_data
from .story_tags import STORY_TAGS
from .text_checks import unexplained_terms_problems
from .text_levels import text_level_of

if TYPE_CHECKING:
    from kizuna.accounts.models import User


class CatalogError(ApplicationError):
    """A content change that cannot be made; the message is shown to the user."""

    code = "content-rejected"


def _touch(course: Course) -> None:
    Course.objects.filter(pk=course.pk).update(draft_changed_at=timezone.now())


def _edited(
    course: Course, *, edit: str, part: str = "", before: dict[str, Any] | None = None, after: Any = None
) -> None:
    """Mark the draft changed and put the edit on the audit trail (the principal's content: no organization)."""
    _touch(course)
    label = f"{course.title} › {part}" if part else course.title
    audit_edit(action=Action.COURSE_EDIT, target=course, target_label=label, edit=edit, before=before, after=after)


def _course_state(course: Course) -> dict[str, Any]:
    return {
        "title": course.title,
        "summary": course.summary,
        "product": course.product_id,
        "tags": sorted(course.tags.values_list("slug", flat=True)),
    }


def _lesson_state(lesson: Lesson) -> dict[str, Any]:
    return {
        "kind": lesson.kind,
        "title": lesson.title,
        "body": lesson.body,
        "video": lesson.video_id,
        "content_id": lesson.content_id,
        "estimated_minutes": lesson.estimated_minutes,
    }


@transaction.atomic
def product_create(*, name: str, slug: str) -> Product:
    if Product.objects.filter(slug=slug).exists():
        raise CatalogError(_("A product with this code already exists."))
    product = Product.objects.create(name=name, slug=slug)
    audit_record(action=Action.PRODUCT_CREATE, target=product, target_label=name, after={"name": name, "slug": slug})
    return product


def _tag_state(tag: Tag) -> dict[str, Any]:
    return {"kind": tag.kind, "slug": tag.slug, "name_ja": tag.name_ja, "name_en": tag.name_en}


@transaction.atomic
def tag_create(*, kind: str, slug: str, name_ja: str, name_en: str) -> Tag:
    tag, created = Tag.objects.get_or_create(kind=kind, slug=slug, defaults={"name_ja": name_ja, "name_en": name_en})
    if created:
        audit_edit(action=Action.TAG_EDIT, target=tag, edit="tag.create", target_label=name_ja, after=_tag_state(tag))
    return tag


@transaction.atomic
def tag_update(*, tag: Tag, name_ja: str, name_en: str) -> Tag:
    """Rename a topic tag in both languages; the five story tags are fixed."""
    if tag.kind != Tag.Kind.TOPIC:
        raise CatalogError(_("Story tags cannot be renamed."))
    before = _tag_state(tag)
    tag.name_ja, tag.name_en = name_ja, name_en
    tag.save(update_fields=["name_ja", "name_en"])
    audit_edit(
        action=Action.TAG_EDIT,
        target=tag,
        edit="tag.update",
        target_label=name_ja,
        before=before,
        after=_tag_state(tag),
    )
    return tag


def topic_tag_slug(name: str) -> str:
    """Return a code for a topic tag name that no topic tag uses yet; names without Latin letters get a hash."""
    base = (
        slugify(name)[:50].strip("-") or "topic-" + hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:10]
    )
    slug, n = base, 1
    while Tag.objects.filter(kind=Tag.Kind.TOPIC, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _topic_tags_named(*names: str) -> QuerySet[Tag]:
    return Tag.objects.filter(Q(name_ja__in=names) | Q(name_en__in=names), kind=Tag.Kind.TOPIC)


def topic_tag_create(*, name_ja: str, name_en: str) -> Tag:
    """Add a topic tag with a Japanese and an English name; names are unique among topic tags."""
    if _topic_tags_named(name_ja, name_en).exists():
        raise CatalogError(_("A topic tag with this name already exists."))
    return Tag.objects.create(
        kind=Tag.Kind.TOPIC, slug=topic_tag_slug(name_en or name_ja), name_ja=name_ja, name_en=name_en
    )


def topic_tags_ensure(*, names: list[str]) -> list[Tag]:
    """Return the topic tags with these names, creating the missing ones (same name in Japanese and English)."""
    tags: list[Tag] = []
    for raw in names:
        name = raw.strip()[:100]
        if not name:
            continue
        tag = _topic_tags_named(name).first() or topic_tag_create(name_ja=name, name_en=name)
        if tag not in tags:
            tags.append(tag)
    return tags


def story_tags_ensure() -> dict[str, Tag]:
    """Make sure the five fixed story tags exist (the migration creates them); return them by slug."""
    return {slug: tag_create(kind=Tag.Kind.STORY, slug=slug, name_ja=ja, name_en=en) for slug, ja, en in STORY_TAGS}


def course_create(
    *,
    author: "User",
    title: str,
    slug: str,
    summary: str = "",
    product: Product | None = None,
    tags: list[Tag] | None = None,
) -> Course:
    if Course.objects.filter(slug=slug).exists():
        raise CatalogError(_("A course with this code already exists."))
    with transaction.atomic():
        course = Course.objects.create(title=title, slug=slug, summary=summary, product=product, created_by=author)
        if tags:
            course.tags.set(tags)
        audit_edit(
            action=Action.COURSE_EDIT,
            target=course,
            edit="course.create",
            after={"slug": slug, **_course_state(course)},
            actor=author,
        )
    return course


@transaction.atomic
def course_update(*, course: Course, title: str, summary: str, product: Product | None, tags: list[Tag]) -> Course:
    before = _course_state(Course.objects.get(pk=course.pk))
    course.title, course.summary, course.product = title, summary, product
    course.draft_changed_at = timezone.now()
    course.save(update_fields=["title", "summary", "product", "draft_changed_at"])
    course.tags.set(tags)
    _edited(course, edit="course.update", before=before, after=_course_state(course))
    return course


@transaction.atomic
def module_create(*, course: Course, title: str) -> Module:
    position = (course.modules.aggregate(m=Max("position"))["m"] or 0) + 1
    module = Module.objects.create(course=course, title=title, position=position)
    _edited(course, edit="module.create", part=title, after={"module": module.pk, "title": title})
    return module


@transaction.atomic
def module_update(*, module: Module, title: str) -> Module:
    before = {"module": module.pk, "title": Module.objects.get(pk=module.pk).title}
    module.title = title
    module.save(update_fields=["title"])
    _edited(module.course, edit="module.update", part=title, before=before, after={"module": module.pk, "title": title})
    return module


@transaction.atomic
def module_delete(*, module: Module) -> None:
    course = module.course
    title = module.title
    before = {"module": module.pk, "title": title, "lessons": list(module.lessons.values_list("title", flat=True))}
    module.delete()
    _edited(course, edit="module.delete", part=title, before=before)


@transaction.atomic
def lesson_create(
    *,
    module: Module,
    kind: str,
    title: str,
    body: str = "",
    video: Any = None,
    content_id: int | None = None,
    estimated_minutes: int = 5,
) -> Lesson:
    if kind not in dict(lesson_kinds()):
        raise CatalogError(_("Unknown lesson kind."))
    position = (module.lessons.aggregate(m=Max("position"))["m"] or 0) + 1
    reading_level, reading_lang = text_level_of(body)
    lesson = Lesson.objects.create(
        module=module,
        kind=kind,
        title=title,
        body=body,
        reading_level=reading_level,
        reading_lang=reading_lang,
        video=video,
        content_id=content_id,
        estimated_minutes=estimated_minutes,
        position=position,
    )
    _edited(module.course, edit="lesson.create", part=title, after={"lesson": lesson.pk, **_lesson_state(lesson)})
    return lesson


def lesson_append(
    *, course: Course, kind: str, title: str, content_id: int, estimated_minutes: int, module_title: str
) -> Lesson:
    """Add imported content as a lesson at the end of a course: in its last module, or in a new one (module_title)."""
    with transaction.atomic():
        module = course.modules.order_by("-position", "-id").first()
        if module is None:
            module = module_create(course=course, title=module_title)
        return lesson_create(
            module=module, kind=kind, title=title, content_id=content_id, estimated_minutes=estimated_minutes
        )


@transaction.atomic
def lesson_update(
    *,
    lesson: Lesson,
    title: str,
    body: str,
    video: Any = None,
    content_id: int | None = None,
    estimated_minutes: int = 5,
) -> Lesson:
    before = {"lesson": lesson.pk, **_lesson_state(Lesson.objects.get(pk=lesson.pk))}
    lesson.title, lesson.body, lesson.video, lesson.estimated_minutes = title, body, video, estimated_minutes
    lesson.content_id = content_id
    # Measured when the text is saved, stored: the studio's lists show it without analysing anything.
    lesson.reading_level, lesson.reading_lang = text_level_of(body)
    lesson.save(
        update_fields=["title", "body", "video", "content_id", "estimated_minutes", "reading_level", "reading_lang"]
    )
    after = {"lesson": lesson.pk, **_lesson_state(lesson)}
    _edited(lesson.module.course, edit="lesson.update", part=title, before=before, after=after)
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson) -> None:
    course = lesson.module.course
    before = {"lesson": lesson.pk, **_lesson_state(lesson)}
    lesson.delete()
    _edited(course, edit="lesson.delete", part=before["title"], before=before)


@transaction.atomic
def lesson_move(*, lesson: Lesson, direction: int) -> None:
    """Swap a lesson with its neighbour in the module (direction -1 = up, +1 = down)."""
    before = {"lesson": lesson.pk, "position": Lesson.objects.get(pk=lesson.pk).position}
    if position_swap(lesson.module.lessons.all(), pk=lesson.pk, direction=direction):
        after = {"lesson": lesson.pk, "position": Lesson.objects.get(pk=lesson.pk).position}
        _edited(lesson.module.course, edit="lesson.move", part=lesson.title, before=before, after=after)


def course_publish_problems(course: Course) -> list[str]:
    """Return what stops the draft from being published, in the user's language."""
    problems = []
    lessons = list(Lesson.objects.filter(module__course=course).select_related("video", "module"))
    if not lessons:
        problems.append(_("Add at least one lesson before publishing."))
    modules = list(course.modules.all())
    for module in modules:
        if not any(lesson.module_id == module.pk for lesson in lessons):
            problems.append(_("The module “%(title)s” has no lessons.") % {"title": module.title})
    for lesson in lessons:
        if lesson.kind == LessonKind.VIDEO:
            if lesson.video is None:
                problems.append(_("The video lesson “%(title)s” has no video.") % {"title": lesson.title})
            elif not lesson.video.is_ready:
                problems.append(
                    _("The video of “%(title)s” is not ready yet (still processing or failed).")
                    % {"title": lesson.title}
                )
        elif lesson.kind == LessonKind.ARTICLE and not lesson.body.strip():
            problems.append(_("The article “%(title)s” is empty.") % {"title": lesson.title})
        elif (owner := content_kind(lesson.kind)) is not None:
            if lesson.content_id is None:
                problems.append(_("Choose the content of “%(title)s”.") % {"title": lesson.title})
            else:
                problems += owner.publish_problems(lesson.content_id)
            if owner.uses_video and (lesson.video is None or not lesson.video.is_ready):
                problems.append(
                    _("The video of “%(title)s” is not ready yet (still processing or failed).")
                    % {"title": lesson.title}
                )
    # Every text of the course a rep reads (the content of other kinds is checked by its owner, above).
    texts = [course.title, course.summary, *(m.title for m in modules)]
    texts += [text for lesson in lessons for text in (lesson.title, lesson.body)]
    problems += unexplained_terms_problems(*texts)
    return list(dict.fromkeys(problems))  # a term found in two lessons' content is named once


def _publish_content(lesson: Lesson, publisher: "User") -> int | None:
    owner = content_kind(lesson.kind)
    if owner is None or lesson.content_id is None:
        return None
    return owner.publish(lesson.content_id, publisher)


@transaction.atomic
def course_publish(*, course: Course, publisher: "User", when: datetime | None = None) -> CourseVersion:
    """Copy the draft into a new immutable version; reps already on an older version keep it."""
    Course.objects.select_for_update().filter(pk=course.pk).first()  # one publish at a time per course
    problems = course_publish_problems(course)
    if problems:
        raise CatalogError(problems_text(problems))
    now = when or timezone.now()
    number = (course.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    modules = list(course.modules.prefetch_related("lessons").order_by("position", "id"))
    lessons = [lesson for module in modules for lesson in module.lessons.all()]
    version = CourseVersion.objects.create(
        course=course,
        number=number,
        title=course.title,
        summary=course.summary,
        product=course.product,
        lesson_count=len(lessons),
        estimated_minutes=sum(lesson.estimated_minutes for lesson in lessons),
        published_at=now,
        published_by=publisher,
    )
    version.tags.set(course.tags.all())
    position = 0
    for m_position, module in enumerate(modules, start=1):
        pmodule = PublishedModule.objects.create(
            version=version, key=module.key, position=m_position, title=module.title
        )
        for lesson in module.lessons.all():
            position += 1
            PublishedLesson.objects.create(
                version=version,
                module=pmodule,
                key=lesson.key,
                position=position,
                kind=lesson.kind,
                title=lesson.title,
                body_html=render_markdown(lesson.body),
                video=lesson.video,
                content_id=_publish_content(lesson, publisher),
                estimated_minutes=lesson.estimated_minutes,
            )
    # The draft and the new version are now the same: no unpublished changes.
    course.latest_version, course.draft_changed_at = version, now
    course.save(update_fields=["latest_version", "draft_changed_at"])
    audit_record(
        action=Action.COURSE_PUBLISH,
        actor=publisher,
        target=course,
        target_label=course.title,
        after={"version": number, "title": course.title, "lessons": len(lessons)},
    )
    course_published(course=course, version=version, publisher=publisher, when=now)
    return version


def _assignment_target(
    *, partner: Organization | None, team: Team | None, rep: "User | None"
) -> tuple[Organization, Team | None, Any | None]:
    if rep is not None:
        m = getattr(rep, "membership", None)
        if m is None or m.role != Role.REP:
            raise CatalogError(_("Courses can only be assigned to reps."))
        return m.organization, None, rep
    if team is not None:
        if team.organization.kind != Organization.Kind.PARTNER:
            raise CatalogError(_("Choose a team of a partner."))
        return team.organization, team, None
    if partner is None or partner.kind != Organization.Kind.PARTNER:
        raise CatalogError(_("Choose a partner, a team or a rep."))
    return partner, None, None


@transaction.atomic
def assignment_create(
    *,
    course: Course,
    assigned_by: "User",
    required: bool,
    due_at: datetime | None = None,
    partner: Organization | None = None,
    team: Team | None = None,
    rep: "User | None" = None,
    when: datetime | None = None,
) -> Assignment:
    """Assign a published course to a partner, a team or one rep; required work needs a due date."""
    if course.latest_version_id is None:
        raise CatalogError(_("Publish the course before assigning it."))
    if required and due_at is None:
        raise CatalogError(_("Required courses need a due date."))
    partner, team, rep = _assignment_target(partner=partner, team=team, rep=rep)
    assignment = Assignment.objects.create(
        course=course, partner=partner, team=team, rep=rep, required=required, due_at=due_at, assigned_by=assigned_by
    )
    _assigned_record(assignment=assignment, assigned_by=assigned_by, when=when)
    audit_record(
        action=Action.ASSIGNMENT_CREATE,
        actor=assigned_by,
        target=assignment,
        target_label=_assignment_label(assignment),
        organization_id=partner.pk,
        after=_assignment_state(assignment),
    )
    return assignment


def _assignment_label(assignment: Assignment) -> str:
    whom = assignment.rep or assignment.team or assignment.partner
    return f"{assignment.course.title} → {whom}"


def _assignment_state(assignment: Assignment) -> dict[str, Any]:
    return {
        "course": assignment.course.title,
        "to": str(assignment.rep or assignment.team or assignment.partner),
        "required": assignment.required,
        "due_at": assignment.due_at,
    }


def _assigned_record(*, assignment: Assignment, assigned_by: "User", when: datetime | None = None) -> None:
    """Record who assigned the course to whom, on which terms (again when the terms change)."""
    course, partner = assignment.course, assignment.partner
    target = {"type": assignment.target, "id": (assignment.rep or assignment.team or partner).pk}
    statement_record(
        actor=assigned_by,
        verb=vocab.ASSIGNED,
        activity=Activity(
            # Only published courses are assigned (assignment_create refuses the others).
            **{**course_activity_data(course.latest_version), "course_id": None, "course_version_id": None}  # type: ignore[arg-type]
        ),
        extensions={
            vocab.EXT_ASSIGNEE.iri: target,
            vocab.EXT_REQUIRED.iri: assignment.required,
            vocab.EXT_DUE.iri: assignment.due_at.isoformat() if assignment.due_at else None,
            vocab.EXT_PARTNER.iri: partner.pk,
        },
        timestamp=when,
    )


def assignment_update(
    *, assignment: Assignment, assigned_by: "User", required: bool, due_at: datetime | None
) -> Assignment:
    """Change whether an assignment is required and its due date, keeping it (and its reminders) in place."""
    if required and due_at is None:
        raise CatalogError(_("Required courses need a due date."))
    before = _assignment_state(assignment)
    with transaction.atomic():
        assignment.required = required
        assignment.due_at = due_at if required else None
        assignment.save(update_fields=["required", "due_at"])
        _assigned_record(assignment=assignment, assigned_by=assigned_by)
        old, new = changed_fields(before, _assignment_state(assignment))
        audit_record(
            action=Action.ASSIGNMENT_UPDATE,
            actor=assigned_by,
            target=assignment,
            target_label=_assignment_label(assignment),
            organization_id=assignment.partner_id,
            before=old,
            after=new,
        )
    return assignment


def assignment_delete(*, assignment: Assignment) -> None:
    with transaction.atomic():
        audit_record(
            action=Action.ASSIGNMENT_DELETE,
            target=assignment,
            target_label=_assignment_label(assignment),
            organization_id=assignment.partner_id,
            before=_assignment_state(assignment),
        )
        assignment.delete()


def reminder_claim(*, rep: Any, course_id: int, due_at: datetime, kind: str) -> bool:
    """Note that this reminder goes out; False if it went out already. Call it in the transaction that sends it,
    so that a failed send leaves it unclaimed for the next run."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(rep=rep, course_id=course_id, due_at=due_at, kind=kind)
    except IntegrityError:
        return False
    return True
