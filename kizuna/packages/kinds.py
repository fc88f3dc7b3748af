"""The package lesson kind (SCORM 1.2 / 2004), registered with the catalog's seam (kizuna.catalog.kinds).

A package is immutable once imported, so publishing a lesson keeps the same package; the lesson page lists its
SCOs with the rep's status, each launched in the package player. The lesson is completed by the package, when
every SCO is done (kizuna.packages.runtime).
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from kizuna.catalog.kinds import ContentKind, register
from kizuna.orgs.access import membership_of

from . import selectors, services


def _choices(user: Any) -> list[tuple[int, str]]:
    return [
        (
            p.pk,
            _("%(title)s (%(standard)s, imported %(date)s)")
            % {"title": p.title, "standard": p.get_standard_display(), "date": p.uploaded_at.date().isoformat()},
        )
        for p in selectors.studio_packages()
    ]


def _title(content_id: int) -> str | None:
    package = selectors.package_by_id(content_id)
    return package.title if package else None


def package_learner(request: HttpRequest, lesson: Any, progress: Any) -> tuple[str, dict[str, Any]]:
    package = selectors.package_by_id(lesson.content_id)
    m = membership_of(request.user)
    rep = request.user if m is not None and m.is_rep else None
    outline = selectors.sco_outline(package=package, rep=rep) if package else []
    first_open = next((sco for sco, state in outline if state is None or not state.is_done), None)
    tree = selectors.sequencing_tree(package=package, outline=outline) if package else None
    # A sequenced package's SCOs that may not be chosen now are listed without a link (kizuna.packages.sequencing).
    locked = {sco.pk: bool(tree.choice_problem(sco.identifier)) for sco, _state in outline} if tree else {}
    return "packages/_lesson_package.html", {
        "package": package,
        "package_outline": [(sco, state, locked.get(sco.pk, False)) for sco, state in outline],
        "package_next": first_open or (outline[0][0] if outline else None),
        "package_sequenced": tree is not None,
    }


def register_kinds() -> None:
    register(
        ContentKind(
            kind=services.PACKAGE_KIND,
            choices=_choices,
            publish_problems=services.package_publish_problems,
            publish=lambda content_id, publisher: content_id,  # a package never changes once imported
            learner=package_learner,
            title=_title,
            scored=True,  # its result, with the score, is recorded on the lesson (a certification may require it)
        )
    )
