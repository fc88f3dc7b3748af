from django.urls import path

from . import views

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
]
