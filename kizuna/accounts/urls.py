"""Account pages under /accounts/, next to allauth's sign-in, sign-out and password pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("invite/<uidb64>/<token>/", views.invitation_accept, name="invitation_accept"),
]
