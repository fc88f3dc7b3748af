"""Screens of the author's studio (courses, modules, lessons, products, tags) and the admin's assignments."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.ops.error_pages import error_page
from kizuna.ops.errors import add_to_form, message_user
from kizuna.orgs.access import Role, access_partner_for_user, role_required

from . import selectors, services
from .forms import (
    AssignmentFilterForm,
    AssignmentForm,
    CourseCreateForm,
    CourseForm,
    LessonForm,
    LessonUseForm,
    ProductForm,
    TitleForm,
    TopicTagForm,
)
from .kinds import lesson_kinds
from .markdown import render_markdown
from .models import Course, Module, PublishedLesson
from .services import CatalogError

authoring = role_required(Role.ADMIN, Role.AUTHOR)
admin_only = role_required(Role.ADMIN)

ASSIGNMENTS_PER_PAGE = 50


def _course_url(course: Course | int, anchor: str = "") -> str:
    pk = course if isinstance(course, int) else course.pk
    return reverse("catalog:studio_course", args=[pk]) + (f"#{anchor}" if anchor else "")


# Courses


@authoring
@require_GET
def studio(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/studio.html", {"courses": selectors.studio_courses()})


@authoring
@require_http_methods(["GET", "POST"])
def studio_course_new(request: HttpRequest) -> HttpResponse:
    form = CourseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                tags = form.chosen_tags() + services.topic_tags_ensure(names=form.new_topic_tag_names())
                course = services.course_create(
                    author=request.user,
                    title=data["title"],
                    slug=data["slug"],
                    summary=data["summary"],
                    product=data["product"],
                    tags=tags,
                )
        except CatalogError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The course was created. Add modules and lessons next."))
            return redirect(_course_url(course))
    return render(request, "catalog/studio_course_new.html", {"form": form})


@authoring
@require_http_methods(["GET", "POST"])
def studio_course(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.access_draft_course_for_user(request.user, course_id)
    if request.method == "POST":
        form = CourseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                tags = form.chosen_tags() + services.topic_tags_ensure(names=form.new_topic_tag_names())
                services.course_update(
                    course=course, title=data["title"], summary=data["summary"], product=data["product"], tags=tags
                )
            messages.success(request, _("Saved."))
            return redirect(_course_url(course))
    else:
        form = CourseForm(initial=CourseForm.initial_for(course))
    context = {
        "course": course,
        "form": form,
        "outline": selectors.draft_outline(course),
        "problems": services.course_publish_problems(course),
        "versions": selectors.course_versions(course),
        "module_form": TitleForm(auto_id="new_module_%s"),
        "lesson_kinds": lesson_kinds(),
    }
    return render(request, "catalog/studio_course.html", context)


@authoring
@require_POST
def studio_course_publish(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.access_draft_course_for_user(request.user, course_id)
    problems = services.course_publish_problems(course)
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect(_course_url(course))
    try:
        version = services.course_publish(course=course, publisher=request.user)
    except CatalogError as error:
        message_user(request, error)
    else:
        messages.success(request, _("Published as version %(number)s.") % {"number": version.number})
    return redirect(_course_url(course))


@authoring
@require_POST
def studio_markdown_preview(request: HttpRequest) -> HttpResponse:
    """Return the sanitised HTML of a lesson body as it will look once published (an htmx fragment)."""
    return HttpResponse(render_markdown(request.POST.get("body", "")))


# Modules


@authoring
@require_POST
def studio_module_new(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.access_draft_course_for_user(request.user, course_id)
    form = TitleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the module's title."))
        return redirect(_course_url(course))
    module = services.module_create(course=course, title=form.cleaned_data["title"])
    messages.success(request, _("The module was added."))
    return redirect(_course_url(course, f"module-{module.pk}"))


@authoring
@require_http_methods(["GET", "POST"])
def studio_module_edit(request: HttpRequest, module_id: int) -> HttpResponse:
    module = selectors.access_module_for_user(request.user, module_id)
    if request.method == "POST" and request.POST.get("action") == "delete":
        course_id = module.course_id
        services.module_delete(module=module)
        messages.success(request, _("The module was deleted."))
        return redirect(_course_url(course_id))
    form = TitleForm(request.POST or None, initial={"title": module.title})
    if request.method == "POST" and form.is_valid():
        services.module_update(module=module, title=form.cleaned_data["title"])
        messages.success(request, _("Saved."))
        return redirect(_course_url(module.course_id, f"module-{module.pk}"))
    context = {"module": module, "course": module.course, "form": form, "lesson_count": module.lessons.count()}
    return render(request, "catalog/studio_module_edit.html", context)


# Lessons


def _lesson_values(form: LessonForm, lesson_body: str = "") -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "estimated_minutes": data["estimated_minutes"],
        "body": data.get("body", lesson_body) or "",
        "video": data.get("video"),
        "content_id": data.get("content"),
    }


@authoring
@require_http_methods(["GET", "POST"])
def studio_lesson_new(request: HttpRequest, module_id: int) -> HttpResponse:
    module = selectors.access_module_for_user(request.user, module_id)
    kind = request.POST.get("kind") or request.GET.get("kind")
    context: dict[str, Any] = {"module": module, "course": module.course}
    kinds = lesson_kinds()
    if kind not in dict(kinds):
        return render(request, "catalog/studio_lesson_kind.html", {**context, "kinds": kinds})
    form = LessonForm(request.POST or None, kind=kind, user=request.user)
    if request.method == "POST" and form.is_valid():
        lesson = services.lesson_create(module=module, kind=kind, **_lesson_values(form))
        messages.success(request, _("The lesson was added."))
        return redirect(_course_url(module.course_id, f"lesson-{lesson.pk}"))
    context.update(form=form, kind=kind)
    return render(request, "catalog/studio_lesson_form.html", context)


@authoring
@require_http_methods(["GET", "POST"])
def studio_lesson_use(request: HttpRequest) -> HttpResponse:
    """Put a quiz, scenario, survey or video into a course: the "use in a course" link of each kind's own screen."""
    offer = selectors.lesson_offer_for_user(request.user, kind=request.GET.get("kind"), ref=request.GET.get("id"))
    form = LessonUseForm(request.POST or None, offer=offer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lesson = services.lesson_create(
            module=data["module"],
            kind=offer.kind,
            title=data["title"],
            estimated_minutes=data["estimated_minutes"],
            video=offer.video,
            content_id=offer.content_id,
        )
        messages.success(request, _("The lesson was added to “%(title)s”.") % {"title": data["module"].course.title})
        return redirect(_course_url(data["module"].course_id, f"lesson-{lesson.pk}"))
    return render(request, "catalog/studio_lesson_use.html", {"offer": offer, "form": form})


@authoring
@require_http_methods(["GET", "POST"])
def studio_lesson_edit(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.access_draft_lesson_for_user(request.user, lesson_id)
    initial = {"title": lesson.title, "estimated_minutes": lesson.estimated_minutes, "body": lesson.body}
    initial["video"] = lesson.video_id
    initial["content"] = lesson.content_id
    form = LessonForm(request.POST or None, kind=lesson.kind, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.lesson_update(lesson=lesson, **_lesson_values(form, lesson.body))
        messages.success(request, _("Saved."))
        return redirect(_course_url(lesson.module.course_id, f"lesson-{lesson.pk}"))
    context = {
        "lesson": lesson,
        "module": lesson.module,
        "course": lesson.module.course,
        "form": form,
        "kind": lesson.kind,
    }
    return render(request, "catalog/studio_lesson_form.html", context)


@authoring
@require_POST
def studio_lesson_move(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.access_draft_lesson_for_user(request.user, lesson_id)
    steps = {"up": -1, "down": 1}
    direction = request.POST.get("direction", "")
    if direction not in steps:
        return error_page(request, 400, message=_("Move a lesson up or down."))
    services.lesson_move(lesson=lesson, direction=steps[direction])
    return redirect(_course_url(lesson.module.course_id, f"lesson-{lesson.pk}"))


@authoring
@require_POST
def studio_lesson_delete(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.access_draft_lesson_for_user(request.user, lesson_id)
    module: Module = lesson.module
    services.lesson_delete(lesson=lesson)
    messages.success(request, _("The lesson was deleted."))
    return redirect(_course_url(module.course_id, f"module-{module.pk}"))


# Products and tags


@authoring
@require_http_methods(["GET", "POST"])
def studio_products(request: HttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_create(name=form.cleaned_data["name"].strip(), slug=form.cleaned_data["slug"])
        except CatalogError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The product was added."))
            return redirect("catalog:studio_products")
    return render(request, "catalog/studio_products.html", {"form": form, "products": selectors.products_all()})


@authoring
@require_http_methods(["GET", "POST"])
def studio_tags(request: HttpRequest) -> HttpResponse:
    create_form = TopicTagForm(auto_id="new_tag_%s")
    rename_forms: dict[int, TopicTagForm] = {}
    if request.method == "POST":
        tag_id = request.POST.get("tag")
        if tag_id:
            tag = selectors.access_topic_tag_for_user(request.user, tag_id)  # type: ignore[arg-type]
            form = TopicTagForm(request.POST, tag=tag, auto_id=f"tag{tag.pk}_%s")
            if form.is_valid():
                services.tag_update(tag=tag, name_ja=form.cleaned_data["name_ja"], name_en=form.cleaned_data["name_en"])
                messages.success(request, _("Saved."))
                return redirect("catalog:studio_tags")
            rename_forms[tag.pk] = form
        else:
            create_form = TopicTagForm(request.POST, auto_id="new_tag_%s")
            if create_form.is_valid():
                data = create_form.cleaned_data
                try:
                    services.topic_tag_create(name_ja=data["name_ja"], name_en=data["name_en"])
                except CatalogError as error:
                    add_to_form(create_form, error)
                else:
                    messages.success(request, _("The topic tag was added."))
                    return redirect("catalog:studio_tags")
    topics = [
        (tag, rename_forms.get(tag.pk) or TopicTagForm(tag=tag, auto_id=f"tag{tag.pk}_%s", initial=vars(tag)))
        for tag in selectors.topic_tags()
    ]
    context = {"story_tags": selectors.story_tags(), "topics": topics, "create_form": create_form}
    return render(request, "catalog/studio_tags.html", context)


# Assignments


@admin_only
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest) -> HttpResponse:
    form = AssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["as_experiment"]:
            # The rollout as an experiment is the KPI app's (it draws the reps and gives the course per rep).
            query = urlencode({"course": data["course"].pk, "partners": data["partner"].pk})
            return redirect(f"{reverse('kpis:experiment_new')}?{query}")
        try:
            services.assignment_create(
                course=data["course"],
                assigned_by=request.user,
                required=data["required"],
                due_at=form.due_at(),
                **form.target_kwargs(),
            )
        except CatalogError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The course was assigned."))
            return redirect("catalog:assignments")
    filter_form = AssignmentFilterForm(request.GET or None, user=request.user)
    partner = None
    if request.GET.get("partner"):
        partner = access_partner_for_user(request.user, request.GET["partner"])  # type: ignore[arg-type]
    rows = selectors.assignments_for_admin(request.user, partner_id=partner.pk if partner else None)
    page = Paginator(rows, ASSIGNMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "filter_form": filter_form, "page": page, "partner": partner}
    return render(request, "catalog/assignments.html", context)


@admin_only
@require_POST
def assignment_delete(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.access_assignment_for_user(request.user, assignment_id)
    services.assignment_delete(assignment=assignment)
    messages.success(request, _("The assignment was deleted."))
    return redirect("catalog:assignments")


# --- The xAPI activity IRIs of courses and lessons open their pages ---------------------------


@login_required
def xapi_course_activity(request: HttpRequest, key: str) -> HttpResponse:
    course_obj = get_object_or_404(Course, key=key)
    return redirect(reverse("learning:course", args=[selectors.access_course_for_user(request.user, course_obj.pk).pk]))


@login_required
def xapi_lesson_activity(request: HttpRequest, key: str, number: int) -> HttpResponse:
    lesson_obj = get_object_or_404(PublishedLesson, key=key, version__number=number)
    return redirect(selectors.access_lesson_for_user(request.user, lesson_obj.pk).get_absolute_url())
