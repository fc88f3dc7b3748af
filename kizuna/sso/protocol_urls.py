"""SAML protocol routes Kizuna answers itself under /accounts/, ahead of allauth's (included first in kizuna/urls.py).

The Single Logout service keeps allauth's URL and name-less regex layout (`/accounts/saml/<id>/sls/`, which the
SP metadata announces) but demands signed messages and ends the sessions the IdP names (slo.py).
"""

from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^saml/(?P<organization_slug>[^/]+)/sls/$", views.saml_sls),
]
