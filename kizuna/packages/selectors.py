"""Reads of packages: the package behind a published lesson, its SCOs with the rep's states, the studio list."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from kizuna.catalog.selectors import access_lesson_for_user
from kizuna.records.selectors import answers_per_activity
from kizuna.records.vocab import ANSWERED

from .models import Package, Sco, ScoState
from .sequencing import Tree, tree_for

if TYPE_CHECKING:
    from kizuna.accounts.models import User

PACKAGE_KIND = "package"


def studio_packages() -> QuerySet[Package]:
    return Package.objects.all()


def package_by_id(package_id: int | None) -> Package | None:
    return Package.objects.filter(pk=package_id).first() if package_id else None


def access_package_lesson_for_user(user: "User", lesson_id: int) -> tuple[Any, Package]:
    """Return a published package lesson the person may open and its package, or 404."""
    lesson = access_lesson_for_user(user, lesson_id)
    package = package_by_id(lesson.content_id) if lesson.kind == PACKAGE_KIND else None
    if package is None:
        raise Http404
    return lesson, package


def access_sco_for_user(user: "User", lesson_id: int, sco_id: int) -> tuple[Any, Sco]:
    """Return a SCO of a package lesson the person may open, with the lesson, or 404."""
    lesson, package = access_package_lesson_for_user(user, lesson_id)
    sco = Sco.objects.select_related("package").filter(pk=sco_id, package=package).first()
    if sco is None:
        raise Http404
    return lesson, sco


def sco_outline(*, package: Package, rep: "User | None") -> list[tuple[Sco, ScoState | None]]:
    """The package's SCOs in order, each with the rep's state in it (None for a non-rep or before a launch)."""
    scos = list(package.scos.all())
    states = {}
    if rep is not None:
        states = {s.sco_id: s for s in ScoState.objects.filter(rep=rep, sco__package=package)}
    return [(sco, states.get(sco.pk)) for sco in scos]


def sequencing_tree(*, package: Package, outline: list[tuple[Sco, ScoState | None]]) -> "Tree | None":
    """The sequenced package's activity tree with the rep's status in it (None when the package has no sequencing)."""
    return tree_for(package, {sco.identifier: state for sco, state in outline})


def sco_state_of(*, rep: "User", sco: Sco) -> ScoState | None:
    return ScoState.objects.filter(rep=rep, sco=sco).first()


@dataclass(frozen=True)
class ItemRow:
    """One interaction of a package lesson: how often it was answered, and how often right."""

    name: str
    kind: str
    answers: int
    reps: int
    correct_share: float | None


def package_item_analysis(user: "User", lesson: Any) -> list[ItemRow]:
    """The package's interactions with their answer counts and correct shares, over what the person may see."""
    rows = answers_per_activity(viewer=user, lesson_id=lesson.pk, verb=ANSWERED.iri)
    items = []
    for row in rows:
        if (row["definition"] or {}).get("interactionType") is None:
            continue
        name = next(iter((row["name"] or {}).values()), "") or row["object_iri"].rsplit("/", 1)[-1]
        items.append(
            ItemRow(
                name=name,
                kind=row["definition"]["interactionType"],
                answers=row["answers"],
                reps=row["reps"],
                correct_share=row["correct"] / row["answers"] if row["answers"] else None,
            )
        )
    return items
