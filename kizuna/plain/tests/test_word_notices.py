"""Word questions reach people: the authors in one notification per batch, the rep once their word is explained."""

from django.urls import reverse
from django.utils import translation

from conftest import publish_course
from kizuna.notifications.models import Notification
from kizuna.ops.schedule import registered_jobs
from kizuna.plain import services
from kizuna.plain.lessons import AskedLesson


def _lesson(cast):
    course = publish_course(
        cast,
        slug="yomi",
        title="見込みの講座",
        lessons=[{"kind": "article", "title": "ヨミの出し方", "body": "毎週金曜にヨミを出します。KGIも見ます。"}],
    )
    lesson = course.latest_version.lessons.get()
    return AskedLesson(id=lesson.pk, title=lesson.title, course_title=course.title)


def _asks(cast, lesson, *pairs):
    for rep, word in pairs:
        services.word_ask(rep=rep, lesson=lesson, word=word, sentence="毎週金曜にヨミを出します。")


def _notices(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_authors_get_one_notification_for_a_batch_of_asks_linking_to_the_words_page(cast):
    lesson = _lesson(cast)
    _asks(cast, lesson, (cast.rep_a1, "ヨミ"), (cast.rep_a2, "ヨミ"), (cast.rep_b1, "KGI"))
    assert services.word_questions_notify() >= 1
    [notice] = _notices(cast.author, "plain.words_asked")
    assert notice.url == reverse("plain:word_inbox")
    assert notice.params["count"] == 2 and notice.params["asks"] == 3
    assert "ヨミ" in notice.body_text and "KGI" in notice.body_text


def test_an_ask_is_reported_to_the_authors_only_once(cast):
    lesson = _lesson(cast)
    _asks(cast, lesson, (cast.rep_a1, "ヨミ"))
    services.word_questions_notify()
    assert services.word_questions_notify() == 0
    _asks(cast, lesson, (cast.rep_a2, "KGI"))
    services.word_questions_notify()
    first, second = sorted(_notices(cast.author, "plain.words_asked"), key=lambda n: n.pk)
    assert first.params["words"] == "ヨミ" and second.params["words"] == "KGI"


def test_reps_and_partner_managers_never_get_the_authors_notice(cast):
    _asks(cast, _lesson(cast), (cast.rep_a1, "ヨミ"))
    services.word_questions_notify()
    assert not Notification.objects.filter(recipient__in=[cast.rep_a1, cast.manager_a], kind="plain.words_asked")


def test_the_batch_runs_every_hour(cast):
    job = next(j for j in registered_jobs() if j.id == "plain_word_questions")
    assert job.cron == {"minute": 5}


def test_the_rep_is_told_when_the_word_they_asked_about_gets_an_explanation(cast):
    lesson = _lesson(cast)
    _asks(cast, lesson, (cast.rep_a1, "ヨミ"))
    term = services.term_save(editor=cast.author, term_ja="ヨミ", is_jargon=True)  # no explanation: nothing to tell
    assert _notices(cast.rep_a1, "plain.word_explained") == []
    services.term_save(editor=cast.author, term=term, term_ja="ヨミ", is_jargon=True, explanation_ja="契約の見込み")
    [notice] = _notices(cast.rep_a1, "plain.word_explained")
    assert notice.url == reverse("learning:lesson", args=[lesson.id])
    with translation.override("ja"):
        assert "「ヨミ」" in notice.title_text
    services.term_save(editor=cast.author, term=term, term_ja="ヨミ", explanation_ja="言い直し", is_jargon=True)
    assert len(_notices(cast.rep_a1, "plain.word_explained")) == 1  # told once


def test_explaining_in_place_or_by_import_tells_the_askers_too(cast):
    lesson = _lesson(cast)
    _asks(cast, lesson, (cast.rep_a1, "ヨミ"), (cast.rep_a2, "kgi"))
    term = services.term_save(editor=cast.author, term_ja="ヨミ", is_jargon=True)
    services.term_explain(editor=cast.author, term=term, explanation="契約の見込み", lang="ja")
    services.glossary_import(
        editor=cast.author, data=b"term (English),explanation (English)\nKGI,The goal we measure\n"
    )
    assert len(_notices(cast.rep_a1, "plain.word_explained")) == 1
    assert len(_notices(cast.rep_a2, "plain.word_explained")) == 1  # the word matched whatever its case


def test_the_words_page_sends_an_unexplained_term_to_its_edit_page(cast, signed_in):
    lesson = _lesson(cast)  # published before the term became insider jargon without explanation
    term = services.term_save(editor=cast.author, term_ja="ヨミ", is_jargon=True)
    _asks(cast, lesson, (cast.rep_a1, "ヨミ"))
    page = signed_in(cast.author).get(reverse("plain:word_inbox")).content.decode()
    assert reverse("plain:term_edit", args=[term.pk]) in page
