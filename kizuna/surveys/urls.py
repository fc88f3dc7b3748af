"""URLs of surveys (アンケート)."""

from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("studio/surveys/", views.studio_surveys, name="studio_surveys"),
    path("studio/surveys/<int:survey_id>/", views.studio_survey, name="studio_survey"),
    path(
        "studio/surveys/<int:survey_id>/questions/", views.studio_survey_question_add, name="studio_survey_question_add"
    ),
    path(
        "studio/surveys/questions/<int:survey_question_id>/move",
        views.studio_survey_question_move,
        name="studio_survey_question_move",
    ),
    path("studio/surveys/<int:survey_id>/publish", views.studio_survey_publish, name="studio_survey_publish"),
    path("studio/surveys/<int:survey_id>/send", views.studio_survey_send, name="studio_survey_send"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/answer/<int:survey_version_id>/", views.survey_answer, name="survey_answer"),
    path("surveys/<int:survey_id>/results/", views.survey_results, name="survey_results"),
    path("surveys/<int:survey_id>/results.csv", views.survey_results_csv, name="survey_results_csv"),
    path("learn/lessons/<int:lesson_id>/survey", views.survey_lesson_answer, name="survey_lesson_answer"),
    # Last, so that the isolation walk's insiders delete the question only after every other route used it.
    path(
        "studio/surveys/questions/<int:survey_question_id>/delete",
        views.studio_survey_question_delete,
        name="studio_survey_question_delete",
    ),
]
