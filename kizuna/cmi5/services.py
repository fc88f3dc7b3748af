"""Writes of cmi5 courses: importing a course package (a zip with cmi5.xml, or a cmi5.xml alone whose AUs are
external) and a lesson made of it. Refused as a whole, with every problem listed and nothing stored."""

import logging
from typing import IO, TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.catalog import services as catalog
from kizuna.ops.storage import stored_tree_delete
from kizuna.ops.trail import Action, audit_edit
from kizuna.packages.importing import PackageProblems, read_member, zip_open
from kizuna.packages.services import PackageError

from .models import Au, Block, Course
from .structure import MAX_XML_BYTES, AuSpec, StructureProblems, structure_read

if TYPE_CHECKING:
    from kizuna.accounts.models import User

logger = logging.getLogger(__name__)

CMI5_KIND = "cmi5"
STRUCTURE = "cmi5.xml"


def _read(upload: IO[bytes]) -> tuple[Any, Any, dict[str, Any]]:
    """Return (the structure, the zip or None, the zip's files) or raise PackageError listing every problem."""
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        data = upload.read(MAX_XML_BYTES + 1)
        if not data.lstrip().startswith(b"<"):
            raise PackageError([_("Upload a cmi5 course package: a zip with cmi5.xml at its top, or a cmi5.xml.")])
        try:
            return structure_read(data, files=None), None, {}
        except StructureProblems as exc:
            raise PackageError(exc.problems, field="file") from None
    try:
        archive, files, problems = zip_open(upload)
    except PackageProblems as exc:
        raise PackageError(exc.problems, field="file") from None
    info = files.get(STRUCTURE)
    if info is None:
        problems.append(_("The zip has no cmi5.xml at its top level: it is not a cmi5 course package."))
    elif info.file_size > MAX_XML_BYTES:
        problems.append(_("cmi5.xml is larger than %(max)s MB.") % {"max": MAX_XML_BYTES // (1024 * 1024)})
    if problems or info is None:
        archive.close()
        raise PackageError(problems, field="file")
    try:
        return structure_read(read_member(archive, info), files=set(files)), archive, files
    except (StructureProblems, PackageProblems) as exc:
        archive.close()
        raise PackageError(exc.problems, field="file") from None


def _store_files(course: Course, archive: Any, files: dict[str, Any]) -> list[str]:
    saved: list[str] = []
    try:
        for path, info in files.items():
            name = course.storage_prefix + path
            stored = default_storage.save(name, ContentFile(read_member(archive, info)))
            saved.append(stored)
            if stored != name:
                raise PackageError([_("“%(name)s” could not be stored under its own name.") % {"name": path}])
    except PackageProblems as exc:
        for name in saved:
            default_storage.delete(name)
        raise PackageError(exc.problems, field="file") from None
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    return saved


def cmi5_course_import(*, upload: IO[bytes], author: "User") -> Course:
    """Check a cmi5 course package and store it with its blocks and AUs; refused as a whole."""
    spec, archive, files = _read(upload)
    course = Course(
        publisher_id=spec.publisher_id,
        title=spec.title,
        description=spec.description,
        file_count=len(files),
        total_bytes=sum(info.file_size for info in files.values()),
        uploaded_by=author,
    )
    saved: list[str] = []
    try:
        if archive is not None:
            saved = _store_files(course, archive, files)
    finally:
        if archive is not None:
            archive.close()
    try:
        with transaction.atomic():
            course.save()
            made: dict[int, Block] = {}
            aus: list[Au] = []
            for position, node in enumerate(spec.nodes, start=1):
                parent = made.get(node.parent) if node.parent is not None else None
                common = {
                    "course": course,
                    "position": position,
                    "depth": node.depth,
                    "publisher_id": node.publisher_id,
                    "title": node.title or node.publisher_id[:200],
                    "description": node.description,
                }
                if isinstance(node, AuSpec):
                    aus.append(
                        Au(
                            **common,
                            block=parent,
                            url=node.url,
                            move_on=node.move_on,
                            mastery_score=node.mastery_score,
                            launch_method=node.launch_method,
                            launch_parameters=node.launch_parameters,
                            entitlement_key=node.entitlement_key,
                            activity_type=node.activity_type,
                        )
                    )
                else:
                    made[position - 1] = Block.objects.create(**common, parent=parent)
            Au.objects.bulk_create(aus)
            audit_edit(
                action=Action.PACKAGE_EDIT,
                target=course,
                edit="cmi5.import",
                target_label=course.title,
                after=_state(course),
                actor=author,
            )
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    logger.info("cmi5 course %s imported: %s files, %s AUs", course.key, len(saved), len(spec.aus))
    return course


def cmi5_lesson_import(*, upload: IO[bytes], course: Any, author: "User", title: str = "") -> Any:
    """Import a cmi5 course package and add it as a lesson at the end of the (Kizuna) course."""
    cmi5 = cmi5_course_import(upload=upload, author=author)
    try:
        return catalog.lesson_append(
            course=course,
            kind=CMI5_KIND,
            title=(title or cmi5.title)[:200],
            content_id=cmi5.pk,
            estimated_minutes=max(5, 5 * cmi5.aus.count()),
            module_title=cmi5.title,
        )
    except BaseException:
        cmi5_course_delete(course=cmi5)
        raise


def _state(course: Course) -> dict[str, Any]:
    return {
        "title": course.title,
        "publisher_id": course.publisher_id,
        "files": course.file_count,
        "bytes": course.total_bytes,
        "uploaded_by": course.uploaded_by.email if course.uploaded_by else None,
    }


def cmi5_course_delete(*, course: Course) -> None:
    """Remove a cmi5 course and its files (only one no lesson uses: a refused import's)."""
    with transaction.atomic():
        audit_edit(
            action=Action.PACKAGE_EDIT,
            target=course,
            edit="cmi5.delete",
            target_label=course.title,
            before=_state(course),
        )
        course.delete()
    stored_tree_delete(course.storage_prefix)


def cmi5_publish_problems(course_id: int) -> list[str]:
    if not Course.objects.filter(pk=course_id).exists():
        return [_("The cmi5 course of this lesson is gone. Import it again.")]
    return []


def is_cmi5_upload(upload: IO[bytes]) -> bool:
    """Whether an upload is a cmi5 course package: a zip with cmi5.xml at its top, or an XML file."""
    import zipfile

    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        return upload.read(1024).lstrip().startswith(b"<")
    try:
        with zipfile.ZipFile(upload) as archive:
            return STRUCTURE in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
