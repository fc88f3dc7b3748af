"""URLs of the progress dashboards."""

from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("partner/dashboard/", views.partner_dashboard, name="partner_dashboard"),
    path("partner/dashboard.csv", views.partner_dashboard_csv, name="partner_dashboard_csv"),
    path("principal/dashboard/", views.principal_dashboard, name="principal_dashboard"),
    path("principal/dashboard/completion.svg", views.principal_completion_svg, name="principal_completion_svg"),
    path("principal/partners/<int:partner_id>/dashboard/", views.partner_dashboard_for, name="partner_dashboard_for"),
    path(
        "principal/partners/<int:partner_id>/dashboard.csv",
        views.partner_dashboard_for_csv,
        name="partner_dashboard_for_csv",
    ),
    path("reps/<int:rep_id>/", views.rep_detail, name="rep_detail"),
]
