"""Screens of the community: the list and search, asking (with similar questions), a question with its
answers, votes and acceptance, editing, hiding, reporting, the reports queue, profiles and photos."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.media.serving import stored_file_response
from kizuna.ops.bounds import MAX_PAGE_NUMBER, query_int
from kizuna.ops.errors import add_to_form, message_user
from kizuna.ops.repcache import kept, kept_shared, rep_page
from kizuna.orgs.access import membership_of

from . import selectors, services
from .forms import AnswerForm, HideForm, ListFilterForm, QuestionForm, ReasonForm
from .models import Answer, Question
from .services import CommunityError


def member_required(view: Any) -> Any:
    """Sign-in and a membership (any role); others get a 404."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if membership_of(request.user) is None:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# Others' questions and answers reach a person's list within this many seconds; their own at once.
LIST_SECONDS = 30


def _page_number(request: HttpRequest) -> int:
    return query_int(request.GET.get("page"), lo=1, hi=MAX_PAGE_NUMBER, default=1) or 1


@member_required
@require_GET
@rep_page(seconds=LIST_SECONDS)
def community(request: HttpRequest) -> HttpResponse:
    """The question list: search (Japanese full text), filters, newest activity first."""
    form = ListFilterForm(request.GET or None)
    f = selectors.ListFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        f = selectors.ListFilter(
            q=data["q"] or "",
            product_id=data["product"].pk if data["product"] else None,
            tag_id=data["tag"].pk if data["tag"] else None,
            show=data["show"] or "",
        )
    user, number = request.user, _page_number(request)
    # The products and topics to filter by change with the content; each process keeps their lists.
    for name, choices in kept_shared(user, "community_filters", lambda: _filter_choices(form)).items():
        form.fields[name].choices = choices
    if f.q.strip():
        page = selectors.question_list(user, f, page=number)
    else:
        # Browsing without a search: kept for LIST_SECONDS, or until the person posts (ops.repcache).
        key = f"community:{f.product_id}:{f.tag_id}:{f.show}:{number}"
        page = kept(
            user,
            {key: lambda: selectors.question_list(user, f, page=number)},
            turns=lambda _values: timezone.now() + timedelta(seconds=LIST_SECONDS),
        )[key]
    query = request.GET.copy()
    query.pop("page", None)
    filters_html = None
    if not query:
        # The search form unfilled is alike for everyone: its selects' many options are rendered once per process.
        filters_html = kept_shared(
            user, "community_filters_html", lambda: render_to_string("community/_filters.html", {"form": form})
        )
    return render(
        request,
        "community/list.html",
        {
            "form": form,
            "filter": f,
            "filters_html": filters_html,
            "page": page,
            "query": query.urlencode(),
            "is_moderator": selectors.is_moderator(request.user),
        },
    )


def _filter_choices(form: ListFilterForm) -> dict[str, list[tuple[str, str]]]:
    """The product and topic choices as plain pairs (what the select shows; the form still checks with a query)."""
    return {
        name: [(str(getattr(value, "value", value)), str(label)) for value, label in form.fields[name].choices]
        for name in ("product", "tag")
    }


