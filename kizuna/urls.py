"""URL map: each app owns its own urls.py; the API lives under /api/v1."""

from django.contrib import admin
from django.urls import include, path

from kizuna.accounts.views import admin_sign_in
from kizuna.api.api import api

# Errors in the person's language inside the layout; problem documents for JSON callers.
handler400 = "kizuna.ops.error_pages.bad_request"
handler403 = "kizuna.ops.error_pages.permission_denied"
handler404 = "kizuna.ops.error_pages.page_not_found"
handler500 = "kizuna.ops.error_pages.server_error"
handler429 = "kizuna.ops.error_pages.too_many_requests"  # allauth's sign-in flood guard

urlpatterns = [
    path("", include("kizuna.accounts.urls")),
    path("accounts/", include("kizuna.sso.protocol_urls")),  # SAML Single Logout, ahead of allauth's
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    # The admin signs in on the sign-in page (second factor, single sign-on rules), not with its own form.
    path("django-admin/login/", admin_sign_in, name="admin_sign_in"),
    path("django-admin/", admin.site.urls),
    path("", include("kizuna.api.urls")),
    path("", include("kizuna.learning.urls")),
    path("", include("kizuna.records.urls")),
    path("", include("kizuna.catalog.urls")),
    path("", include("kizuna.orgs.urls")),
    path("", include("kizuna.audit.urls")),
    path("", include("kizuna.media.urls")),
    path("", include("kizuna.analytics.urls")),
    path("", include("kizuna.kpis.urls")),
    path("", include("kizuna.gamification.urls")),
    path("", include("kizuna.assessments.urls")),
    path("", include("kizuna.scenarios.urls")),
    path("", include("kizuna.updates.urls")),
    path("", include("kizuna.community.urls")),
    path("", include("kizuna.notifications.urls")),
    path("", include("kizuna.surveys.urls")),
    path("", include("kizuna.packages.urls")),
    path("", include("kizuna.live.urls")),
    path("", include("kizuna.coaching.urls")),
    path("", include("kizuna.feedback.urls")),
    path("", include("kizuna.agreements.urls")),
    path("", include("kizuna.certification.urls")),
    path("", include("kizuna.incentives.urls")),
    path("", include("kizuna.privacy.urls")),
    path("", include("kizuna.lrs.urls")),
    path("", include("kizuna.cmi5.urls")),
    path("", include("kizuna.scim.urls")),
    path("", include("kizuna.sso.urls")),
    path("", include("kizuna.support.urls")),
    path("", include("kizuna.freshness.urls")),
    path("", include("kizuna.stories.urls")),
    path("", include("kizuna.pwa.urls")),
    path("", include("kizuna.plain.urls")),
]
