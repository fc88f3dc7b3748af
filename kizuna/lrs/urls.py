from django.urls import path

from . import pages, views

app_name = "lrs"

urlpatterns = [
    path("xapi/", views.about, name="root"),
    path("xapi/about", views.about, name="about"),
    path("xapi/statements", views.statements, name="statements"),
    path("xapi/activities/state", views.activity_state, name="activity_state"),
    path("xapi/activities/profile", views.activity_profile, name="activity_profile"),
    path("xapi/activities", views.activities, name="activities"),
    path("xapi/agents/profile", views.agent_profile, name="agent_profile"),
    path("xapi/agents", views.agents, name="agents"),
    path("settings/lrs/forwarding/", pages.forwarding, name="forwarding"),
    path("settings/lrs/forwarding/<int:forwarder_id>/", pages.forwarder, name="forwarder"),
    path("settings/lrs/forwarding/<int:forwarder_id>/delete/", pages.forwarder_delete, name="forwarder_delete"),
]
