"""The one definition of "the active reps of a partner"."""

from conftest import make_person
from kizuna.orgs.models import Organization
from kizuna.orgs.selectors import active_rep_memberships, active_reps


def emails(users):
    return sorted(user.email for user in users)


def test_the_active_reps_are_the_reps_who_may_sign_in_and_no_other_role(cast):
    departed = make_person("gone@partner-a.example", "退職 者", cast.partner_a, "rep", cast.team_a1)
    departed.is_active = False
    departed.save()
    everyone = ["rep1@partner-a.example", "rep1@partner-b.example", "rep2@partner-a.example"]
    assert emails(active_reps()) == everyone
    assert emails(m.user for m in active_rep_memberships().select_related("user")) == everyone


def test_the_active_reps_of_a_partner_leave_out_every_other_partners(cast):
    partner_a = ["rep1@partner-a.example", "rep2@partner-a.example"]
    assert emails(active_reps(partner_ids=[cast.partner_a.pk])) == partner_a
    assert emails(m.user for m in active_rep_memberships(partner_ids=[cast.partner_a.pk])) == partner_a
    both = Organization.objects.filter(kind=Organization.Kind.PARTNER)
    assert emails(active_reps(partner_ids=both)) == emails(active_reps())
    assert list(active_reps(partner_ids=[])) == []
    assert list(active_rep_memberships(partner_ids=[cast.principal.pk])) == []
