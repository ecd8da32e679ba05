"""Thin typer app: parse arguments, call one verb, print, map RequeteError to exit code 1.

Help texts are written in English (docstrings and ``help=``) and translated when the command
tree is built for a run (:func:`command`), in the language :mod:`requete.i18n` chose.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Annotated

import click
import typer

from requete.commands import core, export, new, review, studio
from requete.i18n import LANGUAGES, Language, _, activate

app = typer.Typer(
    name="requete",
    help="Draft filings for the French Conseil d'État from a validated YAML argument library.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _options(
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Language of messages: fr or en (default: French when the locale is French).",
            metavar="fr|en",
        ),
    ] = None,
) -> None:
    """Draft filings for the French Conseil d'État from a validated YAML argument library."""
    if lang is not None:  # the entry point has read it already; kept for CliRunner callers
        activate(parse_language(lang))


core.register(app)
review.register(app)
export.register(app)
new.register(app)
studio.register(app)


def parse_language(value: str) -> Language:
    """``fr`` or ``en`` (``fr_FR``, ``FR``… accepted); anything else is a clear error."""
    from requete.errors import RequeteError

    short = value.strip().lower().replace("-", "_").split("_")[0]
    for language in LANGUAGES:
        if short == language:
            return language
    raise RequeteError(_("--lang takes fr or en, not {value!r}").format(value=value))


def take_language(args: list[str]) -> tuple[Language | None, list[str]]:
    """Remove ``--lang X`` / ``--lang=X`` from the arguments (anywhere before ``--``)."""
    rest: list[str] = []
    chosen: Language | None = None
    items = iter(args)
    for token in items:
        if token == "--":
            rest.append(token)
            rest.extend(items)
            break
        if token == "--lang":
            value = next(items, None)
            if value is None:
                from requete.errors import RequeteError

                raise RequeteError(_("--lang takes fr or en"))
            chosen = parse_language(value)
        elif token.startswith("--lang="):
            chosen = parse_language(token.partition("=")[2])
        else:
            rest.append(token)
    return chosen, rest


def _walk(command: click.Command, path: str) -> Iterator[tuple[click.Command, str]]:
    yield command, path
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _walk(sub, f"{path} {name}")


def command() -> click.Command:
    """The click command tree of the app, its help texts in the current language."""
    root = typer.main.get_command(app)
    for node, _path in _walk(root, "requete"):
        if node.help:
            node.help = _(node.help)
        if node.short_help:
            node.short_help = _(node.short_help)
        for param in node.params:
            text = getattr(param, "help", None)
            if text:
                param.help = _(text)
    return root


def help_strings() -> Iterator[tuple[str, str]]:
    """Every help text of the app with where it is (``requete check --library``), for the
    catalog extractor (tools/i18n.py)."""
    root = typer.main.get_command(app)
    for node, path in _walk(root, "requete"):
        for text in (node.help, node.short_help):
            if text:
                yield text, path
        for param in node.params:
            text = getattr(param, "help", None)
            if text:
                yield text, f"{path} {param.name}"


def main(args: list[str] | None = None) -> None:
    """Run the app: choose the language, translate help, turn RequeteError into exit code 1."""
    from requete.errors import RequeteError

    try:
        language, rest = take_language(sys.argv[1:] if args is None else args)
        if language is not None:  # else the entry point chose it from the locale
            activate(language)
        command()(args=rest, prog_name="requete", standalone_mode=True)
    except RequeteError as err:  # pragma: no cover - commands catch their own errors
        print(str(err), file=sys.stderr)
        sys.exit(1)
