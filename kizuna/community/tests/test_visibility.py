"""Who sees which posts, and under which names: across agencies per the principal's setting, an agency that
does not take part stays among itself, and hidden posts are seen by moderators only."""

import pytest

from kizuna.community import selectors, services
from kizuna.orgs.models import NameDisplay
from kizuna.orgs.sharing import partner_sharing_set, pseudonym, sharing_policy_set

from .conftest import answer, ask


def visible(user):
    return set(selectors.questions_visible_to(user))


def test_by_default_every_agency_sees_every_agencys_questions(cast):
    qa, qb, qc = ask(cast.rep_a1), ask(cast.rep_b1), ask(cast.coach)
    for person in (cast.rep_a1, cast.rep_b1, cast.manager_a, cast.author):
        assert visible(person) == {qa, qb, qc}


def test_an_agency_that_does_not_share_sees_only_its_own_and_the_principals_posts(cast):
    partner_sharing_set(partner=cast.partner_b, rankings=False, reviews=False, community=False)
    qa, qb, qc = ask(cast.rep_a1), ask(cast.rep_b1), ask(cast.coach)
    assert visible(cast.rep_b1) == {qb, qc}
    assert visible(cast.manager_b) == {qb, qc}
    # ... and the others do not see it.
    assert visible(cast.rep_a1) == {qa, qc}
    assert visible(cast.coach) == {qa, qb, qc}


def test_a_non_sharing_agencys_answer_on_a_principal_question_stays_within_it(cast):
    partner_sharing_set(partner=cast.partner_b, rankings=False, reviews=False, community=False)
    question = ask(cast.coach)
    b_answer = answer(question, cast.rep_b1)
    assert b_answer in selectors.answers_visible_to(cast.manager_b)
    assert b_answer not in selectors.answers_visible_to(cast.rep_a1)
    with pytest.raises(services.CommunityError):
        services.answer_vote(answer=b_answer, voter=cast.rep_a1)


@pytest.mark.parametrize(
    ("moderator", "sees"),
    [("coach", True), ("admin", True), ("manager_a", True), ("manager_b", False), ("author", False), ("rep_a2", False)],
)
def test_a_hidden_question_is_seen_by_its_moderators_only(cast, moderator, sees):
    question = ask(cast.rep_a1)
    services.post_hide(post=question, moderator=cast.coach, reason="重複")
    assert (question in visible(getattr(cast, moderator))) is sees
    assert question not in visible(cast.rep_a1)  # not even by its author


def test_names_across_agencies_follow_the_principals_setting(cast):
    question = ask(cast.rep_a1)
    sharing_policy_set(community_names=NameDisplay.PSEUDONYM, ranking_names="agency", review_names="pseudonym")
    view = selectors.question_view(cast.rep_b1, question)
    assert view.question.author_name == pseudonym(cast.rep_a1)
    assert selectors.question_view(cast.rep_a2, question).question.author_name == cast.rep_a1.name
    assert selectors.question_view(cast.coach, question).question.author_name == cast.rep_a1.name
    sharing_policy_set(community_names=NameDisplay.AGENCY, ranking_names="agency", review_names="pseudonym")
    name = selectors.question_view(cast.rep_b1, question).question.author_name
    assert cast.partner_a.name in name and cast.rep_a1.name not in name


def test_author_names_link_to_profiles_only_where_the_profile_opens(cast):
    question = ask(cast.rep_a1)
    answer(question, cast.coach)
    for viewer, question_link in ((cast.rep_a2, True), (cast.rep_b1, False), (cast.admin, True)):
        view = selectors.question_view(viewer, question)
        assert view.question.author_profile is question_link
        assert view.answers[0].author_profile is True  # the coach's profile opens for everyone
