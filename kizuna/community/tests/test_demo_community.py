"""The demo's community loads on top of the foundation demo, through the real services."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from kizuna.community import selectors, vocab
from kizuna.community.models import Answer, Question
from kizuna.records.models import Statement


def test_the_demo_community_has_answered_voted_and_accepted_questions(db, settings):
    from kizuna.accounts.models import User
    from kizuna.demo.community import QUESTIONS, seed_community

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo_seed", "--no-video", stdout=StringIO())
    if not Question.objects.exists():  # until demo_seed calls seed_community itself
        seed_community(now=timezone.now())

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
