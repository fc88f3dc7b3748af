"""Screens of freshness: the studio list (stale first), one piece of content's review date and confirmation, and
marking a product changed."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kizuna.certification.errors import CertificationError
from kizuna.ops.errors import add_to_form
from kizuna.orgs.access import Role, role_required

from . import selectors, services
from .forms import ConfirmForm, FilterForm, FreshnessForm, ProductChangedForm

reviewing = role_required(Role.ADMIN, Role.AUTHOR)


@reviewing
@require_GET
def studio(request: HttpRequest) -> HttpResponse:
    filters = FilterForm(request.GET)
    criteria = filters.cleaned_data if filters.is_valid() else {"kind": "", "stale": False}
    rows = selectors.review_list(request.user, kind=criteria["kind"], stale_only=criteria["stale"])
    context = {
        "filters": filters,
        "rows": rows,
        "counts": selectors.stale_counts(rows),
        "products": selectors.product_choices(),
        "changes": selectors.product_changes()[:5],
    }
    return render(request, "freshness/studio.html", context)


def _edit_context(row: selectors.Row, form: FreshnessForm, confirm: ConfirmForm) -> dict:
    return {"row": row, "form": form, "confirm_form": confirm}


@reviewing
@require_http_methods(["GET", "POST"])
def freshness_edit(request: HttpRequest, review_kind: str, review_object_id: int) -> HttpResponse:
    row = selectors.access_row_for_reviewer(request.user, review_kind, review_object_id)
    products = selectors.product_choices()
    fresh = row.freshness
    initial = {"review_by": fresh.review_by, "products": list(fresh.products.all())} if fresh else {}
    form = FreshnessForm(request.POST or None, initial=initial, products=products)
    if request.method == "POST" and form.is_valid():
        try:
            services.freshness_set(
                user=request.user,
                kind=review_kind,
                object_id=review_object_id,
                review_by=form.cleaned_data["review_by"],
                products=list(form.cleaned_data["products"]),
            )
        except services.FreshnessError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("freshness:freshness_edit", review_kind=review_kind, review_object_id=review_object_id)
    confirm = ConfirmForm(initial={"next_review_by": services.review_date_default()})
    return render(request, "freshness/edit.html", _edit_context(row, form, confirm))


@reviewing
@require_POST
def freshness_confirm_view(request: HttpRequest, review_kind: str, review_object_id: int) -> HttpResponse:
    row = selectors.access_row_for_reviewer(request.user, review_kind, review_object_id)
    confirm = ConfirmForm(request.POST)
    if confirm.is_valid():
        try:
            fresh = services.freshness_confirm(
                user=request.user,
                kind=review_kind,
                object_id=review_object_id,
                next_review_by=confirm.cleaned_data["next_review_by"],
            )
        except services.FreshnessError as error:
            add_to_form(confirm, error)
        else:
            messages.success(
                request,
                _("Confirmed current. Next review by %(date)s.")
                % {"date": formats.date_format(fresh.review_by, "SHORT_DATE_FORMAT")},
            )
            if request.POST.get("next") == "list":
                return redirect(reverse("freshness:studio") + "?stale=on")
            return redirect("freshness:freshness_edit", review_kind=review_kind, review_object_id=review_object_id)
    form = FreshnessForm(products=selectors.product_choices())
    return render(request, "freshness/edit.html", _edit_context(row, form, confirm), status=400)


@reviewing
@require_http_methods(["GET", "POST"])
def product_changed(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.access_product_for_reviewer(request.user, product_id)
    certifications = [(c.pk, c.name) for c in selectors.certifications_about(product.pk)]
    if not selectors.can_reopen_certifications(request.user):
        certifications = []
    form = ProductChangedForm(request.POST or None, certifications=certifications)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.product_mark_changed(
                user=request.user,
                product=product,
                note=form.cleaned_data["note"],
                reopen_certification_ids=form.cleaned_data.get("certifications") or [],
            )
        except (services.FreshnessError, CertificationError) as error:  # e.g. a certification without requirements
            add_to_form(form, error)
        else:
            messages.success(
                request,
                _("%(count)s pieces of content were flagged for review and their authors notified.")
                % {"count": change.flagged_count},
            )
            return redirect(reverse("freshness:studio") + "?stale=on")
    context = {
        "product": product,
        "form": form,
        "linked": selectors.flagged_for_product(product.pk).count(),
        "changes": selectors.product_changes(product.pk)[:10],
    }
    return render(request, "freshness/product_changed.html", context)
