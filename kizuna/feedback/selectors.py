"""Reads of field voice and content feedback: who sees which entries, the inboxes, and the report.

Who sees what:
- a rep sees their own entries and their own feedback;
- a partner manager sees their own agency's entries and feedback (read only);
- the principal's admins, authors and coaches see everything; admins, authors and coaches answer field voice,
  admins and authors handle lesson feedback.
Everything else is a 404.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from kizuna.orgs.access import Role, has_role, membership_of, visible_partners

from .models import FieldVoice, LessonFeedback

if TYPE_CHECKING:
    from kizuna.accounts.models import User
    from kizuna.catalog.models import PublishedLesson
    from kizuna.orgs.models import Organization

INBOX_ROLES = (Role.ADMIN, Role.AUTHOR, Role.COACH, Role.MANAGER)
ANSWER_ROLES = (Role.ADMIN, Role.AUTHOR, Role.COACH)
HANDLER_ROLES = (Role.ADMIN, Role.AUTHOR)


def can_see_inbox(user: "User") -> bool:
    return has_role(user, *INBOX_ROLES)


def can_answer(user: "User") -> bool:
    return has_role(user, *ANSWER_ROLES)


def can_handle_feedback(user: "User") -> bool:
    return has_role(user, *HANDLER_ROLES)


def _scoped(user: "User", queryset: QuerySet[Any]) -> QuerySet[Any]:
    m = membership_of(user)
    if m is None:
        return queryset.none()
    if m.is_principal_staff:
        return queryset
    if m.is_manager:
        return queryset.filter(partner_id=m.organization_id)
    if m.is_rep:
        return queryset.filter(rep_id=user.pk)
    return queryset.none()


# --- Field voice ----------------------------------------------------------------------------


def voices_visible_to(user: "User") -> QuerySet[FieldVoice]:
    """Return the field voice entries this person may see: their own, their agency's, or all."""
    return _scoped(user, FieldVoice.objects.all())


def access_voice_for_user(user: "User", voice_id: int) -> FieldVoice:
    try:
        return (
            voices_visible_to(user)
            .select_related("rep__membership__organization", "product", "answered_by", "content_by")
            .prefetch_related("tags")
            .get(pk=voice_id)
        )
    except (FieldVoice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_voice_for_answerer(user: "User", voice_id: int) -> FieldVoice:
    if not can_answer(user):
        raise Http404
    return access_voice_for_user(user, voice_id)


def my_voices(rep: "User") -> QuerySet[FieldVoice]:
    return FieldVoice.objects.filter(rep_id=rep.pk).select_related("product").order_by("-created_at", "-id")


def voice_last_choices(rep: "User") -> dict[str, Any]:
    """The product, stage and industry of the rep's last entry: most entries repeat them, so the form starts there."""
    last = FieldVoice.objects.filter(rep_id=rep.pk).order_by("-created_at", "-id")
    row = last.values("product_id", "deal_stage", "industry").first()
    return {"product": row["product_id"], "deal_stage": row["deal_stage"], "industry": row["industry"]} if row else {}


def voice_inbox(
    user: "User",
    *,
    status: str = "",
    kind: str = "",
    product_id: int | None = None,
    partner_id: int | None = None,
) -> QuerySet[FieldVoice]:
    """Return the entries of the staff's (or a manager's) inbox, newest first, with what the cards show."""
    if not can_see_inbox(user):
        return FieldVoice.objects.none()
    voices = voices_visible_to(user)
    if status in FieldVoice.Status.values:
        voices = voices.filter(status=status)
    if kind in FieldVoice.Kind.values:
        voices = voices.filter(kind=kind)
    if product_id:
        voices = voices.filter(product_id=product_id)
    if partner_id:
        voices = voices.filter(partner_id=partner_id)
    return voices.select_related("rep", "partner", "product").order_by("-created_at", "-id")


def new_voices(user: "User") -> QuerySet[FieldVoice]:
    """Return the entries nobody has answered or acted on yet that this person may see, newest first."""
    return voice_inbox(user, status=FieldVoice.Status.NEW)


def inbox_partners(user: "User") -> QuerySet["Organization"]:
    return visible_partners(user).order_by("name")


@dataclass(frozen=True)
class ReportFilter:
    since: date
    until: date  # inclusive
    product_id: int | None = None
    kind: str = ""
    partner_id: int | None = None


def default_period(today: date) -> tuple[date, date]:
    """The last six calendar months, this one included."""
    month = today.month - 5
    year = today.year
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1), today


@dataclass(frozen=True)
class ReportRow:
    kind: str
    product: str
    text: str
    count: int
    answered: int
    last_at: datetime
    by_month: tuple[int, ...] = ()

    @property
    def answered_percent(self) -> int:
        return round(100 * self.answered / self.count) if self.count else 0

    @property
    def kind_label(self) -> str:
        return str(FieldVoice.Kind(self.kind).label)


