"""Pure: collect every problem of a case and its library — never stop at the first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from requete.act import ActView, DeadlineView, act_gender
from requete.agreement import Group, PartyView
from requete.citations import CITATION, PIECE, locator_points, parse_group
from requete.context import ALWAYS as CONTEXT_NAMES
from requete.document import Document
from requete.errors import Problem, Severity
from requete.library import Library, did_you_mean
from requete.model import Block, Case
from requete.overlay import ResolvedBlock
from requete.sandbox import attributes_read, syntax_error, variables_used

ALWAYS = set(CONTEXT_NAMES)
HELPERS = {"requerants": Group, "acte": ActView, "delai": DeadlineView}


def validate_library(library: Library) -> list[Problem]:
    """Problems of the library on its own: every block's citations, syntax, facts, helpers."""
    problems: list[Problem] = []
    for block in library.blocks.values():
        problems += _block_problems(block, library, None, None)
    return problems


def validate_case(
    case: Case, library: Library, blocks: list[ResolvedBlock], notes: bool = True
) -> list[Problem]:
    """Problems of a case with its resolved blocks (requires, conflicts, facts, pièces)."""
    problems: list[Problem] = []
    present = {b.id: b for b in blocks}
    for resolved in blocks:
        problems += _relations(resolved, present, case, library)
        problems += _block_problems(resolved.block, library, case, resolved)
    problems += _case_problems(case)
    return problems


