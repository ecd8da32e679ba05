"""The CLI as users run it: CliRunner for each verb, a real subprocess, LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from requete.cli import app

runner = CliRunner()


def test_build_writes_a_docx_with_the_parts_of_a_filing(write_tree) -> None:
    root = write_tree()
    out = root / "out.docx"
    result = runner.invoke(app, ["build", str(root / "case.yaml"), "-o", str(out), "-v"])
    assert result.exit_code == 0, result.output
    assert "library layer: built-in" in result.output
    xml = zipfile.ZipFile(out).read("word/document.xml").decode().replace("\u00a0", " ")
    for part in (
        "CONSEIL D’ÉTAT",
        "POUR :",
        "CONTRE :",
        "FAITS ET PROCÉDURE",
        "DISCUSSION",
        "PAR CES MOTIFS",
        "INVENTAIRE DES PIÈCES",
    ):
        assert part in xml, part


def test_two_builds_are_byte_identical(write_tree) -> None:
    root = write_tree()
    for name in ("a.docx", "b.docx"):
        assert (
            runner.invoke(app, ["build", str(root / "case.yaml"), "-o", str(root / name)]).exit_code
            == 0
        )
    assert (root / "a.docx").read_bytes() == (root / "b.docx").read_bytes()


def test_check_strict_fails_on_warnings(write_tree) -> None:
    moyen = (write_tree() / "arguments/moyen-test.yaml").read_text()
    root = write_tree({"arguments/moyen-test.yaml": moyen.replace("pt 197", "pt 198")})
    assert runner.invoke(app, ["check", str(root / "case.yaml")]).exit_code == 0
    strict = runner.invoke(app, ["check", str(root / "case.yaml"), "--strict"])
    assert strict.exit_code == 1
    assert "warning: pinpoint pt 198" in strict.output


def test_list_show_explain(write_tree) -> None:
    root = write_tree()
    listed = runner.invoke(app, ["list", "arguments", "--library", str(root)])
    assert listed.exit_code == 0 and "moyen-test" in listed.output
    shown = runner.invoke(app, ["show", "cjue-test", "--library", str(root)])
    assert shown.exit_code == 0 and "EU:C:2020:559" in shown.output
    unknown = runner.invoke(app, ["show", "cjue-tset", "--library", str(root)])
    assert unknown.exit_code == 1 and "did you mean 'cjue-test'" in unknown.output
    explained = runner.invoke(app, ["explain", str(root / "case.yaml")])
    assert explained.exit_code == 0 and "moyen-test" in explained.output


def test_usage_error_is_exit_2() -> None:
    assert runner.invoke(app, ["build"]).exit_code == 2
    assert runner.invoke(app, ["list", "things"]).exit_code == 2


def test_schema_export(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "argument.schema.json",
        "case.schema.json",
        "fact.schema.json",
        "matter.schema.json",
        "precedent.schema.json",
        "procedure.schema.json",
        "set.schema.json",
    ]


def test_installed_console_script(write_tree) -> None:
    script = Path(sys.executable).with_name("requete")
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    root = write_tree()
    done = subprocess.run(
        [str(script), "build", str(root / "case.yaml"), "-o", str(root / "sub.docx")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    bad = subprocess.run(
        [str(script), "check", str(root / "absent.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "absent.yaml: error: file not found" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_filing_and_keeps_the_headings_in_order(write_tree) -> None:
    root = write_tree()
    out = root / "lo.docx"
    assert runner.invoke(app, ["build", str(root / "case.yaml"), "-o", str(out)]).exit_code == 0
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{root}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(root),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", str(root / "lo.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    order = [
        "CONSEIL D’ÉTAT",
        "POUR :",
        "CONTRE :",
        "FAITS ET PROCÉDURE",
        "DISCUSSION",
        "PAR CES MOTIFS",
        "TABLE DES JURISPRUDENCES",
        "INVENTAIRE DES PIÈCES",
    ]
    positions = [text.replace("\u00a0", " ").find(h) for h in order]
    assert -1 not in positions, positions
    assert positions == sorted(positions)
    assert "1." in text and "1°)" in text  # Word numbering rendered by the real client


def test_deadline_fast_path_matches_the_typer_command() -> None:
    """`requete deadline` skips typer for speed; its output must be the typer command's."""
    from requete.entry import _parse_deadline

    assert _parse_deadline(["2024-01-31"]) == ("2024-01-31", 2, "publication")
    assert _parse_deadline(["2024-01-31", "--months=3", "--from", "notification"]) == (
        "2024-01-31",
        3,
        "notification",
    )
    assert _parse_deadline(["--help"]) is None  # handed over to typer
    for args in (["2024-01-31"], ["2024-12-30", "--months", "1"], ["2024-02-30"]):
        typed = runner.invoke(app, ["deadline", *args])
        fast = subprocess.run(
            [sys.executable, "-m", "requete", "deadline", *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert fast.returncode == typed.exit_code
        assert (fast.stdout + fast.stderr).strip() == typed.output.strip()


def test_diff_cases_names_the_changed_block_and_verifies_the_redline(write_tree, tmp_path) -> None:
    root = write_tree()
    other = tmp_path / "other"
    shutil.copytree(root, other)
    moyen = other / "arguments" / "moyen-test.yaml"
    moyen.write_text(
        moyen.read_text()
        .replace("version: 2", "version: 3")
        .replace("ne sont pas encadrées", "ne sont nullement encadrées")
    )
    red = tmp_path / "red.docx"
    result = runner.invoke(
        app,
        [
            "diff",
            "--cases",
            str(root / "case.yaml"),
            str(other / "case.yaml"),
            "--redline",
            str(red),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "moyen-test (v2 → v3)" in result.output
    assert "accept-all and reject-all verified" in result.output
    assert red.exists()


def test_diff_rev_needs_a_git_repository(write_tree) -> None:
    root = write_tree()
    result = runner.invoke(app, ["diff", "--rev", "HEAD~1..HEAD", str(root / "case.yaml")])
    assert result.exit_code == 1
    assert "--rev needs the case file to be in a git repository" in result.output


def test_committed_json_schemas_are_up_to_date(tmp_path: Path) -> None:
    """docs/schema/ is what `requete schema` writes (run it after changing the model)."""
    repo = Path(__file__).resolve().parents[1] / "docs" / "schema"
    assert runner.invoke(app, ["schema", "-o", str(tmp_path)]).exit_code == 0
    for fresh in tmp_path.iterdir():
        assert fresh.read_text() == (repo / fresh.name).read_text(), fresh.name


def test_build_fast_path_matches_the_typer_command(write_tree) -> None:
    """`requete build CASE -o OUT` skips typer; its file, messages and exit codes are the
    command's, for a good case, a refused output and a case with errors."""
    from requete.entry import _parse_build

    assert _parse_build(["c.yaml", "-o", "x.docx", "--force"]) == {
        "case": "c.yaml",
        "output": "x.docx",
        "force": True,
    }
    for handed_over in (["c.yaml", "--pdf"], ["c.yaml", "-L", "lib"], [], ["c.yaml", "-o"]):
        assert _parse_build(handed_over) is None, handed_over
    root = write_tree()
    broken = root / "broken.yaml"
    broken.write_text(
        (root / "case.yaml").read_text(encoding="utf-8").replace("set: set-test", "set: nope"),
        encoding="utf-8",
    )
    for case, extra in (("case.yaml", []), ("case.yaml", []), ("broken.yaml", [])):
        typed_out, fast_out = root / f"typed-{case}.docx", root / f"fast-{case}.docx"
        typed = runner.invoke(app, ["build", str(root / case), "-o", str(typed_out), *extra])
        fast = subprocess.run(
            [sys.executable, "-m", "requete", "build", str(root / case), "-o", str(fast_out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert fast.returncode == typed.exit_code, fast.stderr
        output = (fast.stdout + fast.stderr).replace(str(fast_out), str(typed_out))
        assert output.strip() == typed.output.strip()
        if typed.exit_code == 0:
            assert fast_out.read_bytes() == typed_out.read_bytes()


def test_check_library_refuses_a_missing_or_empty_folder(tmp_path: Path) -> None:
    """`check --library DIR` on a folder that is not there, or holds no library, fails with one
    message instead of reporting 0 errors."""
    missing = runner.invoke(app, ["check", "--library", str(tmp_path / "no-such-dir")])
    assert missing.exit_code == 1
    assert "library directory not found; check the path" in missing.output
    empty = runner.invoke(app, ["check", "--library", str(tmp_path)])
    assert empty.exit_code == 1 and "not a library: it holds none of arguments/" in empty.output
    (tmp_path / "arguments").mkdir()
    assert runner.invoke(app, ["check", "--library", str(tmp_path)]).exit_code == 0
