"""CLI commands for the review verbs (registered by requete.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from requete.commands._common import reports_errors

if TYPE_CHECKING:
    from requete.api import Manifest

DocxArg = Annotated[Path, typer.Argument(help="A Word document (.docx).", show_default=False)]


def register(app: typer.Typer) -> None:
    """Add the review commands to the app."""
    app.command("text")(text)
    app.command("diff")(diff)
    app.command("manifest")(manifest)


@reports_errors
def text(file: DocxArg) -> None:
    """Print a .docx as plain text (numbers shown, headings marked), e.g. for git textconv."""
    from requete.review import document_text

    typer.echo(document_text(file, stories=True), nl=False)


@reports_errors
def diff(
    old: Annotated[
        Path, typer.Argument(help="The earlier .docx (or case file).", show_default=False)
    ],
    new: Annotated[
        Path | None, typer.Argument(help="The later .docx (or case file).", show_default=False)
    ] = None,
    cases: Annotated[
        bool, typer.Option("--cases", help="OLD and NEW are case files: build both, then diff.")
    ] = False,
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev",
            help="A..B: build the case OLD at git revisions A and B "
            "(A alone: against the working tree), then diff.",
        ),
    ] = None,
    library: Annotated[
        list[Path] | None, typer.Option("--library", "-L", help="Extra library directory.")
    ] = None,
    redline: Annotated[
        Path | None, typer.Option("--redline", help="Write a tracked-changes .docx here.")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write an HTML report here.")] = None,
    side_by_side: Annotated[
        bool, typer.Option("--side-by-side", help="HTML report in two columns.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
    author: Annotated[str, typer.Option("--author", help="Author of the tracked changes.")] = (
        "requete"
    ),
    date: Annotated[
        str | None,
        typer.Option("--date", help="Date of the tracked changes (default: NEW's modified date)."),
    ] = None,
) -> None:
    """Compare two drafts: added, removed, changed and moved paragraphs, and which arguments."""
    from requete.review import diff_drafts
    from requete.review.command import refuse_outputs, report_diff

    inputs = [path for path in (old, new) if path is not None]
    refuse_outputs(redline, html, force, inputs)  # before any work
    sides = _sides(old, new, cases, rev, tuple(library or ()))
    result = diff_drafts(*sides)
    report_diff(
        result,
        redline=redline,
        html=html,
        side_by_side=side_by_side,
        force=force,
        author=author,
        date=date,
        inputs=inputs,
    )


def _sides(
    old: Path, new: Path | None, cases: bool, rev: str | None, libraries: tuple[Path, ...]
) -> tuple[Path | bytes, Path | bytes, str, str]:
    """The two drafts to compare, built from sources when asked."""
    from requete import compare
    from requete.i18n import _

    if rev is not None:
        if new is not None or cases:
            raise typer.BadParameter(_("--rev takes one case file: requete diff --rev A..B CASE"))
        first, second = compare.split_range(rev)
        before = compare.build_at_revision(old, first, libraries)
        after = (
            compare.build_at_revision(old, second, libraries)
            if second
            else compare.build_case(old, libraries)
        )
        return (
            before,
            after,
            f"{old}@{first}",
            f"{old}@{second}" if second else _("{case}@working tree").format(case=old),
        )
    if new is None:
        raise typer.BadParameter(_("give two files: requete diff OLD NEW"))
    if cases:
        return (
            compare.build_case(old, libraries),
            compare.build_case(new, libraries),
            str(old),
            str(new),
        )
    return old, new, str(old), str(new)


@reports_errors
def manifest(
    file: DocxArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the manifest as JSON.")] = False,
) -> None:
    """Print the build manifest a requete-made .docx carries."""
    from requete.api import read_manifest
    from requete.errors import RequeteError
    from requete.i18n import _

    data = read_manifest(file)
    if data is None:
        raise RequeteError(
            _("no requete manifest in this document (it was not built by requete)"), path=file
        )
    if as_json:  # the typed manifest, written by the code that reads it
        typer.echo(data.to_json(indent=2))
        return
    _print_manifest(data)


def _print_manifest(data: Manifest) -> None:
    from rich.console import Console
    from rich.table import Table

    from requete.i18n import _

    console = Console(highlight=False)
    for key, value in (
        ("requete_version", data.requete_version),
        ("case_file", data.case_file),
        ("procedure", data.procedure),
        ("filing_date", data.filing_date),
    ):
        console.print(f"[bold]{key}[/bold]: {value}", markup=True)
    counts: dict[str | None, int] = {}
    for para in data.paragraphs:
        counts[para.block] = counts.get(para.block, 0) + 1
    table = Table(
        _("block"), _("version"), _("layer"), _("source"), "¶", _("title"), title=_("Blocks")
    )
    for block in data.blocks:
        source = f"{block.file}:{block.line}" if block.file else ""
        table.add_row(
            block.id,
            str(block.version),
            block.layer,
            source,
            str(counts.get(block.id, 0)),
            block.title,
        )
    console.print(table)
    console.print(f"[bold]precedents[/bold]: {', '.join(data.precedents) or '—'}")
    pieces = Table("n°", _("key"), _("label"), title=_("Pièces"))
    for piece in data.pieces:
        pieces.add_row(str(piece.number), piece.key, piece.label)
    console.print(pieces)
