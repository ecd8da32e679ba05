"""CLI commands for the export verbs (registered by requete.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from requete.commands._common import reports_errors


@reports_errors
def deadline(
    date: Annotated[str, typer.Argument(help="Publication or notification date, YYYY-MM-DD.")],
    months: Annotated[int, typer.Option(help="Length of the délai in months (1–24).")] = 2,
    origin: Annotated[
        str,
        typer.Option("--from", help="What the date is: 'publication' or 'notification'."),
    ] = "publication",
) -> None:
    """Print the last day to file under R. 421-1 CJA, step by step, then the ISO date."""
    from requete.export.deadline import compute_deadline, describe_deadline, parse_iso_date

    result = compute_deadline(parse_iso_date(date), months=months, origin=origin)
    for line in describe_deadline(result):
        typer.echo(line)


@reports_errors
def pdf(
    files: Annotated[list[Path], typer.Argument(help="The .docx files to convert.")],
    outdir: Annotated[
        Path | None, typer.Option("-o", "--outdir", help="Folder for the PDFs (default: beside).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite existing PDFs.")] = False,
    pdfa: Annotated[bool, typer.Option(help="Write PDF/A-2 rather than plain PDF.")] = True,
) -> None:
    """Convert Word files to PDF with one LibreOffice run (PDF/A-2b by default)."""
    from requete.export.pdf import convert_to_pdf

    for written in convert_to_pdf(files, outdir, pdfa=pdfa, force=force):
        typer.echo(str(written))


def register(app: typer.Typer) -> None:
    """Add the export commands to the app."""
    app.command(name="deadline")(deadline)
    app.command(name="pdf")(pdf)
