"""URLs of quizzes: the rep's quiz and review, the quiz studio, and the analysis for the principal and managers."""

from django.urls import path

from . import analysis_views, grading_views, review_views, studio_views, views

app_name = "assessments"

urlpatterns = [
    # Reps: a quiz lesson's attempt and its result; today's review and retention.
    path("learn/lessons/<int:lesson_id>/attempt/", views.quiz_attempt, name="quiz_attempt"),
    path("learn/attempts/<int:quiz_attempt_id>/", views.quiz_attempt_result, name="quiz_attempt_result"),
    path("review/", review_views.review, name="review"),
    path("review/questions/<int:question_id>/", review_views.review_question, name="review_question"),
    path("review/retention/", review_views.review_retention, name="review_retention"),
    # The quiz studio (admin, author; coaches may look).
    path("studio/quizzes/", studio_views.studio_quizzes, name="studio_quizzes"),
    path("studio/quizzes/<int:quiz_id>/", studio_views.studio_quiz, name="studio_quiz"),
    path("studio/quizzes/<int:quiz_id>/add/", studio_views.studio_quiz_add, name="studio_quiz_add"),
    path("studio/quizzes/<int:quiz_id>/preview/", studio_views.studio_quiz_preview, name="studio_quiz_preview"),
    path("studio/quiz-items/<int:quiz_item_id>/", studio_views.studio_quiz_item, name="studio_quiz_item"),
    path("studio/banks/", studio_views.studio_banks, name="studio_banks"),
    path("studio/banks/<int:bank_id>/", studio_views.studio_bank, name="studio_bank"),
    path("studio/banks/<int:bank_id>/questions/new/", studio_views.studio_question_new, name="studio_question_new"),
    path("studio/banks/<int:bank_id>/import/", studio_views.studio_bank_import, name="studio_bank_import"),
    path("studio/gift-imports/<int:gift_import_id>/", studio_views.studio_gift_import, name="studio_gift_import"),
    path(
        "studio/gift-imports/<int:gift_import_id>/cancel/",
        studio_views.studio_gift_import_cancel,
        name="studio_gift_import_cancel",
    ),
    path("studio/banks/<int:bank_id>/export.gift", studio_views.studio_bank_export, name="studio_bank_export"),
    path("studio/questions/<int:question_id>/", studio_views.studio_question, name="studio_question"),
    # Analysis: item analysis and topics for the principal; results and retention for managers (own agency).
    path("analysis/quizzes/", analysis_views.quiz_analysis_list, name="quiz_analysis_list"),
    path("analysis/quizzes/<int:quiz_id>/", analysis_views.quiz_analysis, name="quiz_analysis"),
    path("analysis/topics/", analysis_views.topic_analysis, name="topic_analysis"),
    path("quizzes/results/", analysis_views.quiz_results, name="quiz_results"),
    path("reps/<int:rep_id>/quizzes/", analysis_views.rep_quizzes, name="rep_quizzes"),
    # Essays: a coach or the rep's manager grades them with the essay's rubric.
    path("quizzes/grading/", grading_views.grading_list, name="grading_list"),
    path("quizzes/grading/<int:quiz_attempt_id>/", grading_views.grading_attempt, name="grading_attempt"),
]
