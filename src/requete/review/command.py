"""What ``requete diff`` does once its arguments are read, without the CLI framework: the
typer command and the fast path of ``requete.entry`` both call it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from requete.review import DraftDiff


def diff_files(
    old: Path,
    new: Path,
    redline: Path | None = None,
    html: Path | None = None,
    side_by_side: bool = False,
    force: bool = False,
    author: str = "requete",
    date: str | None = None,
) -> None:
    """Compare two .docx drafts, print the summary, write the redline and the report."""
    from requete.review.diff import diff_drafts

    inputs = [old, new]
    refuse_outputs(redline, html, force, inputs)  # before any work
    result = diff_drafts(old, new, str(old), str(new))
    report_diff(result, redline, html, side_by_side, force, author, date, inputs)


def verified_on(result: DraftDiff) -> str:
    """What the redline's verification covered, for the line that reports it."""
    from requete.i18n import _, ngettext

    others = len({id(s.new.container) for s in result.stories if s.new is not None})
    where = (
        ngettext(
            "the body and {count} other story", "the body and {count} other stories", others
        ).format(count=others)
        if others
        else _("the body")
    )
    if result.uncompared:
        return _(
            "accept-all and reject-all verified on {where}; not compared, carried over: {parts}"
        ).format(where=where, parts=", ".join(result.uncompared))
    return _("accept-all and reject-all verified on {where}").format(where=where)


def refuse_outputs(
    redline: Path | None, html: Path | None, force: bool, inputs: list[Path]
) -> None:
    """The redline and the report are two different files, neither of them an input."""
    from requete.errors import RequeteError
    from requete.i18n import _
    from requete.output import refuse_existing

    outputs = [path for path in (redline, html) if path is not None]
    if len(outputs) == 2 and outputs[0].resolve() == outputs[1].resolve():
        raise RequeteError(_("--redline and --html name the same file: give two names"), html)
    for path in outputs:
        refuse_existing(path, force, inputs)


def report_diff(
    result: DraftDiff,
    redline: Path | None = None,
    html: Path | None = None,
    side_by_side: bool = False,
    force: bool = False,
    author: str = "requete",
    date: str | None = None,
    inputs: list[Path] | None = None,
) -> None:
    """Print the summary and write the requested outputs (also used by `diff --cases`);
    none of them replaces one of the ``inputs``, even with ``force``."""
    from rich.console import Console

    from requete.i18n import _
    from requete.output import Outputs
    from requete.review import check_writable, make_redline, render_html, render_summary

    for path in (p for p in (redline, html) if p is not None):
        check_writable(path, force, inputs or ())
    console = Console(highlight=False)
    for renderable in render_summary(result, markers=console.color_system is None):
        console.print(renderable, soft_wrap=True)
    with Outputs(force) as outputs:  # both files or neither
        if redline is not None:
            data = make_redline(result, author=author, date=date, label=str(redline))
            outputs.add_bytes(redline, data)
        if html is not None:
            page = render_html(result, "side" if side_by_side else "inline")
            outputs.add_bytes(html, page.encode("utf-8"))
        outputs.commit()
    if redline is not None:
        console.print(
            _("redline written: {path} ({verified})").format(
                path=redline, verified=verified_on(result)
            )
        )
    if html is not None:
        console.print(_("report written: {path}").format(path=html))
