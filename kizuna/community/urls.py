"""URLs of the Q&A community (コミュニティ)."""

from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("community/", views.community, name="community"),
    path("community/ask/", views.community_ask, name="community_ask"),
    path("community/similar/", views.community_similar, name="community_similar"),
    path("community/reports/", views.community_reports, name="community_reports"),
    path("community/reports/<int:report_id>/resolve/", views.community_report_resolve, name="community_report_resolve"),
    path("community/people/<int:person_id>/", views.community_person, name="community_person"),
    path("community/questions/<int:community_question_id>/", views.community_question, name="community_question"),
    path(
        "community/questions/<int:community_question_id>/edit/",
        views.community_question_edit,
        name="community_question_edit",
    ),
    path(
        "community/questions/<int:community_question_id>/answers/",
        views.community_answer_post,
        name="community_answer_post",
    ),
    path(
        "community/questions/<int:community_question_id>/follow/",
        views.community_question_follow,
        name="community_question_follow",
    ),
    path(
        "community/questions/<int:community_question_id>/hide/",
        views.community_question_hide,
        name="community_question_hide",
    ),
    path(
        "community/questions/<int:community_question_id>/report/",
        views.community_question_report,
        name="community_question_report",
    ),
    path(
        "community/questions/<int:community_question_id>/image",
        views.community_question_image,
        name="community_question_image",
    ),
    path("community/answers/<int:answer_id>/edit/", views.community_answer_edit, name="community_answer_edit"),
    path("community/answers/<int:answer_id>/vote/", views.community_answer_vote, name="community_answer_vote"),
    path("community/answers/<int:answer_id>/accept/", views.community_answer_accept, name="community_answer_accept"),
    path("community/answers/<int:answer_id>/hide/", views.community_answer_hide, name="community_answer_hide"),
    path("community/answers/<int:answer_id>/report/", views.community_answer_report, name="community_answer_report"),
    path("community/answers/<int:answer_id>/image", views.community_answer_image, name="community_answer_image"),
    path(
        "xapi/activities/community-question/<uuid:question_key>",
        views.community_question_activity,
        name="community_question_activity",
    ),
    path(
        "xapi/activities/community-answer/<uuid:answer_key>",
        views.community_answer_activity,
        name="community_answer_activity",
    ),
]
