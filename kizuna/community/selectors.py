"""Reads of the community: who sees which posts, the question list, search, suggestions and profiles.

Visibility, in one place (``_scope``):
- the principal's staff see every agency's posts; partner people see the principal's posts, their own
  agency's, and — when their agency takes part across agencies (``partners_sharing``) — those of the
  other agencies that take part too. An agency that does not take part is invisible to the others.
- a hidden post is seen only by those who may moderate it (coaches and admins: all; a manager: their own
  agency's), marked as hidden. Everyone else gets a 404, the author included.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from kizuna.orgs.access import membership_of
from kizuna.orgs.models import Membership, Organization
from kizuna.orgs.sharing import Area, names_for, partners_sharing

from . import search
from .models import Answer, Follow, Question, Report, Vote

if TYPE_CHECKING:
    from kizuna.accounts.models import User

Role = Membership.Role
MODERATE_ALL = (Role.ADMIN, Role.COACH)
SUGGESTION_LIMIT = 5
PER_PAGE = 20
AUTHOR_RELATED = ("author__membership__organization",)


def _scope(user: "User") -> Q | None:
    """The filter on a post's ``partner`` for this viewer; None: they see nothing (kept for the request)."""
    if not hasattr(user, "_community_scope"):
        user._community_scope = _scope_of(user)  # type: ignore[attr-defined]  # a memo on the request's user object
    return user._community_scope  # type: ignore[attr-defined]


def _scope_of(user: "User") -> Q | None:
    m = membership_of(user)
    if m is None:
        return None
    if m.is_principal_staff:
        return Q()
    sharing = partners_sharing(Area.COMMUNITY)
    if m.organization_id in sharing:
        # Said as an exclusion (usually of nobody), so that the list can walk its index in order.
        partners = Organization.objects.filter(kind=Organization.Kind.PARTNER).values_list("pk", flat=True)
        apart = sorted(set(partners) - sharing - {m.organization_id})
        return ~Q(partner_id__in=apart) if apart else Q()
    return Q(partner__isnull=True) | Q(partner_id=m.organization_id)


def _hidden_seen(user: "User") -> Q:
    """Which hidden posts this viewer may see (as a moderator)."""
    m = membership_of(user)
    if m is not None and m.role in MODERATE_ALL:
        return Q(hidden_at__isnull=False)
    if m is not None and m.role == Role.MANAGER:
        return Q(hidden_at__isnull=False, partner_id=m.organization_id)
    return Q(pk__in=[])


def _visible(model: type[Question] | type[Answer], user: "User") -> QuerySet[Any]:
    scope = _scope(user)
    if scope is None:
        return model.objects.none()
    return model.objects.filter(scope).filter(Q(hidden_at__isnull=True) | _hidden_seen(user))


def questions_visible_to(user: "User") -> QuerySet[Question]:
    """Return the questions this person may open."""
    return _visible(Question, user)


def answers_visible_to(user: "User") -> QuerySet[Answer]:
    """Return the answers this person may read (on questions they may open)."""
    return _visible(Answer, user).filter(question__in=questions_visible_to(user))


def can_moderate(user: "User", post: Question | Answer) -> bool:
    """Coaches and admins moderate every post; a partner manager their own agency's."""
    m = membership_of(user)
    if m is None:
        return False
    if m.role in MODERATE_ALL:
        return True
    return m.role == Role.MANAGER and post.partner_id is not None and post.partner_id == m.organization_id


def is_moderator(user: "User") -> bool:
    m = membership_of(user)
    return m is not None and m.role in (*MODERATE_ALL, Role.MANAGER)


def can_edit(user: "User", post: Question | Answer) -> bool:
    return (post.author_id == user.pk and not post.is_hidden) or can_moderate(user, post)


def can_accept(user: "User", question: Question) -> bool:
    """The asker, or a coach (or the principal's admin), chooses the accepted answer."""
    m = membership_of(user)
    return question.author_id == user.pk or (m is not None and m.role in MODERATE_ALL)


