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
    from requete.i18n import _

    for layer in session.layers:
        _err(_("library layer: {name} ({root})").format(name=layer.name, root=layer.root))


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

    from requete.api import build_many
    from requete.i18n import _

    results = build_many(cases, outdir, library or (), jobs or None, force)
    failed = 0
    with Progress(transient=True) as progress:
        task = progress.add_task(_("building"), total=len(cases))
        for result in results:
            progress.advance(task)
            if result.error:
                failed += 1
                progress.console.print(f"{result.case}: {result.error}", markup=False)
    _err(
        _("{built} built, {failed} failed, in {outdir}").format(
            built=len(cases) - failed, failed=failed, outdir=outdir
        )
    )
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
    details: Annotated[
        bool, typer.Option("--details", help="List every note instead of summing them up.")
    ] = False,
    allow_outside: OutsideOpt = False,
    verbose: VerboseOpt = False,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="text (for people) or json (for scripts and editors; "
            "docs/schema/cli-check.schema.json).",
            metavar="text|json",
        ),
    ] = "text",
) -> None:
    """Validate a case (or library directories): errors, then warnings, then the notes summed
    up by kind, and what to do next."""
    from requete import api
    from requete.checkreport import problem_record, report
    from requete.i18n import _

    fmt = _format(output_format)
    if case is None:
        if not library:
            raise typer.BadParameter(_("give a case file, or --library DIR to check a library"))
        result = api.check_library(library)
    else:
        session = api.load_case(case, tuple(library or ()), allow_outside)
        if verbose:
            _layers_report(session)
        result = api.check(session)
    problems, layers = list(result.problems), list(result.layers)
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    if fmt == "json":
        _print_json(
            "check",
            {
                "problems": [problem_record(p, layers) for p in problems],
                "counts": {
                    "errors": errors,
                    "warnings": warnings,
                    "notes": len(problems) - errors - warnings,
                },
            },
        )
    else:
        for line in report(problems, layers, details, case):
            _err(line)
    if errors or (strict and warnings):
        raise typer.Exit(code=1)


FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        help="text (for people) or json (for scripts and editors; docs/schema/cli-*.schema.json).",
        metavar="text|json",
    ),
]


def _format(value: str) -> str:
    from requete.errors import RequeteError
    from requete.i18n import _

    if value not in ("text", "json"):
        raise RequeteError(_("--format takes text or json, not {value!r}").format(value=value))
    return value


def _print_json(kind: str, data: dict[str, Any]) -> None:
    import json

    from requete.listing import SCHEMA_VERSION

    payload = {"requete": kind, "version": SCHEMA_VERSION, **data}
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


@reports_errors
def list_items(
    what: Annotated[
        str,
        typer.Argument(help="arguments | precedents | templates | sets | facts | procedures"),
    ],
    library: LibraryOpt = None,
    output_format: FormatOpt = "text",
) -> None:
    """Browse the library: ids in full, a block's procedures and params (facts)."""
    from requete.api import open_library
    from requete.i18n import _
    from requete.listing import KINDS, rows

    fmt = _format(output_format)
    if what not in KINDS:
        raise typer.BadParameter(
            _("expected arguments, precedents, templates, sets, facts or procedures")
        )
    lib = open_library(library or ())
    records = rows(lib, what)
    if fmt == "json":
        _print_json("list", {"kind": what, "items": records})
        return
    _print_rows(what, records)


def _print_rows(what: str, records: list[dict[str, Any]]) -> None:
    """A table that fits the terminal: ids never cut, long texts wrapped, the least useful
    columns dropped when narrow; one entry per line when even that does not fit."""
    import textwrap

    from rich import box
    from rich.console import Console
    from rich.table import Table

    from requete.i18n import _
    from requete.listing import COLUMNS, DROP_ORDER, HEADINGS, WRAPPING, cell

    console = Console()
    columns = list(COLUMNS[what])
    widths = {c: max([len(_(HEADINGS[c]))] + [len(cell(r, c)) for r in records]) for c in columns}
    # A wrapping column is at least as wide as its longest word (at most 24), so that words
    # are not cut.
    least = {
        c: min(
            widths[c],
            max([10] + [min(len(w), 24) for r in records for w in cell(r, c).split()]),
        )
        for c in columns
    }

    def needed(cols: list[str]) -> int:
        return sum(least[c] if c in WRAPPING else widths[c] for c in cols) + 2 * len(cols)

    for name in DROP_ORDER:
        if needed(columns) <= console.width:
            break
        if name in columns:
            columns.remove(name)
    if needed(columns) > console.width:
        width = max(console.width, 20)
        for r in records:
            console.print(r["id"], markup=False, highlight=False, soft_wrap=True)
            for c in COLUMNS[what][1:]:
                value = cell(r, c)
                if value:
                    text = textwrap.fill(
                        _("{heading}: {value}").format(heading=_(HEADINGS[c]), value=value),
                        width=width,
                        initial_indent="    ",
                        subsequent_indent="      ",
                    )
                    console.print(text, markup=False, highlight=False, soft_wrap=True)
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), expand=True)
    for c in columns:
        if c in WRAPPING:
            table.add_column(_(HEADINGS[c]), overflow="fold", min_width=least[c], ratio=1)
        else:
            table.add_column(_(HEADINGS[c]), no_wrap=True, min_width=widths[c])
    for r in records:
        table.add_row(*(cell(r, c) for c in columns))
    console.print(table)
    dropped = [c for c in COLUMNS[what] if c not in columns]
    if dropped:
        console.print(
            _("(columns left out to fit the terminal: {columns}; --format json gives all)").format(
                columns=", ".join(_(HEADINGS[c]) for c in dropped)
            ),
            markup=False,
            highlight=False,
        )


