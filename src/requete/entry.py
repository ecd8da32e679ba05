"""Console-script entry point with a fast path for ``requete deadline`` (no typer, no pydantic).

``requete deadline`` is meant to answer instantly; typer imports pydantic for every command,
which alone costs about 0.1 s. Simple ``deadline`` invocations are therefore handled here with
the standard library; anything else (``--help``, unusual spellings) goes through typer.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run ``requete``: the fast path when it applies, else the typer app."""
    args = sys.argv[1:]
    if args[:1] == ["deadline"]:
        parsed = _parse_deadline(args[1:])
        if parsed is not None:
            sys.exit(_run_deadline(*parsed))
    from requete.cli import main as typer_main

    typer_main()


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
    from requete.errors import RequeteError
    from requete.export.deadline import (
        RULE_HINT,
        compute_deadline,
        describe_deadline,
        parse_iso_date,
    )

    try:
        result = compute_deadline(parse_iso_date(date), months=months, origin=origin)
    except RequeteError as err:
        print(str(err), file=sys.stderr)
        return 1
    print("\n".join([RULE_HINT, *describe_deadline(result)]))
    return 0