@member_required
@require_http_methods(["GET", "POST"])
def community_ask(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.question_ask(
                author=request.user,
                title=data["title"],
                body=data["body"],
                product=data["product"],
                tags=list(data["tags"]),
                image=data.get("image") or None,
            )
        except CommunityError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Your question is posted. You will be told when someone answers."))
            return redirect(question)
    title = request.POST.get("title", "") if request.method == "POST" else ""
    similar = selectors.similar_questions(request.user, title) if title else []
    return render(request, "community/ask.html", {"form": form, "similar": similar})


@member_required
@require_GET
def community_similar(request: HttpRequest) -> HttpResponse:
    """Questions like the title being typed (htmx, debounced on the ask page)."""
    title = request.GET.get("title", "")[:200]
    similar = selectors.similar_questions(request.user, title) if title.strip() else []
    return render(request, "community/_similar.html", {"similar": similar})


@member_required
@require_GET
def community_question(request: HttpRequest, community_question_id: int) -> HttpResponse:
    question = selectors.access_question_for_user(request.user, community_question_id)
    return _question_page(request, question, AnswerForm())


def _question_page(
    request: HttpRequest, question: Question, answer_form: AnswerForm, status: int = 200
) -> HttpResponse:
    view = selectors.question_view(request.user, question)
    return render(
        request,
        "community/question.html",
        {"view": view, "question": question, "answer_form": answer_form, "hide_form": HideForm()},
        status=status,
    )


@member_required
@require_POST
def community_answer_post(request: HttpRequest, community_question_id: int) -> HttpResponse:
    question = selectors.access_question_for_user(request.user, community_question_id)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            answer = services.answer_post(
                question=question,
                author=request.user,
                body=form.cleaned_data["body"],
                image=form.cleaned_data.get("image") or None,
            )
        except CommunityError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Thank you for answering."))
            return redirect(answer.get_absolute_url())
    return _question_page(request, question, form, status=400)


@member_required
@require_http_methods(["GET", "POST"])
def community_question_edit(request: HttpRequest, community_question_id: int) -> HttpResponse:
    question = selectors.access_question_for_user(request.user, community_question_id)
    if not selectors.can_edit(request.user, question):
        raise Http404
    initial = {
        "title": question.title,
        "body": question.body,
        "product": question.product_id,
        "tags": [t.pk for t in question.tags.all()],
    }
    form = QuestionForm(request.POST or None, request.FILES or None, initial=initial, has_image=bool(question.image))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_edit(
                question=question,
                editor=request.user,
                title=data["title"],
                body=data["body"],
                product=data["product"],
                tags=list(data["tags"]),
                image=data.get("image") or None,
                remove_image=data.get("remove_image", False),
            )
        except CommunityError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(question)
    return render(request, "community/edit.html", {"form": form, "question": question, "answer": None})


@member_required
@require_http_methods(["GET", "POST"])
def community_answer_edit(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = selectors.access_answer_for_user(request.user, answer_id)
    if not selectors.can_edit(request.user, answer):
        raise Http404
    form = AnswerForm(
        request.POST or None, request.FILES or None, initial={"body": answer.body}, has_image=bool(answer.image)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_edit(
                answer=answer,
                editor=request.user,
                body=form.cleaned_data["body"],
                image=form.cleaned_data.get("image") or None,
                remove_image=form.cleaned_data.get("remove_image", False),
            )
        except CommunityError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(answer.get_absolute_url())
    return render(request, "community/edit.html", {"form": form, "question": answer.question, "answer": answer})


@member_required
@require_POST
def community_question_follow(request: HttpRequest, community_question_id: int) -> HttpResponse:
    question = selectors.access_question_for_user(request.user, community_question_id)
    if request.POST.get("action") == "unfollow":
        services.question_unfollow(question=question, user=request.user)
        messages.info(request, _("You no longer follow this question."))
    else:
        try:
            services.question_follow(question=question, user=request.user)
        except CommunityError as error:
            message_user(request, error)
        else:
            messages.success(request, _("Following. You will be told of new answers."))
    return redirect(question)


@member_required
@require_POST
def community_answer_vote(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = selectors.access_answer_for_user(request.user, answer_id)
    try:
        if request.POST.get("action") == "withdraw":
            services.answer_vote_withdraw(answer=answer, voter=request.user)
        else:
            services.answer_vote(answer=answer, voter=request.user)
    except CommunityError as error:
        message_user(request, error)
    return redirect(answer.get_absolute_url())


@member_required
@require_POST
def community_answer_accept(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = selectors.access_answer_for_user(request.user, answer_id)
    if not selectors.can_accept(request.user, answer.question):
        raise Http404
    try:
        if request.POST.get("action") == "unaccept":
            services.answer_unaccept(answer=answer, by=request.user)
            messages.info(request, _("The accepted answer was withdrawn."))
        else:
            services.answer_accept(answer=answer, by=request.user)
            messages.success(request, _("Chosen as the accepted answer. Its author is told."))
    except CommunityError as error:
        message_user(request, error)
    return redirect(answer.get_absolute_url())


def _moderate(request: HttpRequest, post: Question | Answer, *, hide: bool) -> HttpResponse:
    if not selectors.can_moderate(request.user, post):
        raise Http404
    if hide:
        form = HideForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write why the post is hidden."))
            return redirect(post.get_absolute_url())
        try:
            services.post_hide(post=post, moderator=request.user, reason=form.cleaned_data["reason"])
        except CommunityError as error:
            message_user(request, error)
        else:
            messages.success(request, _("Hidden. Only moderators can see it now."))
    else:
        services.post_unhide(post=post, moderator=request.user)
        messages.success(request, _("Shown again."))
    return redirect(post.get_absolute_url())


@member_required
@require_POST
def community_question_hide(request: HttpRequest, community_question_id: int) -> HttpResponse:
    question = selectors.access_question_for_user(request.user, community_question_id)
    return _moderate(request, question, hide=request.POST.get("action") != "unhide")


@member_required
@require_POST
def community_answer_hide(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = selectors.access_answer_for_user(request.user, answer_id)
    return _moderate(request, answer, hide=request.POST.get("action") != "unhide")


def _report(request: HttpRequest, post: Question | Answer, question: Question) -> HttpResponse:
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_report(post=post, reporter=request.user, reason=form.cleaned_data["reason"])
        except CommunityError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Thank you. The moderators will look at it."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "community/report.html",
        {"form": form, "question": question, "answer": post if isinstance(post, Answer) else None},
    )


@member_required
@require_http_methods(["GET", "POST"])
def community_question_report(request: HttpRequest, community_question_id: int) -> HttpResponse:
    question = selectors.access_question_for_user(request.user, community_question_id)
    return _report(request, question, question)


@member_required
@require_http_methods(["GET", "POST"])
def community_answer_report(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = selectors.access_answer_for_user(request.user, answer_id)
    return _report(request, answer, answer.question)


@member_required
@require_GET
def community_reports(request: HttpRequest) -> HttpResponse:
    """The moderators' queue of open reports (a manager: their agency's posts)."""
    if not selectors.is_moderator(request.user):
        raise Http404
    reports = list(selectors.reports_for(request.user)[:100])
    return render(request, "community/reports.html", {"reports": reports, "hide_form": HideForm()})


@member_required
@require_POST
def community_report_resolve(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.access_report_for_moderator(request.user, report_id)
    hide = request.POST.get("action") == "hide"
    try:
        services.report_resolve(report=report, moderator=request.user, hide=hide, reason=request.POST.get("reason", ""))
    except CommunityError as error:
        message_user(request, error)
    else:
        messages.success(request, _("The post is hidden.") if hide else _("The report is dismissed."))
    return redirect("community:community_reports")


@member_required
@require_GET
def community_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's answers in the community: accepted and up-voted ones first."""
    person = selectors.access_person_for_profile(request.user, person_id)
    profile = selectors.person_profile(request.user, person)
    return render(request, "community/person.html", {"profile": profile})


@require_http_methods(["GET", "HEAD"])
def community_question_image(request: HttpRequest, community_question_id: int) -> HttpResponse:
    question = selectors.access_question_for_user(request.user, community_question_id)
    if not question.image:
        raise Http404
    return stored_file_response(request, name=question.image, content_type="image/jpeg")


@require_http_methods(["GET", "HEAD"])
def community_answer_image(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = selectors.access_answer_for_user(request.user, answer_id)
    if not answer.image:
        raise Http404
    return stored_file_response(request, name=answer.image, content_type="image/jpeg")


@member_required
@require_GET
def community_question_activity(request: HttpRequest, question_key: str) -> HttpResponse:
    """The xAPI activity IRI of a question resolves to its page (for those who may see it)."""
    found = get_object_or_404(Question, key=question_key)
    return redirect(selectors.access_question_for_user(request.user, found.pk))


@member_required
@require_GET
def community_answer_activity(request: HttpRequest, answer_key: str) -> HttpResponse:
    found = get_object_or_404(Answer, key=answer_key)
    return redirect(selectors.access_answer_for_user(request.user, found.pk).get_absolute_url())
