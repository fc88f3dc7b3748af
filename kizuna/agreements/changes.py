"""What changed between an agreement version and the one before it, as a manager reads it before accepting.

Every term is compared field by field and shown as the page shows it (minutes, yes/no, dates, in the
reader's language); the courses by course (added, removed, required ↔ optional, due date moved); prose
(the evaluation text) also as a word-by-word diff — character by character for Japanese, which has no
spaces between words. Segments are plain text: the template escapes them.
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import AgreementCourse, AgreementVersion

# Beyond this many token pairs a word diff costs too much (difflib is quadratic): compare lines instead.
MAX_TOKEN_PAIRS = 2_000_000
# A run of Latin letters or digits is one token (a word); any other character is its own (Japanese text).
_TOKEN = re.compile(r"[A-Za-z0-9_'’.,-]+|\s+|.", re.DOTALL)


@dataclass(frozen=True)
class Segment:
    """A piece of a prose diff: kept, removed or added text."""

    kind: Literal["same", "removed", "added"]
    text: str


@dataclass(frozen=True)
class Change:
    """One term that changed: its label, the old and the new value as shown, and the prose diff if it is text."""

    label: str
    before: str
    after: str
    segments: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class CourseChange:
    """A course added, removed or with other terms (required or optional, due date)."""

    kind: Literal["added", "removed", "changed"]
    title: str
    before: str
    after: str


@dataclass(frozen=True)
class VersionChanges:
    previous: AgreementVersion
    terms: list[Change]
    courses: list[CourseChange]

    @property
    def count(self) -> int:
        return len(self.terms) + len(self.courses)


def previous_version(version: AgreementVersion) -> AgreementVersion | None:
    """Return the version this one replaces (the partner's next lower number), if any."""
    return (
        AgreementVersion.objects.filter(partner_id=version.partner_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def version_changes(version: AgreementVersion) -> VersionChanges | None:
    """Return what changed since the previous version, or None for a partner's first version."""
    previous = previous_version(version)
    if previous is None:
        return None
    terms = [
        change
        for change in (
            _term(_("Effective from"), _date(previous.effective_from), _date(version.effective_from)),
            _term(
                _("Minimum learning a month"),
                _minutes(previous.min_minutes_per_month),
                _minutes(version.min_minutes_per_month),
            ),
            _term(_("Learning time counted as work"), _work(previous), _work(version)),
            _prose(_("Evaluation and incentives"), previous.evaluation_text, version.evaluation_text),
            _term(_("Shared across agencies"), _shared(previous), _shared(version)),
            _term(
                _("Manager may export reports"),
                _yes_no(previous.manager_may_export),
                _yes_no(version.manager_may_export),
            ),
            _term(_("Data of a departed rep"), _retention(previous.retention_days), _retention(version.retention_days)),
        )
        if change is not None
    ]
    return VersionChanges(previous=previous, terms=terms, courses=_course_changes(previous, version))


def text_diff(before: str, after: str) -> list[Segment]:
    """Return the segments that turn before into after: words (Latin) or characters (Japanese) kept, removed, added."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    if len(old) * len(new) > MAX_TOKEN_PAIRS:
        old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _append(segments, "same", "".join(old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            _append(segments, "removed", "".join(old[i1:i2]))
        if op in ("insert", "replace"):
            _append(segments, "added", "".join(new[j1:j2]))
    return segments


def _append(segments: list[Segment], kind: Literal["same", "removed", "added"], text: str) -> None:
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))


def _term(label: str, before: str, after: str) -> Change | None:
    return None if before == after else Change(label=label, before=before, after=after)


def _prose(label: str, before: str, after: str) -> Change | None:
    if before == after:
        return None
    return Change(label=label, before=before or "—", after=after or "—", segments=text_diff(before, after))


def _date(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def _minutes(minutes: int) -> str:
    return ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {"minutes": minutes}


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _work(version: AgreementVersion) -> str:
    if not version.counts_as_work:
        return _("No")
    if version.work_cap_minutes_per_month is None:
        return _("Yes, without a cap")
    return _("Yes, up to %(cap)s minutes a month") % {"cap": version.work_cap_minutes_per_month}


def _shared(version: AgreementVersion) -> str:
    shared = [
        label
        for on, label in (
            (version.share_rankings, _("Rankings")),
            (version.share_reviews, _("Roleplay reviews")),
            (version.share_community, _("Community")),
        )
        if on
    ]
    return " / ".join(shared) if shared else _("Nothing")


def _retention(days: int) -> str:
    return ngettext("Anonymized %(days)s day after they leave", "Anonymized %(days)s days after they leave", days) % {
        "days": days
    }


def _course_terms(item: AgreementCourse) -> str:
    if not item.required:
        return _("Optional")
    if item.due_on is None:
        return _("Required")
    return _("Required, due %(date)s") % {"date": _date(item.due_on)}


def _course_changes(previous: AgreementVersion, version: AgreementVersion) -> list[CourseChange]:
    before = {c.course_id: c for c in previous.courses.select_related("course")}
    after = {c.course_id: c for c in version.courses.select_related("course")}
    changes: list[CourseChange] = []
    for course_id, item in after.items():
        old = before.get(course_id)
        if old is None:
            changes.append(CourseChange("added", item.course.title, "—", _course_terms(item)))
        elif _course_terms(old) != _course_terms(item):
            changes.append(CourseChange("changed", item.course.title, _course_terms(old), _course_terms(item)))
    for course_id, item in before.items():
        if course_id not in after:
            changes.append(CourseChange("removed", item.course.title, _course_terms(item), "—"))
    order = {"added": 0, "changed": 1, "removed": 2}
    return sorted(changes, key=lambda c: (order[c.kind], c.title))
