"""Pure: collect every problem of a case and its library — never stop at the first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from requete.citations import CITATION, PIECE, locator_points, parse_group
from requete.document import Document
from requete.errors import Problem, Severity
from requete.library import Library, did_you_mean
from requete.model import Block, Case
from requete.overlay import ResolvedBlock
from requete.sandbox import syntax_error, variables_used

ALWAYS = {"filing", "acte", "requerantes", "avocat"}


def validate_library(library: Library) -> list[Problem]:
    """Problems of the library on its own: every block's citations, syntax, references."""
    problems: list[Problem] = []
    for block in library.blocks.values():
        problems += _block_problems(block, library, None, None)
    return problems


def validate_case(
    case: Case, library: Library, blocks: list[ResolvedBlock], notes: bool = True
) -> list[Problem]:
    """Problems of a case with its resolved blocks (requires, conflicts, params, pièces)."""
    problems: list[Problem] = []
    present = {b.id: b for b in blocks}
    for resolved in blocks:
        problems += _relations(resolved, present, case)
        problems += _block_problems(resolved.block, library, case, resolved)
    problems += _case_problems(case, notes)
    return problems


def _relations(
    resolved: ResolvedBlock, present: dict[str, ResolvedBlock], case: Case
) -> list[Problem]:
    block, out = resolved.block, []
    where = (resolved.path, block.origin.line_of("requires"))
    for needed in block.requires:
        if needed not in present:
            out.append(
                Problem(
                    "error",
                    f"block '{block.id}' requires '{needed}', which is not "
                    "in the filing; add it to the set or drop this block",
                    *where,
                )
            )
    for other in block.conflicts:
        if other in present:
            out.append(
                Problem(
                    "error",
                    f"block '{block.id}' conflicts with '{other}'; keep only one of them",
                    resolved.path,
                    block.origin.line_of("conflicts"),
                )
            )
    if block.procedures and case.procedure not in block.procedures:
        allowed = ", ".join(block.procedures)
        out.append(
            Problem(
                "error",
                f"block '{block.id}' is written for {allowed}, not for {case.procedure}",
                resolved.path,
                resolved.line,
            )
        )
    return out


def _block_problems(
    block: Block, library: Library, case: Case | None, resolved: ResolvedBlock | None
) -> list[Problem]:
    path = resolved.body_path if resolved and resolved.body_path else block.origin.path
    line = resolved.body_line if resolved and resolved.body_line else block.origin.line_of("body")
    out: list[Problem] = []
    error = syntax_error(block.body)
    if error is not None:
        out.append(
            Problem(
                "error",
                f"block '{block.id}': Jinja syntax error: {error[1]}",
                path,
                line + error[0],
            )
        )
        return out
    out += _citation_problems(block, library, path, line)
    if case is not None:
        out += _param_problems(block, case, path, line)
        out += _piece_problems(block, case, path, line)
    return out


def _body_lines(body: str, pattern: re.Pattern[str]) -> Iterable[tuple[int, re.Match[str]]]:
    for offset, text in enumerate(body.splitlines(), start=1):
        for match in pattern.finditer(text):
            yield offset, match


def _citation_problems(block: Block, library: Library, path: Path, line: int) -> list[Problem]:
    out = []
    for offset, match in _body_lines(block.body, CITATION):
        where: tuple[Path, int] = (path, line + offset)
        cites = parse_group(match.group(1))
        if cites is None:
            out.append(
                Problem(
                    "error",
                    f"malformed citation {match.group(0)}; write [@id] or [@id, pt 185]",
                    *where,
                )
            )
            continue
        for cite in cites:
            precedent = library.precedents.get(cite.key)
            if precedent is None:
                hint = did_you_mean(cite.key, library.precedents)
                out.append(Problem("error", f"unknown precedent '{cite.key}'{hint}", *where))
                continue
            for point in locator_points(cite.locator or ""):
                if precedent.points and point not in precedent.points:
                    out.append(
                        Problem(
                            "warning",
                            f"pinpoint pt {point} of '{cite.key}' is not "
                            "among its recorded points; check it against the "
                            "decision and add it to `points`",
                            *where,
                        )
                    )
    return out


