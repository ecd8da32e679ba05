"""CLI commands for the export verbs (registered by requete.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from requete.commands._common import reports_errors


@reports_errors
def deadline(
    date: Annotated[
        str,
        typer.Argument(
            help="Publication or notification date (for a mémoire: the requête's registration), "
            "YYYY-MM-DD."
        ),
    ],
    months: Annotated[
        int | None, typer.Option(help="Length of the délai in months (1–24).")
    ] = None,
    origin: Annotated[
        str,
        typer.Option("--from", help="What the date is: 'publication' or 'notification'."),
    ] = "publication",
    procedure: Annotated[
        str | None,
        typer.Option(
            "--procedure", "-p", help="Apply this procedure's rule (see procedures/*.yaml)."
        ),
    ] = None,
    library: Annotated[
        list[Path] | None,
        typer.Option("--library", "-L", help="Extra library layer (repeatable)."),
    ] = None,
) -> None:
    """Print the last day to file, step by step, then the ISO date (R. 421-1 CJA by default;
    with --procedure, that procedure's rule — none for a référé-liberté)."""
    from requete.deadline import (
        RULE_HINT,
        compute_deadline,
        describe_deadline,
        parse_iso_date,
    )

    day = parse_iso_date(date)
    if procedure is None:
        typer.echo(RULE_HINT)
        result = compute_deadline(day, months=months or 2, origin=origin)
        for line in describe_deadline(result):
            typer.echo(line)
        return
    from requete.api import procedure_deadline

    for line in procedure_deadline(procedure, day, origin, months, library or ()):
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
    draft: Annotated[
        bool,
        typer.Option(
            help="Accept « [à compléter] » and comments for counsel; stamp « PROJET » on "
            "every page of the requête."
        ),
    ] = False,
    docx: Annotated[
        bool, typer.Option(help="Also write the requête in Word beside the folder (DIR.docx).")
    ] = True,
) -> None:
    """Write the Télérecours bundle: DIR/ to upload (requête, one file per pièce, inventory,
    all PDF), and beside it DIR.docx (the requête in Word) and DIR.csv (the inventory)."""
    from rich.progress import Progress

    from requete.bundle import make_bundle
    from requete.errors import ValidationFailed
    from requete.i18n import _

    try:
        with Progress(transient=True) as bar:
            task = bar.add_task(_("bundle"), total=None)

            def show(done: int, total: int, what: str) -> None:
                bar.update(task, completed=done, total=total, description=what)

            result = make_bundle(
                case,
                outdir,
                allow_missing,
                force,
                tuple(library or ()),
                show,
                allow_outside,
                draft=draft,
                with_docx=docx,
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
