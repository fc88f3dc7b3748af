"""The writing assistant beside the editors, the explanation added in place, and what blocks publishing."""

from django.urls import reverse

from kizuna.catalog import services as catalog
from kizuna.plain import services


def _jargon(cast, **fields):
    return services.term_save(editor=cast.author, is_jargon=True, **fields)


def _check(client, text, field="body"):
    return client.post(reverse("plain:check"), {"field": field, "area": "id_body", field: text})


def test_the_assistant_marks_an_insider_term_with_the_glossarys_plain_wording(cast, signed_in):
    _jargon(cast, term_ja="ROI", explanation_ja="かけたお金に対するもうけ", plain_ja="費用対効果")
    body = _check(signed_in(cast.author), "今期はROIを上げます。").content.decode()
    assert "<mark>ROI</mark>" in body
    assert "費用対効果" in body
    assert "jReadability" in body


def test_the_assistant_reads_the_field_it_sits_beside(cast, signed_in):
    _jargon(cast, term_ja="ROI", explanation_ja="もうけ")
    response = signed_in(cast.author).post(
        reverse("plain:check"), {"field": "explanation", "explanation": "ROIです。", "body": "平易です。"}
    )
    assert "<mark>ROI</mark>" in response.content.decode()


def test_an_empty_field_gets_an_empty_fragment(cast, signed_in):
    assert _check(signed_in(cast.author), "  ").content == b""


def test_reps_cannot_use_the_assistant(cast, signed_in):
    assert _check(signed_in(cast.rep_a1), "ROI").status_code == 404


def test_an_author_adds_the_missing_explanation_in_place(cast, signed_in):
    term = _jargon(cast, term_ja="ヨミ")
    client = signed_in(cast.author)
    before = _check(client, "今月のヨミを出してください。").content.decode()
    assert "公開できません" in before or "公開するには" in before
    response = client.post(
        reverse("plain:term_explain", args=[term.pk]),
        {
            "field": "body",
            "area": "id_body",
            "body": "今月のヨミを出してください。",
            "plain_explanation": "契約になりそうな見込み",
        },
    )
    term.refresh_from_db()
    assert term.explanation_ja == "契約になりそうな見込み"
    assert "公開するには" not in response.content.decode()
    assert "契約になりそうな見込み" in response.content.decode()


def test_an_empty_explanation_is_refused_in_place(cast, signed_in):
    term = _jargon(cast, term_ja="ヨミ")
    response = signed_in(cast.author).post(
        reverse("plain:term_explain", args=[term.pk]), {"field": "body", "body": "ヨミ", "plain_explanation": " "}
    )
    assert "やさしい説明を書いてください" in response.content.decode()
    term.refresh_from_db()
    assert term.explanation_ja == ""


def test_a_partner_manager_may_check_but_not_change_the_glossary(cast, signed_in):
    term = _jargon(cast, term_ja="ヨミ")
    client = signed_in(cast.manager_a)
    body = _check(client, "ヨミを出す。").content.decode()
    assert "<mark>ヨミ</mark>" in body and "plain_explanation" not in body
    assert client.post(reverse("plain:term_explain", args=[term.pk]), {"plain_explanation": "x"}).status_code == 404


def _article_course(cast, body):
    course = catalog.course_create(author=cast.author, title="用語の講座", slug="words")
    module = catalog.module_create(course=course, title="はじめに")
    catalog.lesson_create(module=module, kind="article", title="見込みの出し方", body=body)
    return course


def test_an_insider_term_without_explanation_blocks_publishing_until_it_has_one(cast):
    term = _jargon(cast, term_ja="ヨミ")
    course = _article_course(cast, "毎週金曜にヨミを出します。")
    [problem] = catalog.course_publish_problems(course)
    assert "ヨミ" in problem
    services.term_explain(editor=cast.author, term=term, explanation="契約になりそうな見込み", lang="ja")
    assert catalog.course_publish_problems(course) == []


def test_other_findings_never_block_publishing(cast):
    _jargon(cast, term_ja="ROI", explanation_ja="もうけ")
    course = _article_course(cast, "ROIとCACとソリューションを説明します。" * 5)
    assert catalog.course_publish_problems(course) == []


def test_the_studio_outline_shows_each_articles_level(cast, signed_in):
    course = _article_course(cast, "お客様の話を聞きます。")
    body = signed_in(cast.author).get(reverse("catalog:studio_course", args=[course.pk])).content.decode()
    assert "plain-band" in body and "レベル" in body


def test_a_survey_question_with_an_unexplained_insider_term_cannot_be_published(cast):
    from kizuna.surveys import services as surveys

    _jargon(cast, term_ja="ヨミ")
    survey = surveys.survey_create(author=cast.author, title="見込みについて")
    surveys.survey_question_add(survey=survey, kind="text", text="今月のヨミは何件ですか")
    [problem] = surveys.survey_publish_problems(survey)
    assert "ヨミ" in problem
