"""The export commands through typer's CliRunner: output, exit codes, error text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

runner = CliRunner()


def test_deadline_prints_steps_then_iso_date(app: typer.Typer) -> None:
    result = runner.invoke(app, ["deadline", "2024-01-31"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "2024-04-02"
    assert any("lundi de Pâques" in line for line in lines)
    assert "R. 421-1" in lines[0]


def test_deadline_options(app: typer.Typer) -> None:
    result = runner.invoke(
        app, ["deadline", "2024-01-30", "--months", "1", "--from", "notification"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "2024-02-29"
    assert "notification" in result.output


def test_deadline_invalid_date_exits_1(app: typer.Typer) -> None:
    result = runner.invoke(app, ["deadline", "2024-02-30"])
    assert result.exit_code == 1
    assert "error: '2024-02-30' is not a valid date" in result.output


def test_deadline_months_out_of_range_exits_1(app: typer.Typer) -> None:
    result = runner.invoke(app, ["deadline", "2024-01-31", "--months", "30"])
    assert result.exit_code == 1
    assert "between 1 and 24" in result.output


def test_pdf_without_libreoffice_exits_1(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "a.docx"
    source.write_bytes(b"x")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    result = runner.invoke(app, ["pdf", str(source)])
    assert result.exit_code == 1
    assert "LibreOffice (soffice) not found" in result.output


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_writes_into_outdir(app: typer.Typer, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Requête")
    document.save(str(tmp_path / "a.docx"))
    result = runner.invoke(app, ["pdf", str(tmp_path / "a.docx"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "a.pdf").is_file()
    again = runner.invoke(app, ["pdf", str(tmp_path / "a.docx"), "-o", str(tmp_path / "out")])
    assert again.exit_code == 1
    assert "use --force" in again.output
