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
    """Print the last day to file a recours, step by step, then the ISO date (art. R. 421-1 CJA)."""
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


@reports_errors
def bundle(
    case: Annotated[Path, typer.Argument(help="The case file (YAML).")],
    outdir: Annotated[Path, typer.Option("-o", "--outdir", help="Folder to write.")],
    allow_missing: Annotated[
        bool, typer.Option(help="List missing pièce files as « à produire » instead of failing.")
    ] = False,
    force: Annotated[bool, typer.Option(help="Replace the content of a non-empty folder.")] = False,
    library: Annotated[
        list[Path] | None, typer.Option("--library", "-L", help="Extra library root (repeatable).")
    ] = None,
    allow_outside: Annotated[
        bool, typer.Option(help="Accept files (matter, pièces) outside the case directory.")
    ] = False,
) -> None:
    """Write the Télérecours bundle: requête, one file per pièce, inventory (PDF and CSV)."""
    from rich.progress import Progress

    from requete.errors import ValidationFailed
    from requete.export.bundle import make_bundle

    try:
        with Progress(transient=True) as bar:
            task = bar.add_task("bundle", total=None)

            def show(done: int, total: int, what: str) -> None:
                bar.update(task, completed=done, total=total, description=what)

            result = make_bundle(
                case, outdir, allow_missing, force, tuple(library or ()), show, allow_outside
            )
    except ValidationFailed as failed:
        for problem in failed.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(code=1) from None
    for problem in result.problems:
        typer.echo(str(problem), err=True)
    for path in result.written:
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    """Add the export commands to the app."""
    app.command(name="deadline")(deadline)
    app.command(name="pdf")(pdf)
    app.command(name="bundle")(bundle)
