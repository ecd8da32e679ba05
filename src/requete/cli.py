"""Thin typer app: parse arguments, call one verb, print, map RequeteError to exit code 1."""

from __future__ import annotations

import sys

import typer

from requete.commands import core, export, review

app = typer.Typer(
    name="requete",
    help="Draft filings for the French Conseil d'État from a validated YAML argument library.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

core.register(app)
review.register(app)
export.register(app)


def main() -> None:
    """Console-script entry point: run the app, turning RequeteError into exit code 1."""
    from requete.errors import RequeteError

    try:
        app(standalone_mode=True)
    except RequeteError as err:  # pragma: no cover - commands catch their own errors
        print(str(err), file=sys.stderr)
        sys.exit(1)
