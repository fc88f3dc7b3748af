"""URLs of the "think like a top rep" analytics (included at the root next to kizuna.scenarios.urls)."""

from django.urls import path

from . import analytics_views as views

urlpatterns = [
    path("partner/scenarios/", views.partner_scenarios, name="partner_scenarios"),
    path(
        "partner/scenarios/<int:scenario_id>/",
        views.partner_scenario_analytics,
        name="partner_scenario_analytics",
    ),
    path("principal/scenarios/", views.principal_scenarios, name="principal_scenarios"),
    path(
        "principal/scenarios/<int:scenario_id>/",
        views.principal_scenario_analytics,
        name="principal_scenario_analytics",
    ),
    path(
        "principal/scenarios/<int:scenario_id>/alignment.svg",
        views.principal_scenario_alignment_svg,
        name="principal_scenario_alignment_svg",
    ),
    path(
        "principal/scenarios/<int:scenario_id>/moments/<slug:node_key>.svg",
        views.principal_scenario_node_svg,
        name="principal_scenario_node_svg",
    ),
    path(
        "principal/scenarios/<int:scenario_id>/partners/<int:partner_id>/",
        views.partner_scenario_analytics_for,
        name="partner_scenario_analytics_for",
    ),
    path(
        "scenarios/<int:scenario_id>/reps/<int:rep_id>/",
        views.scenario_rep_analytics,
        name="scenario_rep_analytics",
    ),
]
