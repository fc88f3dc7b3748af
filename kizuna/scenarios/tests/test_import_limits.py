"""Scenario files that would exhaust the parsers (deep nesting, YAML alias bombs, huge files) are refused, not a 500."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from kizuna.scenarios import exchange
from kizuna.scenarios.errors import FormatError, ScenarioError
from kizuna.scenarios.exchange import parse_text
from kizuna.scenarios.models import Scenario
from kizuna.scenarios.services import scenario_import

from .helpers import tiny_graph
from .test_commands import run

DEEP_JSON = "[" * 100_000 + "]" * 100_000
DEEP_YAML = "a: " + "[" * 50_000 + "]" * 50_000 + "\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def upload(text: str, name: str = "scenario.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/octet-stream")


@pytest.mark.parametrize("text", [DEEP_JSON, DEEP_YAML, '{"a":' * 30_000 + "1" + "}" * 30_000])
def test_deeply_nested_files_are_refused_with_a_format_error(text):
    with pytest.raises(FormatError) as refused:
        parse_text(text)
    assert "20" in refused.value.errors[0].message


def test_a_yaml_alias_bomb_is_refused_without_expanding_it():
    with pytest.raises(FormatError) as refused:
        parse_text(BOMB)
    assert "200,000" in refused.value.errors[0].message


def test_aliases_that_nest_deeper_than_the_limit_are_refused():
    nested = "a: &a " + "[" * 15 + "1" + "]" * 15 + "\nb: " + "[" * 10 + "*a" + "]" * 10 + "\n"
    with pytest.raises(FormatError):
        parse_text(nested)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(exchange, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(FormatError, match="2MB|MB"):
        parse_text("title: " + "x" * 200)


def test_a_scenario_with_too_many_moments_is_refused_and_nothing_is_written(cast, monkeypatch):
    monkeypatch.setattr(exchange, "MAX_NODES", 2)
    with pytest.raises(ScenarioError) as refused:
        scenario_import(tiny_graph(), author=cast.author, slug="too-big")
    assert any("2" in e.message for e in refused.value.errors)
    assert not Scenario.objects.exists()


@pytest.mark.parametrize("text", [DEEP_JSON, BOMB])
def test_the_studio_refuses_a_depth_or_alias_bomb_in_japanese(cast, signed_in, text):
    response = signed_in(cast.author).post(reverse("scenarios:studio_scenario_import"), {"file": upload(text)})
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert 'id="import-errors"' in page
    assert "入れ子が20段を超えています" in page or "200,000個を超えています" in page
    assert not Scenario.objects.exists()


def test_the_command_lists_the_refusal_and_exits_non_zero(cast, tmp_path, capsys):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    code, _out, err = run("scenario_import", str(path), "--language", "ja", capsys=capsys)
    assert code == 1 and "200,000個を超えています" in err
    assert not Scenario.objects.exists()


YAMLISH = st.text(alphabet="[]{}:-&*!|>#,'\"?%@ \n\tab1", max_size=300)


@given(text=YAMLISH)
@settings(max_examples=300, deadline=500, database=None)
def test_random_yaml_like_text_is_parsed_or_refused_never_anything_else(text):
    try:
        parse_text(text)
    except FormatError as exc:
        assert exc.errors


@given(depth=st.integers(0, 3000), opener=st.sampled_from(["[", "{", "- ", "a: "]))
@settings(max_examples=40, deadline=2000, database=None)
def test_nesting_of_any_depth_is_parsed_or_refused(depth, opener):
    text = {"[": "[" * depth + "]" * depth, "{": '{"a":' * depth + "1" + "}" * depth}.get(
        opener, "".join("  " * i + opener + "\n" for i in range(min(depth, 400)))
    )
    try:
        parse_text(text)
    except FormatError as exc:
        assert exc.errors


def test_an_exported_scenario_imports_back_to_the_same_data(cast):
    from kizuna.scenarios.exchange import dump_json, dump_yaml, scenario_export

    first = scenario_import(tiny_graph(), author=cast.author, slug="round")
    exported = scenario_export(first)
    for text in (dump_json(exported), dump_yaml(exported)):
        slug = f"r-{uuid.uuid4().hex[:8]}"
        copy = scenario_import(text, author=cast.author, slug=slug)
        assert {**scenario_export(copy), "slug": "round"} == exported


def test_a_nul_character_in_a_text_is_refused_not_a_database_error(cast):
    data = tiny_graph()
    data["title"] = "タイトル\x00"
    with pytest.raises(ScenarioError) as refused:
        scenario_import(data, author=cast.author, slug="nul")
    assert any(e.path == "title" for e in refused.value.errors)
    assert not Scenario.objects.exists()


def test_the_command_refuses_a_file_over_the_limit_reading_no_more_than_the_limit(cast, tmp_path, capsys, monkeypatch):
    from kizuna.scenarios.management.commands import scenario_import as command

    monkeypatch.setattr(command, "MAX_IMPORT_BYTES", 100)
    monkeypatch.setattr(exchange, "MAX_IMPORT_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("title: " + "x" * 1000, encoding="utf-8")
    code, _out, err = run("scenario_import", str(path), "--language", "ja", capsys=capsys)
    assert code == 1 and "大きすぎます" in err