@dataclass(frozen=True)
class TopicRow:
    name: str
    count: int
    answered: int

    @property
    def answered_percent(self) -> int:
        return round(100 * self.answered / self.count) if self.count else 0


@dataclass(frozen=True)
class MonthRow:
    month: date
    questions: int
    objections: int
    competitors: int
    answered: int

    @property
    def total(self) -> int:
        return self.questions + self.objections + self.competitors

    @property
    def answered_percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass
class VoiceReport:
    total: int = 0
    answered: int = 0
    top: list[ReportRow] = field(default_factory=list)
    topics: list[TopicRow] = field(default_factory=list)
    products: list[TopicRow] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)

    @property
    def answered_percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _report_base(user: "User", flt: ReportFilter) -> QuerySet[FieldVoice]:
    tz = _tz()
    start = datetime.combine(flt.since, time.min, tzinfo=tz)
    end = datetime.combine(flt.until + timedelta(days=1), time.min, tzinfo=tz)
    if not can_see_inbox(user):
        return FieldVoice.objects.none()
    voices = voices_visible_to(user).filter(created_at__gte=start, created_at__lt=end)
    if flt.product_id:
        voices = voices.filter(product_id=flt.product_id)
    if flt.kind in FieldVoice.Kind.values:
        voices = voices.filter(kind=flt.kind)
    if flt.partner_id:
        voices = voices.filter(partner_id=flt.partner_id)
    return voices.order_by()


_ANSWERED = Count("id", filter=~Q(status=FieldVoice.Status.NEW))


def _months(flt: ReportFilter) -> list[date]:
    months, current = [], date(flt.since.year, flt.since.month, 1)
    while current <= flt.until:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def _month_of(value: Any) -> date:
    if isinstance(value, datetime):
        value = value.astimezone(_tz()) if value.tzinfo else value
        return date(value.year, value.month, 1)
    return date(value.year, value.month, 1)


def voice_report(user: "User", flt: ReportFilter, *, limit: int = 20) -> VoiceReport:
    """Count the entries of a period: the most frequent texts per product (with their month-by-month trend),
    the most frequent topics, the products, and each month's totals, each with the share answered."""
    base = _report_base(user, flt)
    totals = base.aggregate(total=Count("id"), answered=_ANSWERED)
    report = VoiceReport(total=totals["total"] or 0, answered=totals["answered"] or 0)
    if not report.total:
        return report
    months = _months(flt)
    tz = _tz()
    groups = list(
        base.values("kind", "product_id", "product__name", "normalized")
        .annotate(n=Count("id"), answered=_ANSWERED, sample=Max("text"), last_at=Max("created_at"))
        .order_by("-n", "-last_at", "normalized")[:limit]
    )
    trend: dict[tuple[str, Any, str], dict[date, int]] = {}
    if groups:
        per_month = (
            base.filter(normalized__in={g["normalized"] for g in groups})
            .annotate(month=TruncMonth("created_at", tzinfo=tz))
            .values("kind", "product_id", "normalized", "month")
            .annotate(n=Count("id"))
        )
        for row in per_month:
            key = (row["kind"], row["product_id"], row["normalized"])
            trend.setdefault(key, {})[_month_of(row["month"])] = row["n"]
    report.top = [
        ReportRow(
            kind=g["kind"],
            product=g["product__name"] or "",
            text=g["sample"],
            count=g["n"],
            answered=g["answered"],
            last_at=g["last_at"],
            by_month=tuple(trend.get((g["kind"], g["product_id"], g["normalized"]), {}).get(m, 0) for m in months),
        )
        for g in groups
    ]
    name_field = "tags__name_en" if _english() else "tags__name_ja"
    report.topics = [
        TopicRow(name=row[name_field], count=row["n"], answered=row["answered"])
        for row in base.filter(tags__isnull=False)
        .values("tags__id", name_field)
        .annotate(n=Count("id"), answered=_ANSWERED)
        .order_by("-n", name_field)[:limit]
    ]
    report.products = [
        TopicRow(name=row["product__name"] or "", count=row["n"], answered=row["answered"])
        for row in base.values("product_id", "product__name")
        .annotate(n=Count("id"), answered=_ANSWERED)
        .order_by("-n", "product__name")
    ]
    by_month: dict[date, dict[str, int]] = {}
    for row in (
        base.annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("month", "kind")
        .annotate(n=Count("id"), answered=_ANSWERED)
    ):
        slot = by_month.setdefault(_month_of(row["month"]), {"answered": 0})
        slot[row["kind"]] = row["n"]
        slot["answered"] += row["answered"]
    report.months = [
        MonthRow(
            month=m,
            questions=by_month.get(m, {}).get(FieldVoice.Kind.QUESTION, 0),
            objections=by_month.get(m, {}).get(FieldVoice.Kind.OBJECTION, 0),
            competitors=by_month.get(m, {}).get(FieldVoice.Kind.COMPETITOR, 0),
            answered=by_month.get(m, {}).get("answered", 0),
        )
        for m in months
    ]
    return report