def access_question_for_user(user: "User", question_id: Any) -> Question:
    try:
        return (
            questions_visible_to(user)
            .select_related("product", *AUTHOR_RELATED, "hidden_by")
            .prefetch_related("tags")
            .get(pk=question_id)
        )
    except (Question.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_answer_for_user(user: "User", answer_id: Any) -> Answer:
    try:
        return answers_visible_to(user).select_related("question", *AUTHOR_RELATED).get(pk=answer_id)
    except (Answer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def question_visible_to(user: "User", question: Question) -> bool:
    return questions_visible_to(user).filter(pk=question.pk).exists()


def answer_visible_to(user: "User", answer: Answer) -> bool:
    return answers_visible_to(user).filter(pk=answer.pk).exists()


# --- The list, search and suggestions ------------------------------------------------------


@dataclass(frozen=True)
class ListFilter:
    q: str = ""
    product_id: int | None = None
    tag_id: int | None = None
    show: str = ""  # "", "unanswered", "following", "mine"


def _filtered(user: "User", f: ListFilter) -> QuerySet[Question]:
    questions = questions_visible_to(user)
    if f.product_id:
        questions = questions.filter(product_id=f.product_id)
    if f.tag_id:
        # A subquery, not a join: search filters the question row by primary key (search.ranked_ids).
        tagged = Question.tags.through.objects.filter(question_id=OuterRef("pk"), tag_id=f.tag_id)
        questions = questions.filter(Exists(tagged))
    if f.show == "unanswered":
        questions = questions.filter(answer_count=0)
    elif f.show == "following":
        questions = questions.filter(Exists(Follow.objects.filter(question=OuterRef("pk"), user=user)))
    elif f.show == "mine":
        questions = questions.filter(author=user)
    return questions


def _with_related(questions: QuerySet[Question]) -> QuerySet[Question]:
    return questions.select_related("product", *AUTHOR_RELATED).prefetch_related("tags")


def _named(user: "User", posts: list[Any]) -> list[Any]:
    """Give each post the author's name as this viewer sees it, and whether their profile opens for them."""
    namer = names_for(user, Area.COMMUNITY)
    viewer = membership_of(user)
    for post in posts:
        post.author_name = namer.name(post.author)
        post.author_profile = _profile_opens(viewer, post.author)
    return posts


def _profile_opens(viewer: Membership | None, person: "User") -> bool:
    """The rule of ``access_person_for_profile``, on already loaded memberships (no query)."""
    member = getattr(person, "membership", None)
    if viewer is None or member is None or not person.is_active:
        return False
    return viewer.is_principal_staff or member.is_principal_staff or member.organization_id == viewer.organization_id


@dataclass
class QuestionPage:
    questions: list[Question]
    number: int
    has_next: bool
    has_previous: bool
    total: int | None  # None: not counted (a plain list)

    @property
    def capped(self) -> bool:
        """More matches than are ranked: only the newest are shown."""
        return self.total is not None and self.total >= search.MAX_RANKED


def question_list(user: "User", f: ListFilter, *, page: int = 1, per_page: int = PER_PAGE) -> QuestionPage:
    """Return one page of the questions the viewer may see: newest activity first, or best match for ``f.q``."""
    page = max(1, page)
    offset = (page - 1) * per_page
    questions = _filtered(user, f)
    total = None
    if f.q.strip():
        ids, total = search.ranked_ids(questions, f.q, any_word=False, limit=per_page + 1, offset=offset)
        by_id = {q.pk: q for q in _with_related(Question.objects.filter(pk__in=ids[:per_page]))}
        rows = [by_id[pk] for pk in ids[:per_page] if pk in by_id]
        more = len(ids) > per_page
    else:
        found = list(_with_related(questions.order_by("-last_activity_at", "-id"))[offset : offset + per_page + 1])
        rows, more = found[:per_page], len(found) > per_page
    return QuestionPage(questions=_named(user, rows), number=page, has_next=more, has_previous=page > 1, total=total)


def question_slice(user: "User", *, q: str, limit: int, offset: int) -> tuple[list[Question], int]:
    """Questions for the API: ``limit`` from ``offset``, newest activity first or best match for ``q``, and a count."""
    questions = questions_visible_to(user)
    if q.strip():
        ids, total = search.ranked_ids(questions, q, any_word=False, limit=limit, offset=offset)
        by_id = {row.pk: row for row in _with_related(Question.objects.filter(pk__in=ids))}
        return _named(user, [by_id[pk] for pk in ids if pk in by_id]), total
    rows = list(_with_related(questions.order_by("-last_activity_at", "-id"))[offset : offset + limit])
    return _named(user, rows), questions.count()


def similar_questions(user: "User", text: str, *, limit: int = SUGGESTION_LIMIT) -> list[Question]:
    """Return visible questions that share words with a title being typed, best first (hidden ones never)."""
    candidates = questions_visible_to(user).filter(hidden_at__isnull=True)
    ids, _total = search.ranked_ids(candidates, text, any_word=True, limit=limit)
    by_id = Question.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


# --- One question ---------------------------------------------------------------------------


@dataclass
class QuestionView:
    question: Question
    answers: list[Answer]
    following: bool
    can_edit: bool
    can_moderate: bool
    can_accept: bool


def question_view(user: "User", question: Question) -> QuestionView:
    """The question with its visible answers (accepted first, then most votes), names and the viewer's votes."""
    answers = list(
        _visible(Answer, user)
        .filter(question=question)
        .select_related(*AUTHOR_RELATED)
        .prefetch_related(Prefetch("votes", queryset=Vote.objects.filter(voter=user, withdrawn_at__isnull=True)))
    )
    answers.sort(key=lambda a: (a.accepted_at is None, -a.score, a.created_at, a.pk))
    _named(user, [question, *answers])
    for answer in answers:
        answer.voted = bool(answer.votes.all())
        answer.can_vote = answer.author_id != user.pk and not answer.is_hidden
        answer.can_edit = can_edit(user, answer)
        answer.can_moderate = can_moderate(user, answer)
    return QuestionView(
        question=question,
        answers=answers,
        following=Follow.objects.filter(question=question, user=user).exists(),
        can_edit=can_edit(user, question),
        can_moderate=can_moderate(user, question),
        can_accept=can_accept(user, question),
    )


def followers_of(question: Question) -> QuerySet["User"]:
    """Everyone following the question (the asker follows from the start)."""
    return (
        get_user_model()
        .objects.filter(pk__in=Follow.objects.filter(question=question).values("user_id"), is_active=True)
        .select_related("membership__organization")
    )


# --- Moderation -----------------------------------------------------------------------------


def reports_for(user: "User", *, open_only: bool = True) -> QuerySet[Report]:
    """Return the reports this person moderates: a manager their agency's posts, coaches and admins all."""
    m = membership_of(user)
    if m is None or m.role not in (*MODERATE_ALL, Role.MANAGER):
        return Report.objects.none()
    reports = Report.objects.select_related(
        "question", "answer__question", "reporter__membership__organization", "resolved_by"
    )
    if m.role == Role.MANAGER:
        reports = reports.filter(partner_id=m.organization_id)
    if open_only:
        reports = reports.filter(resolved_at__isnull=True)
    return reports.order_by("-created_at", "-id")


def access_report_for_moderator(user: "User", report_id: Any) -> Report:
    try:
        return reports_for(user, open_only=False).get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Profiles ---------------------------------------------------------------------------------


def access_person_for_profile(user: "User", person_id: Any) -> "User":
    """A community profile: one's own, the same agency's people, principal staff's; the principal sees all.

    People of another agency are named per the principal's setting (perhaps a pseudonym), so their profile is
    not linked across agencies: it answers 404.
    """
    m = membership_of(user)
    if m is None:
        raise Http404
    people = get_user_model().objects.filter(membership__isnull=False, is_active=True)
    if not m.is_principal_staff:
        people = people.filter(
            Q(membership__organization_id=m.organization_id) | Q(membership__role__in=Membership.PRINCIPAL_ROLES)
        )
    try:
        return people.select_related("membership__organization").get(pk=person_id)
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class Profile:
    person: "User"
    name: str
    answers: int
    accepted: int
    upvotes: int
    recognized: list[Answer]


def person_profile(viewer: "User", person: "User", *, limit: int = 20) -> Profile:
    """The person's answers the viewer may see: how many, how many accepted, up-votes, and the recognized ones."""
    answers = answers_visible_to(viewer).filter(author=person, hidden_at__isnull=True)
    stats = list(answers.values_list("accepted_at", "score"))
    recognized = list(
        answers.filter(Q(accepted_at__isnull=False) | Q(score__gt=0))
        .select_related("question")
        .order_by(F("accepted_at").desc(nulls_last=True), "-score", "-created_at")[:limit]
    )
    return Profile(
        person=person,
        name=names_for(viewer, Area.COMMUNITY).name(person),
        answers=len(stats),
        accepted=sum(1 for accepted, _score in stats if accepted),
        upvotes=sum(score for _accepted, score in stats),
        recognized=recognized,
    )
