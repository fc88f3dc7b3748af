"""URLs of the studio's freshness list: review dates, confirmation, and product changes."""

from django.urls import path

from . import views

app_name = "freshness"

urlpatterns = [
    path("studio/freshness/", views.studio, name="studio"),
    path("studio/freshness/<slug:review_kind>/<int:review_object_id>/", views.freshness_edit, name="freshness_edit"),
    path(
        "studio/freshness/<slug:review_kind>/<int:review_object_id>/confirm/",
        views.freshness_confirm_view,
        name="freshness_confirm",
    ),
    path("studio/freshness/products/<int:product_id>/changed/", views.product_changed, name="product_changed"),
]
