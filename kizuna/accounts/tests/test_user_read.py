"""The signed-in user's read (accounts.backends): SQL written once, the same objects as the ORM's select_related."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuna.accounts.backends import MembershipModelBackend, user_with_membership
from kizuna.orgs.models import Membership

User = get_user_model()


def _orm(pk: Any) -> Any:
    return User.objects.select_related("membership__organization", "membership__team").get(pk=pk)


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_read_gives_what_the_orm_gives_in_one_query(cast):
    cast.rep_a1.language = "en"
    cast.rep_a1.save(update_fields=["language"])
    for person in (cast.rep_a1, cast.admin, cast.manager_b):  # with a team, without one, another partner
        orm = _orm(person.pk)
        with CaptureQueriesContext(connection) as queries:
            user = user_with_membership(str(person.pk))  # the session keeps the id as text
            membership, organization, team = user.membership, user.membership.organization, user.membership.team
            assert membership.user is user
        assert len(queries) == 1
        assert _fields(user) == _fields(orm)
        assert _fields(membership) == _fields(orm.membership)
        assert _fields(organization) == _fields(orm.membership.organization)
        assert (team and _fields(team)) == (orm.membership.team and _fields(orm.membership.team))
        assert not user._state.adding and user._state.db == "default"
    assert user_with_membership(cast.rep_a1.pk).language == "en"
    assert user_with_membership(cast.admin.pk).membership.team is None


def test_nobody_for_a_missing_id_and_no_membership_reads_as_the_orm_says(cast):
    assert user_with_membership(10**9) is None
    assert user_with_membership("not a number") is None
    loner = User.objects.create_user("loner@example.com", "x" * 12, name="一人")
    user = user_with_membership(loner.pk)
    assert user.email == "loner@example.com"
    assert not hasattr(user, "membership")  # RelatedObjectDoesNotExist, as through the ORM, without a query


def test_every_request_reads_the_person_as_they_are_now(cast, signed_in):
    """Nothing is kept between requests: a role change, a move to another agency or a deactivation shows at once."""
    backend = MembershipModelBackend()
    Membership.objects.filter(user=cast.rep_a1).update(role="manager", team=cast.team_a2)
    user = backend.get_user(cast.rep_a1.pk)
    assert user.membership.role == "manager" and user.membership.team == cast.team_a2
    Membership.objects.filter(user=cast.rep_a1).update(organization=cast.partner_b, team=None)
    assert backend.get_user(cast.rep_a1.pk).membership.organization == cast.partner_b
    client = signed_in(cast.rep_b1)
    assert client.get("/me/").status_code == 200
    User.objects.filter(pk=cast.rep_b1.pk).update(is_active=False)
    assert backend.get_user(cast.rep_b1.pk) is None
    assert client.get("/me/").status_code == 302  # signed out
