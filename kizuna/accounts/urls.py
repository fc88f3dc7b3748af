"""Account pages: accepting an invitation (under /accounts/, next to allauth's sign-in, sign-out and password
pages) and a person's own profile at /me/."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/invite/<uidb64>/<token>/", views.invitation_accept, name="invitation_accept"),
    path("me/", views.profile, name="profile"),
    path("me/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