def _param_problems(block: Block, case: Case, path: Path, line: int) -> list[Problem]:
    out = []
    available = set(case.variables) | ALWAYS
    for param in block.params:
        if param not in available:
            out.append(
                Problem(
                    "error",
                    f"block '{block.id}' needs variable '{param}', which the "
                    "case does not define; add it under `variables:` in the case "
                    "file",
                    case.origin.path_of("variables"),
                    case.origin.line_of("variables"),
                )
            )
    undeclared = variables_used(block.body) - ALWAYS - set(block.params)
    for name in sorted(undeclared):
        severity: Severity = "warning" if name in available else "error"
        hint = "" if name in available else "; the case does not define it either"
        out.append(
            Problem(
                severity,
                f"block '{block.id}' uses variable '{name}' without declaring it in `params`{hint}",
                path,
                line,
            )
        )
    return out


def _piece_problems(block: Block, case: Case, path: Path, line: int) -> list[Problem]:
    out = []
    catalogue = {p.key for p in case.pieces}
    for offset, match in _body_lines(block.body, PIECE):
        for key in (k.strip() for k in re.split(r"[,;]", match.group(2)) if k.strip()):
            if key not in catalogue:
                hint = did_you_mean(key, catalogue)
                out.append(
                    Problem(
                        "error",
                        f"block '{block.id}' refers to unknown pièce "
                        f"'{key}'{hint}; add it to `pieces:` in the case or matter "
                        "file",
                        path,
                        line + offset,
                    )
                )
    return out


def _case_problems(case: Case, notes: bool = True) -> list[Problem]:
    out: list[Problem] = []
    origin = case.origin
    keys = [p.key for p in case.pieces]
    for key in {k for k in keys if keys.count(k) > 1}:
        out.append(
            Problem(
                "error",
                f"pièce '{key}' is listed twice in `pieces:`",
                origin.path_of("pieces"),
                origin.line_of("pieces"),
            )
        )
    if case.acte.piece not in keys:
        hint = did_you_mean(case.acte.piece, keys)
        out.append(
            Problem(
                "error",
                f"the contested act's pièce '{case.acte.piece}' is not in "
                f"`pieces:`{hint} (R. 412-1 CJA: the act must be produced)",
                origin.path_of("acte", "piece"),
                origin.line_of("acte", "piece"),
            )
        )
    if case.inventaire is not None:
        out += _inventaire_problems(case, keys)
    out += _todo_notes(case)
    out += _deadline_problems(case, notes)
    return out


def _deadline_problems(case: Case, notes: bool = True) -> list[Problem]:
    """R. 421-1 CJA: an annulation filed after the last day is out of time."""
    from requete.export.deadline import (
        compute_deadline,
        expiry_before_prorogation,
        format_date_fr,
    )

    act, origin = case.acte, case.origin
    start = act.notification or act.publication
    if case.procedure != "annulation" or start is None:
        return []
    if not notes and case.date <= expiry_before_prorogation(start):
        return []  # in time whatever the holidays: no need to load the calendar
    which = "notification" if act.notification else "publication"
    deadline = compute_deadline(start, 2, which)
    where = (origin.path_of("date"), origin.line_of("date"))
    last = format_date_fr(deadline.last_day)
    if case.date > deadline.last_day:
        return [
            Problem(
                "error",
                f"the filing date {case.date} is after the last day to file, "
                f"{last} ({which} on {start}, R. 421-1 CJA; see `requete deadline "
                f"{start}`)",
                *where,
            )
        ]
    return [
        Problem(
            "note",
            f"deadline: last day to file is {last} ({which} on {start}, R. 421-1 CJA)",
            *where,
        )
    ]


