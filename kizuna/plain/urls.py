"""URLs of plain words: the glossary, its CSV, the target level."""

from django.urls import path

from . import views

app_name = "plain"

urlpatterns = [
    path("studio/glossary/", views.glossary, name="glossary"),
    path("studio/glossary/new/", views.term_new, name="term_new"),
    path("studio/glossary/<int:term_id>/", views.term_edit, name="term_edit"),
    path("studio/glossary/<int:term_id>/delete/", views.term_delete, name="term_delete"),
    path("studio/glossary/import/", views.glossary_import, name="glossary_import"),
    path("studio/glossary/export.csv", views.glossary_export, name="glossary_export"),
    path("studio/glossary/target/", views.target, name="target"),
    path("studio/plain/check/", views.check, name="check"),
    path("studio/glossary/<int:term_id>/explain/", views.term_explain, name="term_explain"),
    path("studio/glossary/words/", views.word_inbox, name="word_inbox"),
    path("learn/lessons/<int:lesson_id>/words/", views.word_ask, name="word_ask"),
]
