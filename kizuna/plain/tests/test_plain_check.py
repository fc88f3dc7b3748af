import json

import pytest
from django.core.management import CommandError, call_command

from kizuna.plain import services


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("plain_check", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_level_and_findings_with_the_principals_glossary(cast, tmp_path):
    services.term_save(
        editor=cast.author, term_ja="ROI", explanation_ja="もうけの割合", plain_ja="費用対効果", is_jargon=True
    )
    text = tmp_path / "lesson.txt"
    text.write_text("今期はROIを上げます。", encoding="utf-8")
    document = run(str(text))
    assert isinstance(document["level"], float) and document["level_label"]
    assert document["findings"] == [
        {"text": "ROI", "kind": "jargon", "start": 3, "end": 6, "suggestion": document["findings"][0]["suggestion"]}
    ]
    assert "費用対効果" in document["findings"][0]["suggestion"]


def test_it_uses_another_glossary_from_a_csv_file(db, tmp_path):
    glossary = tmp_path / "g.csv"
    glossary.write_text("term_ja,explanation_ja,is_jargon\nヨミ,契約になりそうな見込み,yes\n", encoding="utf-8")
    text = tmp_path / "t.txt"
    text.write_text("ヨミを出してください。", encoding="utf-8")
    assert [f["kind"] for f in run(str(text), "--glossary", str(glossary))["findings"]] == ["jargon"]


def test_english_texts_are_checked_in_english(db, tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("Call the customer. Ask what they need.", encoding="utf-8")
    document = run(str(text), "--lang", "en")
    assert document["level"] > 60 and "Flesch" in document["level_label"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "no text"), (b"\xff\xfe\x00bad", "not UTF-8")],
)
def test_it_refuses_a_file_it_cannot_analyse(db, tmp_path, content, message):
    path = tmp_path / "t.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path))


def test_it_names_a_bad_glossary_line(db, tmp_path):
    glossary = tmp_path / "g.csv"
    glossary.write_text("term_ja,is_jargon\nヨミ,maybe\n", encoding="utf-8")
    text = tmp_path / "t.txt"
    text.write_text("テキスト", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        run(str(text), "--glossary", str(glossary))
