"""Writes of packages: importing a SCORM zip (and a lesson made of it), and recording a SCO's commits."""

import logging
from typing import IO, TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.catalog import services as catalog
from kizuna.ops.errors import ApplicationError
from kizuna.ops.storage import stored_tree_delete
from kizuna.ops.trail import Action, audit_edit

from .importing import PackageProblems, package_read, read_member
from .models import Package, Sco

if TYPE_CHECKING:
    from kizuna.accounts.models import User

logger = logging.getLogger(__name__)

PACKAGE_KIND = "package"


class PackageError(ApplicationError):
    """A package refused, with every problem found (each in the user's language)."""

    code = "content-rejected"

    def __init__(self, problems: list[str], *, field: str | None = None) -> None:
        super().__init__(" ".join(problems), field=field)
        self.problems = problems

    def problem_errors(self) -> list[dict[str, Any]] | None:
        return [{"loc": ["body", self.field or "file"], "msg": problem} for problem in self.problems]


def _store_files(package: Package, spec: Any, archive: Any) -> list[str]:
    saved: list[str] = []
    try:
        for path, info in spec.files.items():
            name = package.storage_prefix + path
            stored = default_storage.save(name, ContentFile(read_member(archive, info)))
            saved.append(stored)
            if stored != name:  # the storage renamed it: the package would not find its own files
                raise PackageProblems([_("“%(name)s” could not be stored under its own name.") % {"name": path}])
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    return saved


def package_import(*, upload: IO[bytes], author: "User") -> Package:
    """Check a SCORM 1.2 or 2004 zip and store it with its SCOs; refused as a whole, with nothing stored."""
    try:
        spec, archive = package_read(upload)
    except PackageProblems as exc:
        raise PackageError(exc.problems, field="file") from None
    package = Package(
        title=spec.title,
        standard=spec.standard,
        schema_version=spec.schema_version,
        sequencing=spec.sequencing,
        file_count=len(spec.files),
        total_bytes=spec.total_bytes,
        uploaded_by=author,
    )
    try:
        saved = _store_files(package, spec, archive)
    except PackageProblems as exc:
        raise PackageError(exc.problems, field="file") from None
    finally:
        archive.close()
    try:
        with transaction.atomic():
            package.save()
            Sco.objects.bulk_create(
                Sco(
                    package=package,
                    position=position,
                    identifier=sco.identifier,
                    title=sco.title,
                    depth=sco.depth,
                    href=sco.href,
                    is_asset=sco.is_asset,
                    mastery_score=sco.mastery_score,
                    launch_data=sco.launch_data,
                )
                for position, sco in enumerate(spec.scos, start=1)
            )
            audit_edit(
                action=Action.PACKAGE_EDIT,
                target=package,
                edit="package.import",
                target_label=package.title,
                after=_state(package),
                actor=author,
            )
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    logger.info("package %s imported: %s files, %s SCOs", package.key, len(saved), len(spec.scos))
    return package


def package_lesson_import(*, upload: IO[bytes], course: Any, author: "User", title: str = "") -> Any:
    """Import a package and add it as a lesson at the end of the course (in its last module, or a new one)."""
    package = package_import(upload=upload, author=author)
    try:
        return catalog.lesson_append(
            course=course,
            kind=PACKAGE_KIND,
            title=(title or package.title)[:200],
            content_id=package.pk,
            estimated_minutes=max(5, 5 * package.scos.count()),
            module_title=package.title,
        )
    except BaseException:
        package_delete(package=package)
        raise


def _state(package: Package) -> dict[str, Any]:
    return {
        "title": package.title,
        "standard": package.standard,
        "files": package.file_count,
        "bytes": package.total_bytes,
        "uploaded_by": package.uploaded_by.email if package.uploaded_by else None,
    }


def package_delete(*, package: Package) -> None:
    """Remove a package and its files (only one no lesson uses: a refused import's)."""
    with transaction.atomic():
        audit_edit(
            action=Action.PACKAGE_EDIT,
            target=package,
            edit="package.delete",
            target_label=package.title,
            before=_state(package),
        )
        package.delete()
    stored_tree_delete(package.storage_prefix)


def package_publish_problems(package_id: int) -> list[str]:
    package = Package.objects.filter(pk=package_id).first()
    if package is None:
        return [_("The package of this lesson is gone. Import it again.")]
    return []
