"""URLs of agreements, compliance and learning time."""

from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/partners/<int:partner_id>/", views.agreement_partner, name="agreement_partner"),
    path("agreements/partners/<int:partner_id>/new/", views.agreement_version_new, name="agreement_version_new"),
    path("agreements/versions/<int:agreement_version_id>/", views.agreement_version, name="agreement_version"),
    path(
        "agreements/versions/<int:agreement_version_id>/accept/",
        views.agreement_version_accept_view,
        name="agreement_version_accept",
    ),
    path("partner/agreement/", views.my_agreement, name="my_agreement"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
    path("compliance/partners/<int:partner_id>/", views.compliance_for, name="compliance_for"),
    path("compliance/partners/<int:partner_id>/export/", views.compliance_export, name="compliance_for_export"),
    path("learning-time/", views.learning_time, name="learning_time"),
    path("learning-time/export/", views.learning_time_export, name="learning_time_export"),
    path("learning-time/partners/<int:partner_id>/", views.learning_time_for, name="learning_time_for"),
    path(
        "learning-time/partners/<int:partner_id>/export/",
        views.learning_time_export,
        name="learning_time_for_export",
    ),
    path("learning-time/reps/<int:rep_id>/", views.learning_time_rep, name="learning_time_rep"),
]