def report_months(flt: ReportFilter) -> list[date]:
    return _months(flt)


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "ja").startswith("en")


# --- Content feedback -----------------------------------------------------------------------


def lesson_feedback_for(*, rep: "User", lesson_id: int) -> LessonFeedback | None:
    """The rep's feedback on this lesson version, if any (one query; the lesson page's widget)."""
    return LessonFeedback.objects.filter(rep_id=rep.pk, lesson_id=lesson_id).first()


def lesson_feedback_in_course(*, rep: "User", course_id: int) -> dict[int, LessonFeedback]:
    """{lesson id: the rep's feedback} on the lessons (any version) of a course (one query; the lesson page keeps
    it with the rep's progress there)."""
    return {fb.lesson_id: fb for fb in LessonFeedback.objects.filter(rep_id=rep.pk, course_id=course_id)}


def lesson_feedback_visible_to(user: "User") -> QuerySet[LessonFeedback]:
    if not has_role(user, *INBOX_ROLES, Role.REP):
        return LessonFeedback.objects.none()
    return _scoped(user, LessonFeedback.objects.all())


@dataclass(frozen=True)
class InboxLesson:
    lesson_id: int  # the newest version's lesson with feedback
    title: str
    course_title: str
    total: int
    open: int
    worked: int
    last_at: datetime

    @property
    def did_not_work(self) -> int:
        return self.total - self.worked


def feedback_inbox(user: "User", *, status: str = "open") -> list[InboxLesson]:
    """Return the lessons with feedback (all versions of a lesson together), those with open feedback first."""
    if not can_see_inbox(user):
        return []
    feedback = lesson_feedback_visible_to(user).order_by()
    if status == LessonFeedback.Status.OPEN:
        feedback = feedback.filter(status=LessonFeedback.Status.OPEN)
    groups = list(
        feedback.values("lesson_key").annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status=LessonFeedback.Status.OPEN)),
            worked=Count("id", filter=Q(worked=True)),
            last_at=Max("updated_at"),
            newest=Max("lesson_id"),
        )
    )
    titles = {
        row["lesson_id"]: row
        for row in LessonFeedback.objects.filter(lesson_id__in=[g["newest"] for g in groups])
        .values("lesson_id", "lesson__title", "course__title")
        .distinct()
    }
    lessons = [
        InboxLesson(
            lesson_id=g["newest"],
            title=titles[g["newest"]]["lesson__title"],
            course_title=titles[g["newest"]]["course__title"],
            total=g["total"],
            open=g["open"],
            worked=g["worked"],
            last_at=g["last_at"],
        )
        for g in groups
    ]
    return sorted(lessons, key=lambda x: (x.open == 0, -x.last_at.timestamp()))


def access_feedback_lesson_for_user(user: "User", lesson_id: int) -> tuple["PublishedLesson", list[LessonFeedback]]:
    """Return a lesson with feedback this person may see, and its feedback (every version), open first."""
    if not can_see_inbox(user):
        raise Http404
    feedback = lesson_feedback_visible_to(user)
    anchor = feedback.filter(lesson_id=lesson_id).select_related("lesson__version__course").first()
    if anchor is None:
        raise Http404
    items = list(
        feedback.filter(lesson_key=anchor.lesson_key)
        .select_related("rep", "partner", "lesson__version", "handled_by")
        .order_by("status", "-updated_at", "-id")
    )
    items.sort(key=lambda f: f.status != LessonFeedback.Status.OPEN)
    return anchor.lesson, items


def access_feedback_for_handler(user: "User", feedback_id: int) -> LessonFeedback:
    if not can_handle_feedback(user):
        raise Http404
    try:
        return lesson_feedback_visible_to(user).select_related("rep", "lesson__version").get(pk=feedback_id)
    except (LessonFeedback.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def lesson_feedback_counts(*, keys: "list[Any]") -> dict[Any, tuple[int, int]]:
    """Return {lesson key: (feedback given, of which "didn't work with customers")} over every version."""
    rows = (
        LessonFeedback.objects.filter(lesson_key__in=keys)
        .values("lesson_key")
        .annotate(total=Count("id"), did_not_work=Count("id", filter=Q(worked=False)))
        .order_by()
    )
    return {row["lesson_key"]: (row["total"], row["did_not_work"]) for row in rows}
