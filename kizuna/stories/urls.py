"""URLs of success stories: nominating, the rep's consent and interview, and the author's draft and publishing."""

from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("stories/", views.stories, name="stories"),
    path("stories/nominate/", views.nominate, name="nominate"),
    path("stories/<int:story_id>/", views.story, name="story"),
    path("stories/<int:story_id>/consent/", views.consent, name="consent"),
    path("stories/<int:story_id>/interview/", views.interview, name="interview"),
    path("stories/<int:story_id>/uploads", views.upload_create, name="upload_create"),
    path("stories/<int:story_id>/uploads/<uuid:upload_key>/finish", views.upload_finish, name="upload_finish"),
    path("stories/<int:story_id>/draft/", views.draft, name="draft"),
    path("stories/<int:story_id>/publish/", views.publish, name="publish"),
]
