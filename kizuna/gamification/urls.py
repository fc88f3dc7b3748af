"""Gamification routes; include with ``path("", include("kizuna.gamification.urls"))``."""

from django.urls import path

from . import views

app_name = "gamification"

urlpatterns = [
    path("rankings/", views.rankings, name="rankings"),
    path("badges/", views.badges, name="badges"),
    path("points/", views.point_rules, name="point_rules"),
    path("gamification/", views.gamification_admin, name="gamification_admin"),
    path("gamification/rescore/", views.gamification_rescore, name="gamification_rescore"),
    path("gamification/badges/new/", views.gamification_badge_new, name="gamification_badge_new"),
    path("gamification/badges/<slug:badge_slug>/", views.gamification_badge_edit, name="gamification_badge_edit"),
    path("gamification/reps/<int:rep_id>/", views.gamification_rep, name="gamification_rep"),
    path("gamification/reps/<int:rep_id>/kudos/", views.gamification_kudos, name="gamification_kudos"),
    path(
        "gamification/reps/<int:rep_id>/badges/<slug:badge_slug>/revoke/",
        views.gamification_revoke,
        name="gamification_revoke",
    ),
    path("gamification/spotlight/", views.gamification_spotlight, name="gamification_spotlight"),
    path(
        "gamification/spotlight/<int:spotlight_id>/remove/",
        views.gamification_spotlight_remove,
        name="gamification_spotlight_remove",
    ),
    path("gamification/celebrated/", views.gamification_celebrated, name="gamification_celebrated"),
    # Open Badges 2.0 hosted verification: public, stable URLs.
    path("openbadges/issuer.json", views.ob_issuer, name="ob_issuer"),
    path("openbadges/badges/<slug:badge_slug>.json", views.ob_badge_class, name="ob_badge_class"),
    path("openbadges/badges/<slug:badge_slug>/image", views.badge_image, name="badge_image"),
    path("openbadges/assertions/<uuid:assertion_id>.json", views.ob_assertion, name="ob_assertion"),
]
