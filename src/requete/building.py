"""What ``requete build`` does once its arguments are read, without the CLI framework: the
typer command and the fast path of ``requete.entry`` both call it, and it builds through the
public API (``requete.api``) like any other caller."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def build_file(
    case: Path,
    output: Path | None = None,
    force: bool = False,
    pdf: bool = False,
    no_comments: bool = False,
    libraries: tuple[Path, ...] = (),
    allow_outside: bool = False,
    verbose: bool = False,
) -> int:
    """Build one filing; print its problems and what was written; the exit code (0 or 1).
    A RequeteError (bad input, refused output) propagates to the caller's handler."""
    from requete import api
    from requete.errors import ValidationFailed
    from requete.i18n import _
    from requete.output import protected_paths, refuse_existing, write_atomic

    target = output or case.with_suffix(".docx")
    refuse_existing(target, force)
    pdf_target = target.with_suffix(".pdf")
    if pdf:
        refuse_existing(pdf_target, force)
    session = api.load_case(case, libraries, allow_outside, notes=False)
    if verbose:
        for layer in session.layers:
            _err(_("library layer: {name} ({root})").format(name=layer.name, root=layer.root))
    try:
        built = api.build(session, comments=not no_comments)
    except ValidationFailed as failed:
        print_problems(failed.problems)
        return 1
    print_problems(list(built.problems))
    data = built.docx
    inputs = protected_paths(session)  # never written over, even with --force
    if pdf:
        from requete.export.pdf import write_with_pdf

        for written in write_with_pdf(target, data, force, inputs):
            _err(_("wrote {path}").format(path=written))
        return 0
    write_atomic(target, data, force, inputs)
    _err(_("wrote {path}").format(path=target))
    return 0


def print_problems(problems: list[Any]) -> None:
    """Each problem on its own line of stderr (``path:line: severity: message``, the path
    short: see :func:`requete.listing.shown_path`)."""
    from requete.checkreport import problem_line

    for problem in problems:
        _err(problem_line(problem))


def _err(text: str) -> None:
    print(text, file=sys.stderr)
