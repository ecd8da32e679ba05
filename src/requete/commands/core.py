"""CLI commands of the core pipeline: build, check, list, show, explain, schema, cache."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from requete.commands._common import reports_errors

CaseArg = Annotated[Path, typer.Argument(help="The case file (YAML).", show_default=False)]
LibraryOpt = Annotated[
    list[Path] | None,
    typer.Option("--library", "-L", help="Extra library directory (repeatable; later wins)."),
]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Say which library is used.")]
OutsideOpt = Annotated[
    bool, typer.Option("--allow-outside", help="Allow files outside the case directory.")
]


def register(app: typer.Typer) -> None:
    """Add the core commands to the app."""
    app.command()(build)
    app.command()(batch)
    app.command()(check)
    app.command("list")(list_items)
    app.command()(show)
    app.command()(explain)
    app.command()(schema)
    app.command(name="cache")(cache_command)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _layers_report(session: Any) -> None:
    for layer in session.layers:
        _err(f"library layer: {layer.name} ({layer.root})")


@reports_errors
def build(
    case: CaseArg,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output .docx.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output.")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF (LibreOffice).")] = False,
    no_comments: Annotated[
        bool, typer.Option("--no-comments", help="Leave counsel's notes out of the Word file.")
    ] = False,
    library: LibraryOpt = None,
    allow_outside: OutsideOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Assemble one filing into a Word document, counsel's notes as Word comments."""
    from requete.building import build_file

    code = build_file(
        case, output, force, pdf, no_comments, tuple(library or ()), allow_outside, verbose
    )
    if code:
        raise typer.Exit(code=code)


