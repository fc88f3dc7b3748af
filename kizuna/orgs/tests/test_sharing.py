from django.urls import reverse

from kizuna.orgs.models import NameDisplay
from kizuna.orgs.sharing import (
    Area,
    cross_agency_allowed,
    names_for,
    partner_sharing_set,
    partners_sharing,
    pseudonym,
    sharing_policy_set,
)


def _person(user):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.select_related("membership__organization").get(pk=user.pk)


def test_own_agency_and_principal_staff_see_real_names(cast):
    sharing_policy_set(community_names="pseudonym", ranking_names="pseudonym", review_names="pseudonym")
    rep = _person(cast.rep_a1)
    assert names_for(_person(cast.rep_a2), Area.COMMUNITY).name(rep) == rep.name
    assert names_for(_person(cast.coach), Area.COMMUNITY).name(rep) == rep.name


def test_other_agencies_see_names_as_the_principal_chose(cast):
    rep = _person(cast.rep_a1)
    viewer = _person(cast.rep_b1)
    sharing_policy_set(community_names="real", ranking_names="agency", review_names="pseudonym")
    assert names_for(viewer, Area.COMMUNITY).name(rep) == rep.name
    assert cast.partner_a.name in names_for(viewer, Area.RANKINGS).name(rep)
    assert rep.name not in names_for(viewer, Area.RANKINGS).name(rep)
    assert names_for(viewer, Area.REVIEWS).name(rep) == pseudonym(rep)


def test_pseudonyms_are_stable_and_distinct(cast):
    assert pseudonym(cast.rep_a1) == pseudonym(cast.rep_a1)
    assert pseudonym(cast.rep_a1) != pseudonym(cast.rep_a2)
    assert cast.rep_a1.name not in pseudonym(cast.rep_a1)


def test_partners_take_part_as_their_agreement_says(cast):
    assert cross_agency_allowed(cast.partner_a, Area.COMMUNITY)
    assert not cross_agency_allowed(cast.partner_a, Area.RANKINGS)
    partner_sharing_set(partner=cast.partner_a, rankings=True, reviews=False, community=False)
    assert cross_agency_allowed(cast.partner_a, Area.RANKINGS)
    assert not cross_agency_allowed(cast.partner_a, Area.COMMUNITY)
    assert partners_sharing(Area.RANKINGS) == {cast.partner_a.pk}
    assert cast.partner_b.pk in partners_sharing(Area.COMMUNITY)


def test_the_admin_sets_the_name_display(cast, client):
    client.force_login(cast.admin)
    response = client.post(
        reverse("orgs:sharing_settings"),
        {"community_names": "agency", "ranking_names": "pseudonym", "review_names": "real"},
    )
    assert response.status_code == 302
    viewer = _person(cast.rep_b1)
    assert names_for(viewer, Area.REVIEWS).display == NameDisplay.REAL
    assert names_for(viewer, Area.COMMUNITY).display == NameDisplay.AGENCY


def test_only_the_admin_opens_the_sharing_settings(cast, client):
    for person in (cast.coach, cast.manager_a, cast.rep_a1):
        client.force_login(person)
        assert client.get(reverse("orgs:sharing_settings")).status_code == 404


def test_principal_staff_are_named_by_their_real_names_everywhere(cast):
    sharing_policy_set(community_names="pseudonym", ranking_names="agency", review_names="pseudonym")
    coach = _person(cast.coach)
    for area in Area.ALL:
        assert names_for(_person(cast.rep_b1), area).name(coach) == coach.name