def typography_notes(document: Document, blocks: list[ResolvedBlock]) -> list[Problem]:
    """One note per block whose text the build will fix typographically (§8.9)."""
    from requete.export.typography import typography_problems

    counts: dict[str, dict[str, int]] = {}
    for paragraph in document.body + document.conclusions:
        for run in paragraph.runs:
            for _, message in typography_problems(run.text):
                kinds = counts.setdefault(paragraph.block or "(frame)", {})
                kinds[message] = kinds.get(message, 0) + 1
    out = []
    where = {b.id: (b.body_path or b.path, b.body_line or b.line) for b in blocks}
    for block, kinds in counts.items():
        total = sum(kinds.values())
        detail = "; ".join(f"{n}× {m}" for m, n in sorted(kinds.items()))
        path, line = where.get(block, (None, None))
        out.append(
            Problem(
                "note",
                f"block '{block}': {total} French typography fix(es) will "
                f"be applied in the output ({detail})",
                path,
                line,
            )
        )
    return out


def _inventaire_problems(case: Case, keys: list[str]) -> list[Problem]:
    out = []
    origin = case.origin
    inventaire = case.inventaire or []
    if inventaire and inventaire[0] != case.acte.piece:
        out.append(
            Problem(
                "error",
                f"the contested act ('{case.acte.piece}') must be pièce n° 1 "
                "(R. 412-1 CJA); put it first in `inventaire:`",
                origin.path_of("inventaire"),
                origin.line_of("inventaire"),
            )
        )
    for i, key in enumerate(inventaire):
        if key not in keys:
            out.append(
                Problem(
                    "error",
                    f"`inventaire:` names unknown pièce '{key}'{did_you_mean(key, keys)}",
                    origin.path_of("inventaire", i),
                    origin.line_of("inventaire", i),
                )
            )
    return out


def _todo_notes(case: Case) -> list[Problem]:
    out = []
    origin = case.origin
    for i, party in enumerate(case.requerantes):
        if party.personne == "morale":
            missing = [f for f in ("forme", "siege") if not getattr(party, f)]
            if missing:
                out.append(
                    Problem(
                        "note",
                        f"{party.nom}: {', '.join(missing)} to complete "
                        "(R. 411-1 CJA); shown as « [à compléter] » in the filing",
                        origin.path_of("requerantes", i),
                        origin.line_of("requerantes", i),
                    )
                )
    if case.avocat is None or case.avocat.nom is None:
        out.append(
            Problem(
                "note",
                "counsel (`avocat:`) to complete; shown as « [à compléter] »",
                origin.path,
                origin.line,
            )
        )
    return out


def validate_document(
    case: Case, document: Document, library: Library, blocks: list[ResolvedBlock]
) -> list[Problem]:
    """Problems only visible once rendered: dates of what is cited and of the pièces used."""
    out: list[Problem] = []
    where = {b.id: (b.path, b.line) for b in blocks}
    for key in document.cited:
        precedent = library.precedents[key]
        block_id = document.cited_by.get(key, [""])[0]
        path, line = where.get(block_id or "", (case.origin.path, case.origin.line))
        if precedent.confidence == "unverified":
            out.append(
                Problem(
                    "warning",
                    f"'{key}' is UNVERIFIED in the precedent database; "
                    "verify it before filing or remove the citation",
                    path,
                    line,
                )
            )
        if precedent.date and precedent.date > case.date and not precedent.status:
            out.append(
                Problem(
                    "warning",
                    f"the filing is dated {case.date} but cites '{key}', "
                    f"decided on {precedent.date}; make the passage depend on "
                    "`filing.date`",
                    path,
                    line,
                )
            )
    dated = {p.key: p for p in case.pieces}
    for item in document.pieces:
        piece = dated.get(item.key)
        if piece and piece.date and piece.date > case.date:
            out.append(
                Problem(
                    "error",
                    f"pièce n° {item.number} ('{item.key}') is dated "
                    f"{piece.date}, after the filing ({case.date}); it cannot be "
                    "produced",
                    case.origin.path_of("pieces"),
                    case.origin.line_of("pieces"),
                )
            )
        if not item.referenced:
            out.append(
                Problem(
                    "warning",
                    f"pièce n° {item.number} ('{item.key}') is never referred to in the text",
                    case.origin.path_of("inventaire"),
                    case.origin.line_of("inventaire"),
                )
            )
    return out
