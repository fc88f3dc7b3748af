"""Pages of the support desk: asking from any page, the asker's list and conversation, the principal's queue."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kizuna.catalog.markdown import render_markdown
from kizuna.media.serving import stored_file_response
from kizuna.ops.errors import add_to_form, message_user
from kizuna.orgs.access import Role, membership_of, role_required
from kizuna.orgs.menu import start_page_for

from . import help, selectors, services
from .first_run import DONE_COOKIE, DONE_COOKIE_MAX_AGE, DONE_SESSION_KEY
from .first_run import steps_for as first_run_steps
from .forms import AssignForm, HelpPageForm, HelpSearchForm, QueueFilterForm, ReplyForm, TicketForm
from .help_content import SCREEN, TIP

TICKETS_PER_PAGE = 30


def _page_from(request: HttpRequest) -> str:
    """The page the person asked from: the "?" link's ``from``, else the page that linked here."""
    page = request.GET.get("from", "")
    if not page:
        referer = request.headers.get("Referer", "")
        if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
            parts = urlsplit(referer)
            page = parts.path + (f"?{parts.query}" if parts.query else "")
    return services.page_url_clean(page)


@role_required(Role.MANAGER, Role.REP)
def ticket_new(request: HttpRequest) -> HttpResponse:
    form = TicketForm(request.POST or None, request.FILES or None, initial={"page_url": _page_from(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.ticket_create(
                asker=request.user,
                category=data["category"],
                subject=data["subject"],
                body=data["body"],
                page_url=data["page_url"],
                screenshot=data["screenshot"],
            )
        except services.SupportError as e:
            add_to_form(form, e)
        else:
            messages.success(request, _("Your question was sent. You will be notified when it is answered."))
            return redirect("support:ticket", ticket_id=ticket.pk)
    return render(request, "support/ticket_new.html", {"form": form})


@role_required(Role.ADMIN, Role.MANAGER, Role.REP)
def tickets(request: HttpRequest) -> HttpResponse:
    if membership_of(request.user).is_admin:  # type: ignore[union-attr]
        return redirect("support:queue")
    page = Paginator(selectors.tickets_for(request.user), TICKETS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "support/tickets.html", {"page": page})


@role_required(Role.ADMIN)
def queue_view(request: HttpRequest) -> HttpResponse:
    filters = QueueFilterForm(request.GET or {"status": "open"})
    criteria = filters.cleaned_data if filters.is_valid() else {"status": "open", "assignee": ""}
    assignee = criteria.get("assignee", "")
    found = selectors.queue(
        status=criteria.get("status", ""),
        assignee_id=request.user.pk if assignee == "me" else None,
        unassigned=assignee == "none",
    )
    page = Paginator(found, TICKETS_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    summary = selectors.desk_summary(now)
    rows = [(ticket, selectors.duration_label(selectors.response_time(ticket, now))) for ticket in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "support/queue.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "summary": summary,
            "median_label": selectors.duration_label(summary.median_first_response),
            "assignee": assignee,
            "status": criteria.get("status", ""),
            "query": query.urlencode(),
        },
    )


@role_required(Role.ADMIN, Role.MANAGER, Role.REP)
def ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    found = selectors.access_ticket_for_user(request.user, ticket_id)
    is_admin = membership_of(request.user).is_admin  # type: ignore[union-attr]
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ticket_reply(ticket=found, author=request.user, body=form.cleaned_data["body"])
        except services.SupportError as e:
            add_to_form(form, e)
        else:
            if is_admin:
                messages.success(request, _("Your answer was sent; the asker is notified."))
            else:
                messages.success(request, _("Your message was sent to the support desk."))
            return redirect("support:ticket", ticket_id=found.pk)
    assign_form = None
    if is_admin:
        assign_form = AssignForm(initial={"assignee": found.assignee_id}, team=list(selectors.operations_team()))
    return render(
        request,
        "support/ticket.html",
        {
            "ticket": found,
            "conversation": list(found.messages.select_related("author")),
            "form": form,
            "assign_form": assign_form,
            "is_admin": is_admin,
            "response_time": selectors.duration_label(selectors.response_time(found)),
        },
    )


@role_required(Role.ADMIN)
@require_POST
def ticket_assign_view(request: HttpRequest, ticket_id: int) -> HttpResponse:
    found = selectors.access_ticket_for_user(request.user, ticket_id)
    form = AssignForm(request.POST, team=list(selectors.operations_team()))
    if not form.is_valid():
        messages.error(request, _("Choose a member of the operations team."))
        return redirect("support:ticket", ticket_id=found.pk)
    value = form.cleaned_data["assignee"]
    try:
        services.ticket_assign(ticket=found, assignee=form.team.get(value) if value else None, by=request.user)
    except services.SupportError as e:
        message_user(request, e)
    else:
        messages.success(request, _("Saved."))
    return redirect("support:ticket", ticket_id=found.pk)


@role_required(Role.ADMIN, Role.MANAGER, Role.REP)
@require_POST
def ticket_close_view(request: HttpRequest, ticket_id: int) -> HttpResponse:
    found = selectors.access_ticket_for_user(request.user, ticket_id)
    services.ticket_close(ticket=found, by=request.user)
    messages.success(request, _("The question was closed. Reply to it to open it again."))
    return redirect("support:ticket", ticket_id=found.pk)


@role_required(Role.ADMIN, Role.MANAGER, Role.REP)
@require_http_methods(["GET", "HEAD"])
def ticket_screenshot(request: HttpRequest, ticket_id: int) -> HttpResponse:
    found = selectors.access_ticket_for_user(request.user, ticket_id)
    if not found.screenshot:
        raise Http404
    return stored_file_response(request, name=found.screenshot, content_type="image/jpeg")


# --- Help ------------------------------------------------------------------------------------------


def _role(request: HttpRequest) -> str | None:
    m = membership_of(request.user)
    return m.role if m else None


@login_required
def help_index(request: HttpRequest) -> HttpResponse:
    """The help: the "?" of a screen opens its page; otherwise search, the pages of one's role, and the tips."""
    role = _role(request)
    screen = request.GET.get("screen", "")
    found = help.help_for_screen(role, screen)
    if found is not None:
        return redirect("support:help_page", help_slug=found.slug)
    form = HelpSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    pages = help.help_pages(role)
    return render(
        request,
        "support/help_index.html",
        {
            "form": form,
            "query": query,
            "results": help.help_search(role, query) if query else None,
            "screens": [p for p in pages if p.kind == SCREEN],
            "tips": [p for p in pages if p.kind == TIP],
            "faqs": [p for p in pages if p.kind == help.FAQ],
            "can_ask": selectors.can_ask(request.user),
            "first_run_url": reverse("support:first_run") if first_run_steps(role) else "",
        },
    )


@login_required
def help_page(request: HttpRequest, help_slug: str) -> HttpResponse:
    found = help.help_page(_role(request), help_slug)
    if found is None:
        raise Http404
    return render(
        request,
        "support/help_page.html",
        {"page": found, "body": render_markdown(found.body), "can_ask": selectors.can_ask(request.user)},
    )


@role_required(Role.ADMIN)
def help_from_ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Turn a (frequent) question and its answers into a help page, pre-filled from the conversation."""
    found = selectors.access_ticket_for_user(request.user, ticket_id)
    answers = [m.body for m in found.messages.filter(from_principal=True)]
    initial = {"title_ja": found.subject, "body_ja": "\n\n".join(answers), "roles": [Role.MANAGER, Role.REP]}
    form = HelpPageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            page = services.help_page_create(created_by=request.user, from_ticket=found, **form.cleaned_data)
        except services.SupportError as e:
            add_to_form(form, e)
        else:
            messages.success(request, _("The help page was published; the help search finds it now."))
            return redirect("support:help_page", help_slug=page.slug)
    return render(request, "support/help_new.html", {"form": form, "ticket": found})


# --- Guided start ----------------------------------------------------------------------------------


@login_required
def first_run(request: HttpRequest) -> HttpResponse:
    """One step of the role's guided start (``?step=`` from 1)."""
    steps = first_run_steps(_role(request))
    if not steps:
        raise Http404
    try:
        number = min(max(int(request.GET.get("step", "1")), 1), len(steps))
    except ValueError:
        number = 1
    return render(
        request,
        "support/first_run.html",
        {"step": steps[number - 1], "number": number, "total": len(steps), "numbers": range(1, len(steps) + 1)},
    )


@login_required
@require_POST
def first_run_done(request: HttpRequest) -> HttpResponse:
    """Finish or skip the guided start: it is not offered again (re-opened from the help)."""
    m = membership_of(request.user)
    if m is None:
        raise Http404
    services.guided_start_finish(user=request.user, skipped=request.POST.get("skipped") == "1")
    request.session[DONE_SESSION_KEY] = True
    response = redirect(start_page_for(m.role))
    response.set_cookie(
        DONE_COOKIE, "1", max_age=DONE_COOKIE_MAX_AGE, httponly=True, samesite="Lax", secure=request.is_secure()
    )
    return response
