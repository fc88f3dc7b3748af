"""The scenario_import and scenario_export management commands: output and exit codes."""

import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from kizuna.scenarios.models import Scenario

from .helpers import EXAMPLE, example_data, tiny_graph


def run(*argv, capsys):
    """Run a command as the shell would; return (exit code, stdout, stderr).

    From the shell, Django prints a CommandError to stderr and exits with its return code
    (BaseCommand.run_from_argv); that closes the database connection, so the test does the same by hand.
    """
    try:
        call_command(*argv)
    except CommandError as exc:
        out, _err = capsys.readouterr()
        return exc.returncode, out, str(exc)
    out, err = capsys.readouterr()
    return 0, out, err


def test_import_prints_the_slug_and_exits_zero(cast, product, capsys):
    code, out, _err = run("scenario_import", str(EXAMPLE), "--author", cast.author.email, capsys=capsys)
    assert code == 0
    assert out.strip() == "complaint-handling"
    assert Scenario.objects.get(slug="complaint-handling").created_by == cast.author


def test_import_lists_every_error_and_exits_non_zero(cast, tmp_path, capsys):
    data = tiny_graph(start="nowhere")
    data["nodes"][0]["choices"][0]["score"] = "lots"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run("scenario_import", str(path), "--language", "en", capsys=capsys)
    assert code == 1
    assert out == ""
    assert "nodes[0].choices[0].score" in err
    assert "[start_unknown]" in err
    assert "2 error(s)" in err
    assert not Scenario.objects.exists()


def test_import_refuses_an_existing_slug_unless_told_to_replace(cast, tmp_path, capsys):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_graph(), allow_unicode=True), encoding="utf-8")
    assert run("scenario_import", str(path), capsys=capsys)[0] == 0
    code, _out, err = run("scenario_import", str(path), capsys=capsys)
    assert code == 1 and "[slug_taken]" in err
    assert run("scenario_import", str(path), "--replace", capsys=capsys)[:2] == (0, "tiny\n")
    assert Scenario.objects.count() == 1


def test_import_of_a_missing_file_exits_non_zero(db, capsys):
    code, _out, err = run("scenario_import", "/nonexistent/file.yaml", capsys=capsys)
    assert code == 1 and "No such file" in err


def test_export_writes_json_by_default_and_yaml_when_asked(complaint, capsys):
    call_command("scenario_export", "complaint-handling")
    assert json.loads(capsys.readouterr().out) == example_data()
    call_command("scenario_export", "complaint-handling", "--format", "yaml")
    assert yaml.safe_load(capsys.readouterr().out) == example_data()


def test_export_of_an_unknown_slug_exits_non_zero(db, capsys):
    code, out, err = run("scenario_export", "nope", capsys=capsys)
    assert code == 1 and out == "" and "nope" in err


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_what_export_writes_import_reads_back(complaint, tmp_path, capsys, fmt):
    call_command("scenario_export", "complaint-handling", "--format", fmt)
    path = tmp_path / f"copy.{fmt}"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    code, out, _err = run("scenario_import", str(path), "--slug", "copy", capsys=capsys)
    assert (code, out.strip()) == (0, "copy")
