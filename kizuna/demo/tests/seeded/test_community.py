"""The demo's community loads on top of the foundation demo, through the real services."""

import pytest

from kizuna.community import selectors, vocab
from kizuna.community.models import Answer, Question
from kizuna.records.models import Statement

pytestmark = pytest.mark.xdist_group("demo")  # the package shares one seed (conftest.py)


def test_the_demo_community_has_answered_voted_and_accepted_questions(demo):
    from kizuna.accounts.models import User
    from kizuna.demo.community import QUESTIONS

    assert Question.objects.count() == len(QUESTIONS)
    assert Answer.objects.filter(by_coach=True).count() == 2
    assert Question.objects.filter(accepted_answer__isnull=False).count() == 3
    rep = User.objects.get(email="rep1@partner-b.example")
    page = selectors.question_list(rep, selectors.ListFilter(q="安い"))
    assert page.questions[0].title.startswith("「他社の勤怠システムの方が安い」")
    hidden = Question.objects.get(hidden_at__isnull=False)
    assert hidden not in selectors.questions_visible_to(rep)
    assert hidden in selectors.questions_visible_to(User.objects.get(email="manager@partner-a.example"))
    # Recognitions of answers (a published success story is received too, by the stories app).
    recognitions = Statement.objects.filter(verb=vocab.RECEIVED.iri, object_type=vocab.TYPE_ANSWER.iri)
    assert recognitions.count() == sum(a.score for a in Answer.objects.all()) + 3
