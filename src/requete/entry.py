"""Console-script entry point with fast paths for ``requete deadline``, ``diff`` and
``build`` (no typer; for the first two, no pydantic).

``deadline`` is meant to answer instantly, ``diff`` of two drafts needs neither the models
nor the CLI framework, and ``build`` needs the models but not the framework; typer imports
pydantic for every command, which with typer itself costs about 0.12 s. Plain invocations of
these verbs are therefore read here with the standard library; anything else (``--help``,
``--cases``, ``--pdf``, ``-L``, unusual spellings) goes through typer, which gives the same
results and the same messages.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


def main() -> None:
    """Run ``requete``: the language first, then the fast path when it applies, else the
    typer app."""
    from requete.i18n import activate

    args = sys.argv[1:]
    if any(token == "--lang" or token.startswith("--lang=") for token in args):
        from requete.cli import take_language
        from requete.errors import RequeteError

        try:
            language, args = take_language(args)
        except RequeteError as err:
            print(str(err), file=sys.stderr)
            sys.exit(2)
        activate(language)
    else:
        activate(None)
    if args[:1] == ["deadline"]:
        parsed = _parse_deadline(args[1:])
        if parsed is not None:
            sys.exit(_run_deadline(*parsed))
    if args[:1] == ["diff"]:
        options = _parse_diff(args[1:])
        if options is not None:
            sys.exit(_guarded(_run_diff, options))
    if args[:1] == ["build"]:
        options = _parse_build(args[1:])
        if options is not None:
            sys.exit(_guarded(_run_build, options))
    from requete.cli import main as typer_main

    typer_main(args)


def _parse_deadline(args: list[str]) -> tuple[str, int, str] | None:
    """(date, months, origin) for plain invocations; None hands over to typer."""
    date, months, origin = None, "2", "publication"
    rest = list(args)
    while rest:
        token = rest.pop(0)
        name, eq, value = token.partition("=")
        if name in ("--months", "--from"):
            if not eq:
                if not rest:
                    return None
                value = rest.pop(0)
            if name == "--months":
                months = value
            else:
                origin = value
        elif token.startswith("-") or date is not None:
            return None
        else:
            date = token
    if date is None or not months.isdigit():
        return None
    return date, int(months), origin


def _run_deadline(date: str, months: int, origin: str) -> int:
    from requete.deadline import (
        RULE_HINT,
        compute_deadline,
        describe_deadline,
        parse_iso_date,
    )
    from requete.errors import RequeteError

    try:
        result = compute_deadline(parse_iso_date(date), months=months, origin=origin)
    except RequeteError as err:
        print(str(err), file=sys.stderr)
        return 1
    print("\n".join([RULE_HINT, *describe_deadline(result)]))
    return 0


_DIFF = (
    {"--force": "force", "--side-by-side": "side_by_side"},
    {"--redline": "redline", "--html": "html", "--author": "author", "--date": "date"},
    ("old", "new"),
)
_BUILD = (
    {"--force": "force", "--no-comments": "no_comments"},
    {"-o": "output", "--output": "output"},
    ("case",),
)


def _parse_plain(
    args: list[str], verb: tuple[dict[str, str], dict[str, str], tuple[str, ...]]
) -> dict[str, object] | None:
    """The options of a plain invocation (known flags, known options given once, the exact
    number of positional arguments); None hands over to typer, which reads everything."""
    flags, values, positionals = verb
    options: dict[str, object] = {}
    given: list[str] = []
    rest = list(args)
    while rest:
        token = rest.pop(0)
        name, eq, value = token.partition("=")
        if token in flags:
            options[flags[token]] = True
        elif name in values and not (eq and not name.startswith("--")):
            if not eq:
                if not rest or rest[0].startswith("-"):
                    return None
                value = rest.pop(0)
            if not value or values[name] in options:
                return None
            options[values[name]] = value
        elif token.startswith("-") or not token:
            return None
        else:
            given.append(token)
    if len(given) != len(positionals):
        return None
    options.update(zip(positionals, given, strict=True))
    return options


def _parse_diff(args: list[str]) -> dict[str, object] | None:
    """``diff OLD NEW [--redline P] [--html P] [--side-by-side] [--force] [--author A]
    [--date D]``; None hands over to typer."""
    return _parse_plain(args, _DIFF)


def _parse_build(args: list[str]) -> dict[str, object] | None:
    """``build CASE [-o OUT] [--force] [--no-comments]``; None hands over to typer."""
    return _parse_plain(args, _BUILD)


def _run_build(options: dict[str, object]) -> int:
    from pathlib import Path

    from requete.building import build_file

    output = options.get("output")
    return build_file(
        Path(str(options["case"])),
        Path(str(output)) if output is not None else None,
        force=bool(options.get("force")),
        no_comments=bool(options.get("no_comments")),
    )


def _guarded(run: Callable[[dict[str, object]], int], options: dict[str, object]) -> int:
    """Run a fast path as the typer commands run: a RequeteError is one message and exit 1;
    Ctrl-C and SIGTERM clean up and exit 130 / 128 + signal."""
    from requete.errors import RequeteError
    from requete.output import Terminated, signals_as_interrupts

    try:
        with signals_as_interrupts():
            return run(options)
    except RequeteError as err:
        print(str(err), file=sys.stderr)
        return 1
    except KeyboardInterrupt as err:
        from requete.i18n import _

        print(_("interrupted: nothing was written"), file=sys.stderr)
        return 128 + err.signum if isinstance(err, Terminated) else 130


def _run_diff(options: dict[str, object]) -> int:
    from pathlib import Path

    from requete.review.command import diff_files

    def path(key: str) -> Path | None:
        value = options.get(key)
        return Path(str(value)) if value is not None else None

    diff_files(
        Path(str(options["old"])),
        Path(str(options["new"])),
        redline=path("redline"),
        html=path("html"),
        side_by_side=bool(options.get("side_by_side")),
        force=bool(options.get("force")),
        author=str(options.get("author", "requete")),
        date=str(options["date"]) if "date" in options else None,
    )
    return 0
