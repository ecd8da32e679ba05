"""The export commands through typer's CliRunner: output, exit codes, error text."""

from __future__ import annotations

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
