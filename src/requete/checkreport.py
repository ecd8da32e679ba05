"""What ``requete check`` prints: errors, then warnings, each at its line; the notes summed up
by kind in one line each (``--details`` lists them); a last line with the counts and what to do
next. ``--format json`` gives the same problems as data (docs/schema/cli-check.schema.json)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from requete.errors import Problem
from requete.i18n import _, ngettext
from requete.library import Layer
from requete.listing import shown_path


def problem_line(problem: Problem, layers: list[Layer] | tuple[Layer, ...] = ()) -> str:
    """``file:line: severity: message``, the file shown relative to the working directory
    or to its layer."""
    where = ""
    if problem.path is not None:
        shown = shown_path(problem.path, layers)
        where = f"{shown}:{problem.line}: " if problem.line else f"{shown}: "
    return f"{where}{problem.headed()}"


def problem_record(
    problem: Problem, layers: list[Layer] | tuple[Layer, ...] = ()
) -> dict[str, Any]:
    """A problem as JSON data."""
    return {
        "severity": problem.severity,
        "kind": problem.kind or None,
        "message": problem.message,
        "path": shown_path(problem.path, layers) if problem.path is not None else None,
        "line": problem.line,
    }


def _note_summaries(notes: list[Problem]) -> tuple[list[str], list[Problem]]:
    """One line per kind of note that is summed up, and the notes shown as they are."""
    by_kind: dict[str, list[Problem]] = defaultdict(list)
    shown: list[Problem] = []
    for note in notes:
        if note.kind in _SUMMARIES:
            by_kind[note.kind].append(note)
        else:
            shown.append(note)
    lines = [_SUMMARIES[kind](items) for kind, items in sorted(by_kind.items())]
    return lines, shown


def _typography(items: list[Problem]) -> str:
    fixes = sum(p.count for p in items)
    return _(
        "typography: {fixes} in {blocks}, applied by the build; --details to list them"
    ).format(
        fixes=ngettext("{n} fix", "{n} fixes", fixes).format(n=fixes),
        blocks=ngettext("{n} block", "{n} blocks", len(items)).format(n=len(items)),
    )


def _to_complete(items: list[Problem]) -> str:
    return ngettext(
        "to complete: {n} party or counsel with details missing, shown « [à compléter] » "
        "in the filing; --details to list it",
        "to complete: {n} parties or counsel with details missing, shown « [à compléter] » "
        "in the filing; --details to list them",
        len(items),
    ).format(n=len(items))


def _unused(items: list[Problem]) -> str:
    return ngettext(
        "{n} application part of the matter is not used by this filing; --details to see it",
        "{n} application parts of the matter are not used by this filing; --details to see them",
        len(items),
    ).format(n=len(items))


_SUMMARIES = {"typography": _typography, "to-complete": _to_complete, "unused": _unused}


def report(
    problems: list[Problem],
    layers: list[Layer] | tuple[Layer, ...] = (),
    details: bool = False,
    case: Path | None = None,
) -> list[str]:
    """The lines ``check`` prints, most important first, ending with the counts and the
    next step."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    notes = [p for p in problems if p.severity == "note"]
    lines = [problem_line(p, layers) for p in (*errors, *warnings)]
    if details:
        lines += [problem_line(p, layers) for p in notes]
    else:
        summaries, shown = _note_summaries(notes)
        lines += [problem_line(p, layers) for p in shown]
        lines += [_("notes: {summary}").format(summary=line) for line in summaries]
    lines.append(final_line(len(errors), len(warnings), len(notes), case))
    return lines


def final_line(errors: int, warnings: int, notes: int, case: Path | None) -> str:
    """The counts, then what to do next."""
    counts = ", ".join(
        (
            ngettext("{n} error", "{n} errors", errors).format(n=errors),
            ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
            ngettext("{n} note", "{n} notes", notes).format(n=notes),
        )
    )
    if errors:
        advice = _("fix the errors above, then run the check again")
    elif case is None:
        advice = _("next: requete check CASE.yaml for a filing")
    else:
        name = shown_path(case)
        output = Path(name).with_suffix(".docx").name
        build = f"requete build {name} -o {output}"
        if warnings:
            advice = _("read the warnings, then: {command}").format(command=build)
        else:
            advice = _("next: {command}").format(command=build)
    return f"{counts} — {advice}"