@reports_errors
def batch(
    cases: Annotated[list[Path], typer.Argument(help="Case files.", show_default=False)],
    outdir: Annotated[Path, typer.Option("--out-dir", "-o", help="Output directory.")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (0 = cores).")] = 0,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
    library: LibraryOpt = None,
) -> None:
    """Build many filings in parallel, with a progress bar."""
    from rich.progress import Progress

    from requete.batch import build_many, make_outdir

    make_outdir(outdir)
    failed = 0
    with Progress(transient=True) as progress:
        task = progress.add_task("building", total=len(cases))
        for result in build_many(cases, outdir, tuple(library or ()), jobs or None, force):
            progress.advance(task)
            if result.error:
                failed += 1
                progress.console.print(f"{result.case}: {result.error}", markup=False)
    _err(f"{len(cases) - failed} built, {failed} failed, in {outdir}")
    if failed:
        raise typer.Exit(code=1)


def _print_problems(problems: list[Any]) -> None:
    from requete.building import print_problems

    print_problems(problems)


@reports_errors
def check(
    case: Annotated[Path | None, typer.Argument(help="The case file.", show_default=False)] = None,
    library: LibraryOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    allow_outside: OutsideOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Validate a case (or library directories) and print every problem."""
    from requete import pipeline
    from requete.library import Layer, builtin_root

    if case is None:
        if not library:
            raise typer.BadParameter("give a case file, or --library DIR to check a library")
        layers = [Layer("built-in", builtin_root())] + [
            Layer(str(d), d, shared=not (d / "matters").is_dir()) for d in library
        ]
        problems = pipeline.check_library(layers)
    else:
        session = pipeline.open_case(case, tuple(library or ()), allow_outside)
        if verbose:
            _layers_report(session)
        problems = pipeline.check(session)
    _print_problems(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    _err(f"{errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        raise typer.Exit(code=1)


@reports_errors
def list_items(
    what: Annotated[str, typer.Argument(help="arguments | precedents | templates | sets | facts")],
    library: LibraryOpt = None,
) -> None:
    """Browse the library."""
    from rich.console import Console
    from rich.table import Table

    from requete.library import library_layers, load_library

    lib = load_library(library_layers(None, tuple(library or ())))
    table = Table(show_lines=False)
    if what == "arguments":
        for col in ("id", "section", "v", "title", "layer"):
            table.add_column(col)
        for b in sorted(lib.blocks.values(), key=lambda b: b.id):
            table.add_row(b.id, b.section, str(b.version), b.title, b.origin.layer)
    elif what == "precedents":
        for col in ("id", "type", "court / text", "date", "confidence"):
            table.add_column(col)
        for p in sorted(lib.precedents.values(), key=lambda p: p.id):
            label = p.court or p.short or p.citation or ""
            table.add_row(p.id, p.type, label, str(p.date or ""), p.confidence)
    elif what == "templates":
        for col in ("name", "layer", "file"):
            table.add_column(col)
        for name, path in sorted(lib.templates.items()):
            table.add_row(name, lib.template_layers[name], str(path))
        for name, ext in sorted(lib.template_extensions.items()):
            table.add_row(name, lib.template_layers[name], f"{ext.path} (extends {ext.extends})")
    elif what == "sets":
        for col in ("id", "name", "extends", "blocks / operations", "layer"):
            table.add_column(col)
        for s in sorted(lib.sets.values(), key=lambda s: s.id):
            size = f"{len(s.blocks)} blocks" if s.blocks is not None else _ops(s)
            table.add_row(s.id, s.name, s.extends or "", size, s.origin.layer)
    elif what == "facts":
        for col in ("id", "type", "description", "layer"):
            table.add_column(col)
        for f in sorted(lib.facts.values(), key=lambda f: f.id):
            kind = f"record ({', '.join(f.fields)})" if f.type == "record" else f.type
            table.add_row(f.id, kind, f.description, f.origin.layer)
    elif what == "procedures":
        for col in ("id", "name", "deadline", "layer"):
            table.add_column(col)
        for proc in sorted(lib.procedures.values(), key=lambda x: x.id):
            table.add_row(proc.id, proc.name, proc.deadline.rule, proc.origin.layer)
    else:
        raise typer.BadParameter(
            "expected arguments, precedents, templates, sets, facts or procedures"
        )
    Console().print(table)


def _ops(s: Any) -> str:
    counts = {k: len(getattr(s, k)) for k in ("add", "remove", "replace", "override", "move")}
    return ", ".join(f"{v} {k}" for k, v in counts.items() if v) or "no operation"


@reports_errors
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Block, precedent, set or fact id.")],
    library: LibraryOpt = None,
) -> None:
    """Show one block, precedent or argument set."""
    from rich.console import Console

    from requete.errors import RequeteError
    from requete.library import did_you_mean, library_layers, load_library
    from requete.showing import describe

    lib = load_library(library_layers(None, tuple(library or ())))
    text = describe(lib, ident)
    if text is None:
        known = list(lib.blocks) + list(lib.precedents) + list(lib.sets) + list(lib.facts)
        hint = did_you_mean(ident, known)
        raise RequeteError(f"no block, precedent, set or fact '{ident}'{hint}")
    Console().print(text, markup=False, highlight=False)


@reports_errors
def explain(case: CaseArg, library: LibraryOpt = None, allow_outside: OutsideOpt = False) -> None:
    """Show the resolved blocks of a filing: layer, file, version, operations."""
    from rich.console import Console
    from rich.table import Table

    from requete.paths import display_path
    from requete.pipeline import open_case

    session = open_case(case, tuple(library or ()), allow_outside)
    console = Console()
    console.print(f"set chain: {' -> '.join(session.chain) or '(blocks listed in the case)'}")
    table = Table()
    table.add_column("#", justify="right")
    table.add_column("id", no_wrap=True)
    for col in ("title", "v", "layer", "source", "operations"):
        table.add_column(col, overflow="fold")
    for i, b in enumerate(session.blocks, 1):
        table.add_row(
            str(i),
            b.id,
            b.block.title,
            str(b.block.version),
            b.layer,
            f"{display_path(b.path)}:{b.line}",
            "\n".join(b.operations) or "—",
        )
    console.print(table)
    for ident, who in session.removed.items():
        console.print(f"removed: {ident} by {who}", markup=False, highlight=False)
    errors = [p for p in session.problems if p.severity == "error"]
    _print_problems(errors)
    if errors:
        raise typer.Exit(code=1)


@reports_errors
def schema(
    outdir: Annotated[
        Path, typer.Option("--out", "-o", help="Directory for the .json files.")
    ] = Path("docs/schema"),
) -> None:
    """Export the JSON Schema of each file kind (for editors such as VS Code)."""
    from requete.schema import write_schemas

    for path in write_schemas(outdir):
        _err(f"wrote {path}")


@reports_errors
def cache_command(
    action: Annotated[
        str, typer.Argument(help="'info' (where, how big, whether it is used) or 'clear'.")
    ] = "info",
) -> None:
    """The cache of parsed library files and compiled Jinja (docs/cache.md): where it is,
    its size, or clear it. It is never needed: REQUETE_CACHE=off turns it off."""
    from requete import cache
    from requete.errors import RequeteError

    if action not in ("info", "clear"):
        raise RequeteError(
            f"unknown action '{action}'; use 'requete cache info' or 'requete cache clear'"
        )
    where, off = cache.status()
    if action == "clear":
        if off:
            raise RequeteError(f"the cache is off ({off}); nothing to clear", where)
        try:
            count, size = cache.clear()
        except OSError as err:
            raise RequeteError(str(err), where) from None
        print(f"removed {count:,} entries ({size / 1e6:.1f} MB) from {where}")
        return
    print(f"cache: {where}")
    if off:
        print(f"state: off ({off})")
        return
    count, size = cache.usage()
    print(f"state: on; {count:,} entries, {size / 1e6:.1f} MB")
    print("entries not rewritten for 30 days are removed; REQUETE_CACHE=off turns it off")