@reports_errors
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Block, precedent, set or fact id.")],
    library: LibraryOpt = None,
    output_format: FormatOpt = "text",
) -> None:
    """Show one block, precedent, argument set or fact: its procedures, params, source."""
    from rich.console import Console

    from requete.api import open_library
    from requete.errors import RequeteError, did_you_mean
    from requete.i18n import _
    from requete.showing import lookup, render

    fmt = _format(output_format)
    lib = open_library(library or ())
    found = lookup(lib, ident)
    if found is None:
        known = list(lib.blocks) + list(lib.precedents) + list(lib.sets) + list(lib.facts)
        hint = did_you_mean(ident, known)
        raise RequeteError(
            _("no block, precedent, set or fact '{id}'{hint}").format(id=ident, hint=hint)
        )
    if fmt == "json":
        _print_json("show", {"item": found})
        return
    Console().print(render(found), markup=False, highlight=False, soft_wrap=True)


@reports_errors
def explain(
    case: CaseArg,
    library: LibraryOpt = None,
    allow_outside: OutsideOpt = False,
    output_format: FormatOpt = "text",
) -> None:
    """Show the resolved blocks of a filing: layer, file, version, operations."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from requete.api import load_case
    from requete.checkreport import problem_record
    from requete.i18n import _
    from requete.listing import shown_operation, shown_path

    fmt = _format(output_format)
    session = load_case(case, tuple(library or ()), allow_outside)
    layers = session.layers
    errors = [p for p in session.problems if p.severity == "error"]
    blocks: list[dict[str, Any]] = [
        {
            "position": i,
            "id": b.id,
            "title": b.block.title,
            "version": b.block.version,
            "layer": b.layer,
            "source": shown_path(b.path, layers),
            "line": b.line,
            "operations": list(b.operations),
        }
        for i, b in enumerate(session.blocks, 1)
    ]
    if fmt == "json":
        _print_json(
            "explain",
            {
                "case": shown_path(case, layers),
                "chain": list(session.chain),
                "blocks": blocks,
                "removed": dict(session.removed),
                "errors": [problem_record(p, layers) for p in errors],
            },
        )
        if errors:
            raise typer.Exit(code=1)
        return
    console = Console()
    chain = " -> ".join(session.chain) or _("(blocks listed in the case)")
    console.print(_("set chain: {chain}").format(chain=chain), markup=False, highlight=False)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column(_("id"), no_wrap=True)
    table.add_column(_("title"), overflow="fold", ratio=1, min_width=12)
    table.add_column(_("v"))
    table.add_column(_("layer"), overflow="fold")
    table.add_column(_("file"), overflow="fold")
    table.add_column(_("operations"), overflow="fold")
    for b in blocks:
        table.add_row(
            str(b["position"]),
            b["id"],
            b["title"],
            str(b["version"]),
            b["layer"],
            f"{b['source']}:{b['line']}",
            "\n".join(shown_operation(op) for op in b["operations"]) or "—",
        )
    console.print(table)
    for ident, who in session.removed.items():
        console.print(
            _("removed: {id} by {who}").format(id=ident, who=who), markup=False, highlight=False
        )
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
    from requete.api import write_schemas
    from requete.i18n import _

    for path in write_schemas(outdir):
        _err(_("wrote {path}").format(path=path))


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
    from requete.french import thousands
    from requete.i18n import _, language, ngettext

    def numbers(count: int, size: int) -> dict[str, str]:
        """The entry count and the size in MB, written as the language writes numbers."""
        shown = {"count": f"{count:,}", "size": f"{size / 1e6:.1f}"}
        if language() == "fr":
            shown = {
                "count": thousands(count),
                "size": shown["size"].replace(".", ","),
            }
        return shown

    if action not in ("info", "clear"):
        raise RequeteError(
            _(
                "unknown action '{action}'; use 'requete cache info' or 'requete cache clear'"
            ).format(action=action)
        )
    where, off = cache.status()
    if action == "clear":
        if off:
            raise RequeteError(
                _("the cache is off ({reason}); nothing to clear").format(reason=off), where
            )
        try:
            count, size = cache.clear()
        except OSError as err:
            raise RequeteError(str(err), where) from None
        print(
            ngettext(
                "removed {count} entry ({size} MB) from {where}",
                "removed {count} entries ({size} MB) from {where}",
                count,
            ).format(**numbers(count, size), where=where)
        )
        return
    print(_("cache: {where}").format(where=where))
    if off:
        print(_("state: off ({reason})").format(reason=off))
        return
    count, size = cache.usage()
    print(
        ngettext(
            "state: on; {count} entry, {size} MB",
            "state: on; {count} entries, {size} MB",
            count,
        ).format(**numbers(count, size))
    )
    print(_("entries not rewritten for 30 days are removed; REQUETE_CACHE=off turns it off"))
