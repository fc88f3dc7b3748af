"""Quiz analysis: item analysis and weak topics across partners for the principal; reps' results for managers.

The principal's staff (admin, author, coach) see aggregates over every partner, with
partner names. A partner manager sees their own agency's reps only; the admin and
coaches see the same page for any one partner. Every page runs a fixed number of
queries over the projections (ItemStat, TopicWeek, ReviewCard, Attempt).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kizuna.ops import charts
from kizuna.orgs.access import (
    Role,
    access_partner_for_user,
    access_rep_for_user,
    membership_of,
    role_required,
    visible_partners,
)

from . import selectors
from .models import Quiz

principal_staff = role_required(Role.ADMIN, Role.AUTHOR, Role.COACH)
results_viewers = role_required(Role.ADMIN, Role.COACH, Role.MANAGER)

RESULTS_PER_PAGE = 30


def _partner_choice(request: HttpRequest) -> Any:
    """The partner a principal viewer chose (?partner=id), or None for every partner."""
    raw = request.GET.get("partner")
    return access_partner_for_user(request.user, raw) if raw else None


@principal_staff
@require_GET
def quiz_analysis_list(request: HttpRequest) -> HttpResponse:
    """Every quiz with a published version, with how many attempts were submitted: the way into item analysis."""
    quizzes = selectors.quizzes_with_results()
    return render(request, "assessments/analysis_quizzes.html", {"quizzes": quizzes})


@principal_staff
@require_GET
def quiz_analysis(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """Per question of one version (or of every version): difficulty, discrimination, option choices, partners."""
    quiz: Quiz = selectors.access_quiz_for_user(request.user, quiz_id)
    summaries = selectors.quiz_version_summaries(quiz)
    number = request.GET.get("version")
    if number and not number.isdigit():
        raise Http404
    version = selectors.quiz_version(quiz, int(number)) if number else selectors.quiz_version(quiz)
    if number and version is None:
        raise Http404
    partner = _partner_choice(request)
    rows = selectors.item_analysis(request.user, quiz=quiz, version=version, partner=partner) if version else []
    if version is not None:
        # Keep the version's own order of questions.
        order = {key: n for n, key in enumerate(version.questions)}
        rows.sort(key=lambda r: order.get(str(r.question.key), 0))
    rates = selectors.item_partner_rates(request.user, [r.question for r in rows]) if partner is None else {}
    for row in rows:
        row.partners = rates.get(row.question.pk, [])
    summary = next((s for s in summaries if version is not None and s.version.pk == version.pk), None)
    return render(
        request,
        "assessments/analysis_quiz.html",
        {
            "quiz": quiz,
            "summaries": summaries,
            "version": version,
            "summary": summary,
            "partner": partner,
            "partners": visible_partners(request.user).order_by("name"),
            "rows": rows,
            "flagged": sum(1 for r in rows if r.flags),
            "charts": _item_charts(rows),
        },
    )


def _item_label(number: int, row: Any) -> str:
    return f"{number}. {row.question.title or row.question.text}"


def _item_charts(rows: list[Any]) -> list[str]:
    """Every question's difficulty (share right, with the lines outside which it is flagged) and discrimination
    (against zero: below it, strong reps get the question wrong more often than weak ones), on one screen."""
    answered = [(n, row) for n, row in enumerate(rows, start=1) if row.answered]
    if not answered:
        return []
    difficulty = charts.bar_chart(
        title=_("Right (difficulty) per question"),
        bars=[
            charts.Bar(
                _item_label(n, row), round(100 * (row.share_correct or 0)), f"{round(100 * (row.share_correct or 0))}%"
            )
            for n, row in answered
        ],
        marks=[
            (round(100 * selectors.TOO_HARD), _("Below this, a question is flagged as too hard")),
            (round(100 * selectors.TOO_EASY), _("Above this, a question is flagged as too easy")),
        ],
        fmt=lambda v: f"{v:g}%",
    )
    discrimination = charts.bar_chart(
        title=_("Discrimination per question"),
        bars=[
            charts.Bar(
                _item_label(n, row),
                row.discrimination,
                "–" if row.discrimination is None else f"{row.discrimination:.2f}",
            )
            for n, row in answered
        ],
        domain=(-1, 1),
        color=charts.BLUE,
        negative_color=charts.RED,
    )
    return [difficulty, discrimination]


@principal_staff
@require_GET
def topic_analysis(request: HttpRequest) -> HttpResponse:
    """Every topic's recent correctness across partners, weakest first, with each partner's rate."""
    return render(
        request,
        "assessments/analysis_topics.html",
        {"topics": selectors.topics_across_partners(request.user), "weeks": selectors.WEAK_TOPIC_WEEKS},
    )


@results_viewers
@require_GET
def quiz_results(request: HttpRequest) -> HttpResponse:
    """A manager's reps (or, for the admin and coaches, one partner's): results, weak topics, retention, reviews."""
    m = membership_of(request.user)
    partners = list(visible_partners(request.user).order_by("name"))
    if m is not None and m.is_manager:
        partner = access_partner_for_user(request.user, m.organization_id)
    else:
        partner = _partner_choice(request) or (partners[0] if partners else None)
    if partner is None:
        raise Http404
    recent = Paginator(selectors.reps_results(request.user).filter(partner=partner), RESULTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "assessments/quiz_results.html",
        {
            "partner": partner,
            "partners": partners if not m.is_manager else [],  # type: ignore[union-attr]
            "reps": selectors.reps_quiz_overview(request.user, partner=partner),
            "weak_topics": selectors.weak_topics(request.user, partner=partner),
            "retention": selectors.retention_by_topic(request.user, partner=partner),
            "recent": recent,
        },
    )


@results_viewers
@require_GET
def rep_quizzes(request: HttpRequest, rep_id: int) -> HttpResponse:
    """One rep's quiz attempts, weak topics, retention per topic and review backlog (their manager, admin, coaches)."""
    rep = access_rep_for_user(request.user, rep_id)
    attempts = Paginator(selectors.rep_attempts(request.user, rep), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/rep_quizzes.html",
        {
            "rep": rep,
            "attempts": attempts,
            "weak_topics": selectors.weak_topics(request.user, rep=rep),
            "retention": selectors.retention_by_topic(request.user, rep=rep),
            "review": selectors.home_review(rep),
        },
    )