def _relations(
    resolved: ResolvedBlock, present: dict[str, ResolvedBlock], case: Case, library: Library
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
    procedure = library.procedures.get(case.procedure)
    fits = procedure.takes(block.procedures) if procedure else True
    if block.procedures and not fits:
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


@dataclass(frozen=True)
class _Text:
    """One text of a block (its law, its application, its title) and where it is written."""

    name: str
    source: str
    path: Path
    line: int
    from_matter: bool = False


def _texts(block: Block, resolved: ResolvedBlock | None) -> list[_Text]:
    origin = block.origin
    body_path = resolved.body_path if resolved and resolved.body_path else origin.path
    body_line = resolved.body_line if resolved and resolved.body_line else origin.line_of("body")
    texts = [
        _Text("title", block.title, origin.path, origin.line_of("title") - 1),
        _Text("body", block.body, body_path, body_line),
    ]
    if block.application:
        path = resolved.application_path if resolved and resolved.application_path else None
        line = resolved.application_line if resolved and resolved.application_line else None
        path = path or origin.path
        line = line or origin.line_of("application")
        texts.append(_Text("application", block.application, path, line, path != origin.path))
    if block.condition is not None:
        line = origin.line_of("condition") - 1
        texts.append(_Text("condition", "{{ " + block.condition + " }}", origin.path, line))
    return texts


def _block_problems(
    block: Block, library: Library, case: Case | None, resolved: ResolvedBlock | None
) -> list[Problem]:
    from requete.procedures import block_procedure_problems

    out: list[Problem] = []
    out += _declared_params(block, library)
    out += block_procedure_problems(block, library)
    for text in _texts(block, resolved):
        error = syntax_error(text.source)
        if error is not None:
            out.append(
                Problem(
                    "error",
                    f"block '{block.id}': Jinja syntax error in its {text.name}: {error[1]}",
                    text.path,
                    text.line + error[0],
                )
            )
            continue
        out += _helper_problems(block, text)
        out += _citation_problems(block, library, text.source, text.path, text.line)
        if case is not None:
            out += _variable_problems(block, case, text)
            out += _piece_problems(block, case, text.source, text.path, text.line)
    if case is not None:
        out += _param_problems(block, case, library)
    return out


def _declared_params(block: Block, library: Library) -> list[Problem]:
    out = []
    for i, param in enumerate(block.params):
        if param in ALWAYS or param in library.facts:
            continue
        hint = did_you_mean(param, library.facts.names())
        out.append(
            Problem(
                "error",
                f"block '{block.id}': `params` names '{param}', which is no declared fact"
                f"{hint}; declare it in facts/{param}.yaml or fix the name",
                block.origin.path,
                block.origin.line_of("params", i),
            )
        )
    return out


def _helper_problems(block: Block, text: _Text) -> list[Problem]:
    """An attribute a helper does not have (``requerants.lle``) is an error at its line."""
    out = []
    for offset, name, chain in attributes_read(text.source):
        kind: Any = HELPERS.get(name)
        for attribute in chain:
            if kind is None:
                break
            if not hasattr(kind, attribute) or attribute.startswith("_"):
                known = [a for a in dir(kind) if not a.startswith("_")]
                hint = did_you_mean(attribute, known)
                out.append(
                    Problem(
                        "error",
                        f"block '{block.id}': '{name}' has no helper '{attribute}'{hint} "
                        "(see docs/format.md, « Agreement helpers »)",
                        text.path,
                        text.line + offset,
                    )
                )
                break
            kind = _SUBGROUPS.get(attribute) if kind is Group else None
    return out


_SUBGROUPS: dict[str, Any] = {
    "societes": Group,
    "associations": Group,
    "personnes_physiques": Group,
    "personnes_morales": Group,
}


def _body_lines(body: str, pattern: re.Pattern[str]) -> Iterable[tuple[int, re.Match[str]]]:
    for offset, text in enumerate(body.splitlines(), start=1):
        for match in pattern.finditer(text):
            yield offset, match


def _citation_problems(
    block: Block, library: Library, source: str, path: Path, line: int
) -> list[Problem]:
    out = []
    for offset, match in _body_lines(source, CITATION):
        where: tuple[Path, int] = (path, line + offset)
        if "{" in match.group(0):
            continue  # a key written with Jinja is checked once rendered
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


def _param_problems(block: Block, case: Case, library: Library) -> list[Problem]:
    out = []
    origin = case.origin
    for param in block.params:
        if param in ALWAYS or param in case.facts or param not in library.facts:
            continue
        decl = library.facts[param]
        out.append(
            Problem(
                "error",
                f"block '{block.id}' needs the fact '{param}' ({decl.description.rstrip('.')}), "
                "which the matter does not give; add it under `facts:` in the matter or case "
                f"file (see facts/{param}.yaml)",
                origin.path_of("facts") if case.facts else origin.path,
                origin.line_of("facts") if case.facts else origin.line,
            )
        )
    return out


def _variable_problems(block: Block, case: Case, text: _Text) -> list[Problem]:
    """Names a text reads that are neither helpers, declared params nor facts of the matter."""
    out = []
    undeclared = variables_used(text.source) - ALWAYS - set(block.params)
    for name in sorted(undeclared):
        if name in case.facts and text.from_matter:
            continue  # the matter's own application reads the matter's own facts
        severity: Severity = "warning" if name in case.facts else "error"
        hint = "" if name in case.facts else "; the matter does not give it either"
        out.append(
            Problem(
                severity,
                f"block '{block.id}' uses '{name}' in its {text.name} without declaring it "
                f"in `params`{hint}",
                text.path,
                text.line,
            )
        )
    return out


def _piece_problems(block: Block, case: Case, source: str, path: Path, line: int) -> list[Problem]:
    out = []
    catalogue = {p.key for p in case.pieces}
    for offset, match in _body_lines(source, PIECE):
        for key in (k.strip() for k in re.split(r"[,;]", match.group(2)) if k.strip()):
            if "{" in key or key in catalogue:
                continue  # a key written with Jinja is checked once rendered
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


def _case_problems(case: Case) -> list[Problem]:
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
    return out


def typography_notes(document: Document, blocks: list[ResolvedBlock]) -> list[Problem]:
    """One note per block whose text the build will fix typographically (§8.9)."""
    from requete.export.typography import typography_problems

    counts: dict[str, dict[str, int]] = {}
    for paragraph in document.body + document.conclusions:
        if paragraph.block is None:
            continue  # headings of the procedure: the build fixes them, no author to tell
        for run in paragraph.runs:
            for _, message in typography_problems(run.text):
                kinds = counts.setdefault(paragraph.block, {})
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
    for i, party in enumerate(case.requerants):
        where = (origin.path_of("requerants", i), origin.line_of("requerants", i))
        missing = (
            [f for f in ("forme", "siege") if not getattr(party, f)]
            if party.personne == "morale"
            else [f for f in ("domicile",) if not party.domicile]
        )
        if missing:
            out.append(
                Problem(
                    "note",
                    f"{party.label}: {', '.join(missing)} to complete "
                    "(R. 411-1 CJA); shown as « [à compléter] » in the filing",
                    *where,
                )
            )
        if not PartyView(party).gender_known:
            out.append(
                Problem(
                    "note",
                    f"{party.label}: the form {party.forme!r} does not tell the gender; "
                    "feminine agreement assumed — set `genre: f` or `genre: m`",
                    *where,
                )
            )
    if case.acte.genre is None and act_gender(case.acte.nature) is None:
        out.append(
            Problem(
                "error",
                f"the act's nature '{case.acte.nature}' is not one requete knows; "
                "set `genre: f` or `genre: m` under `acte:` for the agreement",
                origin.path_of("acte", "nature"),
                origin.line_of("acte", "nature"),
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
