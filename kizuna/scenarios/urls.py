"""URLs of scenarios: the player with its media, and the studio where editors build and publish scenarios."""

from django.urls import path

from . import analytics_views, studio_views, views

app_name = "scenarios"

urlpatterns = [
    # The player (reps; principal staff may play any version).
    path("play/scenarios/<int:version_id>/", views.scenario_play, name="scenario_play"),
    path("play/attempts/<int:attempt_id>/", views.scenario_attempt, name="scenario_attempt"),
    path("play/attempts/<int:attempt_id>/choose/", views.scenario_choose, name="scenario_choose"),
    path("play/attempts/<int:attempt_id>/answer/", views.scenario_answer, name="scenario_answer"),
    path("play/scenarios/<int:version_id>/offline/", views.scenario_offline, name="scenario_offline"),
    path("play/scenarios/<int:version_id>/offline/step/", views.scenario_offline_step, name="scenario_offline_step"),
    path(
        "scenarios/versions/<int:version_id>/images/<str:image_name>",
        views.scenario_media_image,
        name="scenario_media_image",
    ),
    path(
        "scenarios/versions/<int:version_id>/videos/<uuid:video_key>",
        views.scenario_media_video,
        name="scenario_media_video",
    ),
    path(
        "scenarios/versions/<int:version_id>/videos/<uuid:video_key>/phone",
        views.scenario_media_video_phone,
        name="scenario_media_video_phone",
    ),
    path(
        "scenarios/versions/<int:version_id>/videos/<uuid:video_key>/poster",
        views.scenario_media_poster,
        name="scenario_media_poster",
    ),
    # The studio (admins, authors, coaches).
    path("studio/scenarios/", studio_views.studio_scenarios, name="studio_scenarios"),
    path("studio/scenarios/new/", studio_views.studio_scenario_new, name="studio_scenario_new"),
    path("studio/scenarios/import/", studio_views.studio_scenario_import, name="studio_scenario_import"),
    path("studio/scenarios/values/", studio_views.studio_scenario_values, name="studio_scenario_values"),
    path(
        "studio/scenarios/values/<int:value_tag_id>/", studio_views.studio_scenario_value, name="studio_scenario_value"
    ),
    path("studio/scenarios/<int:scenario_id>/", studio_views.studio_scenario, name="studio_scenario"),
    path("studio/scenarios/<int:scenario_id>/map.svg", studio_views.studio_scenario_map, name="studio_scenario_map"),
    path(
        "studio/scenarios/<int:scenario_id>/export/",
        studio_views.studio_scenario_export,
        name="studio_scenario_export",
    ),
    path(
        "studio/scenarios/<int:scenario_id>/publish/",
        studio_views.studio_scenario_publish,
        name="studio_scenario_publish",
    ),
    path("studio/scenarios/<int:scenario_id>/start/", studio_views.studio_scenario_start, name="studio_scenario_start"),
    path(
        "studio/scenarios/<int:scenario_id>/nodes/new/",
        studio_views.studio_scenario_node_new,
        name="studio_scenario_node_new",
    ),
    path(
        "studio/scenarios/<int:scenario_id>/reference/",
        studio_views.studio_scenario_reference,
        name="studio_scenario_reference",
    ),
    path("studio/scenarios/nodes/<int:node_id>/", studio_views.studio_scenario_node, name="studio_scenario_node"),
    path(
        "studio/scenarios/nodes/<int:node_id>/image",
        studio_views.studio_scenario_node_image,
        name="studio_scenario_node_image",
    ),
    path(
        "studio/scenarios/nodes/<int:node_id>/choices/new/",
        studio_views.studio_scenario_choice_new,
        name="studio_scenario_choice_new",
    ),
    path(
        "studio/scenarios/choices/<int:choice_id>/",
        studio_views.studio_scenario_choice,
        name="studio_scenario_choice",
    ),
    path(
        "studio/scenarios/choices/<int:choice_id>/move/",
        studio_views.studio_scenario_choice_move,
        name="studio_scenario_choice_move",
    ),
    # The "think like a top rep" analytics of managers and the principal.
    path("partner/scenarios/", analytics_views.partner_scenarios, name="partner_scenarios"),
    path(
        "partner/scenarios/<int:scenario_id>/",
        analytics_views.partner_scenario_analytics,
        name="partner_scenario_analytics",
    ),
    path("principal/scenarios/", analytics_views.principal_scenarios, name="principal_scenarios"),
    path(
        "principal/scenarios/<int:scenario_id>/",
        analytics_views.principal_scenario_analytics,
        name="principal_scenario_analytics",
    ),
    path(
        "principal/scenarios/<int:scenario_id>/alignment.svg",
        analytics_views.principal_scenario_alignment_svg,
        name="principal_scenario_alignment_svg",
    ),
    path(
        "principal/scenarios/<int:scenario_id>/moments/<slug:node_key>.svg",
        analytics_views.principal_scenario_node_svg,
        name="principal_scenario_node_svg",
    ),
    path(
        "principal/scenarios/<int:scenario_id>/partners/<int:partner_id>/",
        analytics_views.partner_scenario_analytics_for,
        name="partner_scenario_analytics_for",
    ),
    path(
        "scenarios/<int:scenario_id>/reps/<int:rep_id>/",
        analytics_views.scenario_rep_analytics,
        name="scenario_rep_analytics",
    ),
]
