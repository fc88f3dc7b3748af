"""URLs of the KPI board, sales figures, "did learning move sales?" and rising talent."""

from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("kpis/", views.kpi_board, name="kpi_board"),
    path("kpis/chart/<slug:metric>.svg", views.kpi_chart, name="kpi_chart"),
    path("kpis/partners/<int:partner_id>/", views.kpi_partner_board, name="kpi_partner_board"),
    path("kpis/partners/<int:partner_id>/<slug:metric>.svg", views.kpi_partner_chart, name="kpi_partner_chart"),
    path("kpis/teams/<int:team_id>/", views.kpi_team_board, name="kpi_team_board"),
    path("kpis/teams/<int:team_id>/<slug:metric>.svg", views.kpi_team_chart, name="kpi_team_chart"),
    path("kpis/reps/<int:rep_id>/", views.kpi_rep, name="kpi_rep"),
    path("kpis/targets/", views.kpi_target_set, name="kpi_target_set"),
    path("kpis/import/", views.kpi_import, name="kpi_import"),
    path("kpis/import/template.csv", views.kpi_import_template, name="kpi_import_template"),
    path("kpis/effect/", views.kpi_effect, name="kpi_effect"),
    path("kpis/rising-talent/", views.rising_talent, name="rising_talent"),
    path("kpis/experiments/plan/", views.experiment_plan, name="experiment_plan"),
    path("kpis/experiments/", views.experiments, name="experiments"),
    path("kpis/experiments/new/", views.experiment_new, name="experiment_new"),
    path("kpis/experiments/<int:experiment_id>/", views.experiment_detail, name="experiment_detail"),
]
