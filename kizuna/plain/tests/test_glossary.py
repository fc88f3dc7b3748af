from django.urls import reverse

from kizuna.plain import services
from kizuna.plain.models import Term


def _term(cast, **fields):
    return services.term_save(editor=cast.author, **fields)


def test_an_author_adds_a_term_with_its_plain_explanation(cast, signed_in):
    client = signed_in(cast.author)
    response = client.post(
        reverse("plain:term_new"),
        {"term_ja": "ROI", "term_en": "ROI", "is_jargon": "on", "explanation_ja": "かけたお金でどれだけもうかったか"},
    )
    assert response.status_code == 302
    term = Term.objects.get()
    assert (term.term_ja, term.is_jargon, term.explanation_ja) == ("ROI", True, "かけたお金でどれだけもうかったか")
    assert "かけたお金でどれだけもうかったか" in client.get(reverse("plain:glossary")).content.decode()


def test_a_coach_may_keep_the_glossary_too(cast, signed_in):
    response = signed_in(cast.coach).post(reverse("plain:term_new"), {"term_ja": "アップセル"})
    assert response.status_code == 302
    assert Term.objects.filter(term_ja="アップセル").exists()


def test_it_refuses_a_term_the_glossary_already_has(cast, signed_in):
    _term(cast, term_ja="KPI")
    response = signed_in(cast.author).post(reverse("plain:term_new"), {"term_ja": "kpi"})
    assert response.status_code == 200
    assert "用語集にはすでに" in response.content.decode()
    assert Term.objects.count() == 1


def test_it_refuses_a_term_without_a_name(cast, signed_in):
    response = signed_in(cast.author).post(reverse("plain:term_new"), {"explanation_ja": "説明だけ"})
    assert response.status_code == 200
    assert Term.objects.count() == 0


def test_partner_people_cannot_open_the_glossary_editor(cast, signed_in):
    term = _term(cast, term_ja="KPI")
    for person in (cast.manager_a, cast.rep_a1):
        client = signed_in(person)
        assert client.get(reverse("plain:glossary")).status_code == 404
        assert client.post(reverse("plain:term_edit", args=[term.pk]), {"term_ja": "x"}).status_code == 404
    term.refresh_from_db()
    assert term.term_ja == "KPI"


def test_an_author_changes_and_removes_a_term(cast, signed_in):
    term = _term(cast, term_ja="KPI")
    client = signed_in(cast.author)
    client.post(reverse("plain:term_edit", args=[term.pk]), {"term_ja": "KPI", "explanation_ja": "目標の数字"})
    term.refresh_from_db()
    assert term.explanation_ja == "目標の数字"
    client.post(reverse("plain:term_delete", args=[term.pk]))
    assert not Term.objects.exists()


def test_only_the_admin_sets_the_target_level(cast, signed_in):
    assert (
        signed_in(cast.author).post(reverse("plain:target"), {"level_ja": "4.5", "level_en": "70.0"}).status_code == 404
    )
    response = signed_in(cast.admin).post(reverse("plain:target"), {"level_ja": "4.5", "level_en": "70.0"})
    assert response.status_code == 302
    from kizuna.plain.selectors import target

    assert (target().level_ja, target().level_en) == (4.5, 70.0)
