"""The seed never touches a site that is already set up."""

from io import StringIO
from typing import Any

from django.core.management import call_command

from kizuna.accounts.models import User
from kizuna.catalog.models import Course
from kizuna.orgs.models import Organization


def test_it_leaves_a_site_that_already_has_a_principal_alone(db: Any) -> None:
    Organization.objects.create(name="本番の会社", slug="real", kind="principal")
    call_command("demo_seed", "--no-video", stdout=StringIO())
    assert not User.objects.exists()
    assert not Course.objects.exists()
    assert Organization.objects.count() == 1
