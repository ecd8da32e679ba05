"""list / show / explain / check as a new user meets them: ids never cut, paths short, JSON
that validates against the documented schemas, check's notes summed up on one screen."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from requete.cli import app

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "docs" / "schema"
EMC2 = ROOT / "cases" / "emc2" / "annulation.yaml"
runner = CliRunner()


def run(args: list[str], columns: int = 100) -> str:
    result = runner.invoke(app, args, env={"COLUMNS": str(columns), "LANGUAGE": "en"})
    assert result.exit_code == 0, result.output
    return result.output


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"cli-{name}.schema.json").read_text())


@pytest.mark.parametrize("columns", [200, 100, 80, 60, 40])
def test_list_never_cuts_an_id(columns: int) -> None:
    data = json.loads(run(["list", "arguments", "--format", "json"]))
    text = run(["list", "arguments"], columns)
    words = set(text.split())
    missing = [item["id"] for item in data["items"] if item["id"] not in words]
    assert not missing, missing
    assert "…" not in text


def test_list_says_procedures_and_params() -> None:
    text = run(["list", "arguments"], 200)
    line = next(x for x in text.splitlines() if x.split()[:1] == ["conclusions-qpc"])
    assert "qpc" in line.split()[1:]
    data = json.loads(run(["list", "arguments", "--format", "json"]))
    block = next(i for i in data["items"] if i["id"] == "moyen-absence-mise-en-concurrence")
    assert "annulation" in block["procedures"] and "hebergeur" in block["params"]


@pytest.mark.parametrize(
    "kind", ["arguments", "precedents", "templates", "sets", "facts", "procedures"]
)
def test_list_json_validates(kind: str) -> None:
    data = json.loads(run(["list", kind, "--format", "json"]))
    jsonschema.validate(data, schema("list"))
    assert data["kind"] == kind and data["items"]


@pytest.mark.parametrize(
    "ident", ["moyen-absence-mise-en-concurrence", "cjue-2020-schrems-ii", "hebergeur"]
)
def test_show_json_validates(ident: str) -> None:
    data = json.loads(run(["show", ident, "--format", "json"]))
    jsonschema.validate(data, schema("show"))
    assert data["item"]["id"] == ident


def test_show_says_procedures_params_and_a_short_source() -> None:
    text = run(["show", "moyen-absence-mise-en-concurrence"], 200)
    assert "procedures: " in text and "params (facts of the matter): " in text
    assert "arguments/moyen-absence-mise-en-concurrence.yaml:" in text
    assert str(ROOT) not in text


def test_paths_are_relative_to_the_layer_outside_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from requete.library import Layer
    from requete.listing import shown_path

    layers = [Layer("built-in", ROOT)]
    target = ROOT / "arguments" / "faits-acte-attaque.yaml"
    monkeypatch.chdir(tmp_path)
    assert shown_path(target, layers) == "built-in: arguments/faits-acte-attaque.yaml"
    monkeypatch.chdir(ROOT)
    assert shown_path(target, layers) == "arguments/faits-acte-attaque.yaml"
    installed = tmp_path / "site-packages" / "requete" / "library"
    (installed / "arguments").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)  # the installed library below the working directory
    assert (
        shown_path(installed / "arguments" / "x.yaml", [Layer("built-in", installed)])
        == "built-in: arguments/x.yaml"
    )
    monkeypatch.chdir(ROOT)
    assert shown_path(Path("/elsewhere/a/b/c/d/x.yaml"), layers) == "/elsewhere/a/b/c/d/x.yaml"
    case_layer = [*layers, Layer("../cases/emc2", ROOT / "cases" / "emc2")]
    monkeypatch.chdir(ROOT / "examples")
    shown = shown_path(ROOT / "cases/emc2/arguments/faits-emc2.yaml", case_layer)
    assert shown == "../cases/emc2/arguments/faits-emc2.yaml"


def test_explain_json_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # a user in the repository of the matter
    data = json.loads(run(["explain", str(EMC2), "--format", "json"]))
    jsonschema.validate(data, schema("explain"))
    assert data["blocks"][0]["position"] == 1
    assert all(not os.path.isabs(b["source"]) for b in data["blocks"])


def test_check_json_validates_and_counts() -> None:
    data = json.loads(run(["check", str(EMC2), "--format", "json"]))
    jsonschema.validate(data, schema("check"))
    counts = data["counts"]
    assert counts["notes"] == sum(p["severity"] == "note" for p in data["problems"])
    assert counts["errors"] == 0


def test_check_of_the_example_fits_on_one_screen() -> None:
    result = runner.invoke(app, ["check", str(EMC2)], env={"LANGUAGE": "en"})
    lines = result.output.splitlines()
    assert result.exit_code == 0
    assert len(lines) <= 20, "\n".join(lines)
    assert any(line.startswith("notes: typography: ") for line in lines)
    assert lines[-1].startswith("0 errors, 0 warnings, ")
    assert "next: requete build" in lines[-1]
    detailed = runner.invoke(app, ["check", str(EMC2), "--details"], env={"LANGUAGE": "en"})
    assert len(detailed.output.splitlines()) > len(lines)
    assert "French typography fix" in detailed.output


def test_check_ranks_errors_then_warnings_then_notes() -> None:
    from requete.checkreport import report
    from requete.errors import Problem

    problems = [
        Problem("note", "a note", Path("a.yaml"), 1),
        Problem("warning", "a warning", Path("a.yaml"), 2),
        Problem("error", "an error", Path("a.yaml"), 3),
        Problem("note", "typo", Path("b.yaml"), 4, kind="typography", count=7),
    ]
    lines = report(problems, details=False, case=Path("case.yaml"))
    assert [line.split(": ")[1] for line in lines[:3]] == ["error", "warning", "note"]
    assert "7 fixes in 1 block" in lines[3]
    assert lines[-1].startswith("1 error, 1 warning, 2 notes")
    assert "fix the errors" in lines[-1]
