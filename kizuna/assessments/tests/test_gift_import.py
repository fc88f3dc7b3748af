"""Importing GIFT into a bank: all or nothing, same keys on re-import; and the two management commands."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kizuna.assessments import selectors, services
from kizuna.assessments.errors import GiftImportError
from kizuna.assessments.models import Question, QuestionBank

GIFT = """\
// 料金の基本
$CATEGORY: $course$/top/KIZUNA/価格

// [id:price-1]
::料金体系::KIZUNA の料金体系は?{
  =月額制#正解です
  ~買い切り#買い切りはありません
  ####ユーザー数に応じた月額制です。
}

::スマホ::スマホから打刻できる。{T}

1ユーザーの月額は何円?{#300:0}

機能名は?{=オートクローズ =%50%自動締め}

組み合わせ {
  =ライト -> 10名まで
  =スタンダード -> 100名まで
}

どれを選ぶ? {~%50%導入支援 ~%50%サポート ~%-100%端末}
"""


def test_an_import_creates_every_question_with_its_topics(cast):
    bank = services.bank_create(slug="pricing", title="料金", author=cast.author)
    result = services.gift_import(bank=bank, source=GIFT)
    assert result.counts == {"single": 1, "truefalse": 1, "numerical": 1, "short": 1, "matching": 1, "multiple": 1}
    assert (result.created, result.updated) == (6, 0)
    price = bank.questions.get(title="料金体系")
    assert price.explanation == "ユーザー数に応じた月額制です。"
    assert [t.name_ja for t in price.topics.all()] == ["価格"]


def test_an_error_anywhere_imports_nothing(cast, bank):
    before = Question.objects.count()
    with pytest.raises(GiftImportError) as refused:
        services.gift_import(bank=bank, source=GIFT + "\n壊れた問題 {=a\n")
    assert [e.line for e in refused.value.errors] == [GIFT.count("\n") + 2]
    assert Question.objects.count() == before


def test_re_importing_an_export_changes_nothing_and_keeps_keys_and_option_ids(cast, bank):
    text = selectors.gift_export(bank)
    before = {
        q.key: (q.type, q.text, q.data, q.explanation, q.title, sorted(t.pk for t in q.topics.all()))
        for q in bank.questions.all()
    }
    result = services.gift_import(bank=bank, source=text)
    assert (result.created, result.updated) == (0, len(before))
    after = {
        q.key: (q.type, q.text, q.data, q.explanation, q.title, sorted(t.pk for t in q.topics.all()))
        for q in bank.questions.all()
    }
    assert after == before
    assert selectors.gift_export(bank) == text


def test_an_export_imported_into_another_bank_gives_the_same_questions_as_copies(cast, bank):
    copy = services.bank_create(slug="copy", title="コピー", author=cast.author)
    services.gift_import(bank=copy, source=selectors.gift_export(bank))

    def content(b):
        return sorted((q.type, q.text, str(q.data), q.explanation, q.title) for q in b.questions.all())

    assert content(copy) == content(bank)
    assert not set(copy.questions.values_list("key", flat=True)) & set(bank.questions.values_list("key", flat=True))


def test_moodle_idnumbers_update_the_same_question_on_re_import(cast, bank):
    services.gift_import(bank=bank, source="// [id:q-7]\n問題 {T}")
    services.gift_import(bank=bank, source="// [id:q-7]\n直した問題 {F}")
    question = bank.questions.get(text="直した問題")
    assert question.data["answer"] is False
    assert not bank.questions.filter(text="問題").exists()


def test_the_import_command_prints_counts_per_type_and_creates_the_bank(cast, tmp_path):
    path = tmp_path / "quiz.gift"
    path.write_text(GIFT, encoding="utf-8")
    out = StringIO()
    call_command("gift_import", str(path), "--bank", "pricing", stdout=out)
    printed = out.getvalue()
    assert "single: 1" in printed and "matching: 1" in printed and "Imported 6 question(s)" in printed
    assert QuestionBank.objects.get(slug="pricing").questions.count() == 6


def test_the_import_command_lists_errors_with_line_numbers_and_fails(cast, tmp_path):
    path = tmp_path / "bad.gift"
    path.write_text("良い問題 {T}\n\n悪い問題 {=a ~%500%b}\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("gift_import", str(path), "--bank", "pricing", stderr=err)
    assert f"{path}:3:" in err.getvalue()
    assert not Question.objects.filter(bank__slug="pricing").exists()


def test_the_export_command_writes_gift_that_imports_back(cast, bank, tmp_path):
    out = StringIO()
    call_command("gift_export", "--bank", bank.slug, stdout=out)
    path = tmp_path / "export.gift"
    path.write_text(out.getvalue(), encoding="utf-8")
    call_command("gift_import", str(path), "--bank", bank.slug, stdout=StringIO())
    assert bank.questions.count() == 6
    with pytest.raises(CommandError):
        call_command("gift_export", "--bank", "missing", stdout=StringIO())
