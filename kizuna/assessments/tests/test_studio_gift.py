"""GIFT through the studio: an upload starts a background import of every question or none; download and re-upload.

The test settings run tasks at once (ImmediateBackend), so the import is over when the upload answers.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kizuna.assessments import services
from kizuna.assessments.models import GiftImport, Question

GIFT = """\
// [tag:料金]
::料金体系::KIZUNA の料金体系は?{
  =月額制#正解です
  ~買い切り#買い切りはありません
  ####ユーザー数に応じた月額制です。
}

スマホから打刻できる。{T}

1ユーザーの月額は何円?{#300:0}
"""


def upload(client, bank, content: bytes, name: str = "questions.gift"):
    return client.post(
        reverse("assessments:studio_bank_import", args=[bank.pk]),
        {"file": SimpleUploadedFile(name, content, "text/plain")},
    )


def test_an_author_uploads_a_gift_file_and_sees_how_many_of_each_type_came_in(cast, client):
    bank = services.bank_create(slug="pricing", title="料金", author=cast.author)
    client.force_login(cast.author)
    response = upload(client, bank, GIFT.encode())
    job = GiftImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("assessments:studio_gift_import", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "3問" in page and "単一選択 1" in page and "正誤 1" in page and "数値 1" in page
    assert reverse("assessments:studio_bank", args=[bank.pk]) in page
    assert bank.questions.count() == 3
    assert bank.questions.get(title="料金体系").explanation == "ユーザー数に応じた月額制です。"


def test_a_file_with_errors_lists_them_with_line_numbers_and_imports_nothing(cast, bank, client):
    before = Question.objects.count()
    client.force_login(cast.author)
    broken = GIFT + "\n壊れた問題 {=a\n\n閉じ括弧だけ } の文\n"
    response = upload(client, bank, broken.encode())
    page = client.get(response.url).content.decode()
    assert "何も取り込まれていません" in page
    assert "12行目" in page and "14行目" in page
    assert Question.objects.count() == before


def test_a_file_that_is_not_utf8_is_refused_with_what_to_do(cast, bank, client):
    client.force_login(cast.author)
    response = upload(client, bank, GIFT.encode("shift_jis"))
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_pasted_gift_text_is_imported_too(cast, bank, client):
    client.force_login(cast.author)
    response = client.post(
        reverse("assessments:studio_bank_import", args=[bank.pk]), {"text": "新機能は便利だ。{TRUE}"}
    )
    assert response.status_code == 302
    assert bank.questions.filter(text="新機能は便利だ。").exists()


def test_an_empty_upload_says_what_to_do(cast, bank, client):
    client.force_login(cast.author)
    response = client.post(reverse("assessments:studio_bank_import", args=[bank.pk]), {"text": "  "})
    assert response.status_code == 400
    assert "GIFT" in response.content.decode()


def test_the_download_re_uploads_onto_the_same_questions(cast, bank, client):
    client.force_login(cast.author)
    response = client.get(reverse("assessments:studio_bank_export", args=[bank.pk]))
    assert response["Content-Type"].startswith("text/plain") and "kizuna-basics.gift" in response["Content-Disposition"]
    before = {q.key: (q.type, q.text, q.data, q.explanation) for q in bank.questions.all()}
    again = upload(client, bank, response.content)
    assert again.status_code == 302
    assert {q.key: (q.type, q.text, q.data, q.explanation) for q in bank.questions.all()} == before


def test_coaches_may_download_but_not_upload_and_partners_reach_neither(cast, bank, client):
    client.force_login(cast.coach)
    assert client.get(reverse("assessments:studio_bank_export", args=[bank.pk])).status_code == 200
    assert upload(client, bank, GIFT.encode()).status_code == 404
    for person in (cast.manager_a, cast.rep_b1):
        client.force_login(person)
        assert client.get(reverse("assessments:studio_bank_export", args=[bank.pk])).status_code == 404
        assert upload(client, bank, GIFT.encode()).status_code == 404
