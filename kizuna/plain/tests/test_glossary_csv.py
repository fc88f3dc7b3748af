from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kizuna.plain import services
from kizuna.plain.models import Term

HEADER_JA = "用語(日本語),用語(英語),やさしい説明(日本語),やさしい説明(英語),言い換え(日本語),言い換え(英語),例文(日本語),例文(英語),社内用語\n"
HEADER_EN = "term (Japanese),term (English),explanation (Japanese),explanation (English),plain wording (Japanese),plain wording (English),example (Japanese),example (English),insider jargon\n"


def _upload(client, text, encoding="utf-8-sig"):
    file = SimpleUploadedFile("glossary.csv", text.encode(encoding), content_type="text/csv")
    return client.post(reverse("plain:glossary_import"), {"file": file})


def test_an_author_imports_a_glossary_from_csv(cast, signed_in):
    text = (
        HEADER_EN
        + "ROI,ROI,かけたお金でどれだけもうかったか,,費用対効果,,,,yes\nアップセル,upsell,より上のプランをすすめること,,,,,,no\n"
    )
    response = _upload(signed_in(cast.author), text)
    assert response.status_code == 302
    assert Term.objects.count() == 2
    roi = Term.objects.get(term_ja="ROI")
    assert (roi.is_jargon, roi.plain_ja) == (True, "費用対効果")


def test_a_sheet_saved_as_shift_jis_with_japanese_headers_imports(cast, signed_in):
    text = "用語,説明,社内用語\nリードナーチャリング,見込み客との関係を育てること,はい\n"
    response = _upload(signed_in(cast.author), text, encoding="cp932")
    assert response.status_code == 302
    assert Term.objects.get().explanation_ja == "見込み客との関係を育てること"


def test_an_import_with_one_bad_row_writes_nothing_and_names_the_line(cast, signed_in):
    text = HEADER_EN + "ROI,,説明,,,,,,yes\n,,名前のない行,,,,,,no\nKPI,,目標,,,,,,maybe\n"
    response = _upload(signed_in(cast.author), text)
    body = response.content.decode()
    assert response.status_code == 200
    assert Term.objects.count() == 0
    assert "3行目" in body and "用語がありません" in body
    assert "4行目" in body and "maybe" in body


def test_an_import_repeating_a_term_is_refused(cast, signed_in):
    text = HEADER_EN + "ROI,,a,,,,,,yes\nroi,,b,,,,,,yes\n"
    response = _upload(signed_in(cast.author), text)
    assert "2行目" in response.content.decode()
    assert Term.objects.count() == 0


def test_an_import_updates_a_known_term_and_keeps_what_empty_cells_leave(cast, signed_in):
    services.term_save(editor=cast.author, term_ja="ROI", explanation_ja="古い説明", example_ja="例")
    text = HEADER_EN + "ROI,,新しい説明,,,,,,yes\n"
    _upload(signed_in(cast.author), text)
    roi = Term.objects.get()
    assert (roi.explanation_ja, roi.example_ja, roi.is_jargon) == ("新しい説明", "例", True)


def test_a_file_that_is_not_a_glossary_is_refused_with_its_reason(cast, signed_in):
    response = _upload(signed_in(cast.author), "name,email\nx,y\n")
    assert "見出し行" in response.content.decode()
    response = _upload(signed_in(cast.author), "")
    assert "空です" in response.content.decode()


def test_the_export_reads_back_as_the_same_glossary(cast, signed_in):
    services.term_save(editor=cast.author, term_ja="ROI", term_en="ROI", explanation_ja="もうけの割合", is_jargon=True)
    services.term_save(editor=cast.author, term_ja="=危険", explanation_ja="数式に見える")
    client = signed_in(cast.author)
    exported = client.get(reverse("plain:glossary_export")).content
    assert "'=危険" in exported.decode("utf-8-sig")  # a cell that a spreadsheet would run stays text
    Term.objects.filter(term_ja="ROI").update(explanation_ja="", is_jargon=False)
    response = client.post(
        reverse("plain:glossary_import"), {"file": SimpleUploadedFile("g.csv", exported, content_type="text/csv")}
    )
    assert response.status_code == 302
    roi = Term.objects.get(term_ja="ROI")
    assert (roi.explanation_ja, roi.is_jargon) == ("もうけの割合", True)
    assert sorted(Term.objects.values_list("term_ja", flat=True)) == ["=危険", "ROI"]
