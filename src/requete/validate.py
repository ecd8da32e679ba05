"""Pure: collect every problem of a case and its library — never stop at the first."""

from __future__ import annotations

from pathlib import Path

from requete.act import act_gender
from requete.agreement import PartyView
from requete.blockchecks import block_problems
from requete.document import Document
from requete.errors import Problem, did_you_mean
from requete.i18n import _, ngettext
from requete.library import Library
from requete.markup import references
from requete.model import Case
from requete.overlay import ResolvedBlock


def validate_library(library: Library) -> list[Problem]:
    """Problems of the library on its own: every block's citations, syntax, facts, helpers."""
    from requete.authorities import authority_index, cited_keys

    problems: list[Problem] = []
    for block in library.blocks.values():
        # on its own, a block is checked against the authorities it cites itself
        keys = cited_keys((block.body, block.application or ""))
        index = authority_index(library, keys)
        problems += block_problems(block, library, None, None, index)
    return problems


def validate_case(
    case: Case, library: Library, blocks: list[ResolvedBlock], notes: bool = True
) -> list[Problem]:
    """Problems of a case with its resolved blocks (requires, conflicts, facts, pièces)."""
    problems: list[Problem] = []
    present = {b.id: b for b in blocks}
    from requete.authorities import AuthorityIndex, authority_index, cited_keys

    # The table of authorities lists what the filing cites: an authority it cites and also
    # names in words elsewhere misses a pointer. A build (notes off) fails only on errors,
    # and this check only warns.
    texts = [t for b in blocks for t in (b.block.body, b.block.application or "")]
    index = authority_index(library, cited_keys(texts)) if notes else AuthorityIndex()
    for resolved in blocks:
        problems += _relations(resolved, present, case, library)
        problems += block_problems(resolved.block, library, case, resolved, index)
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
                    _(
                        "block '{id}' requires '{needed}', which is not "
                        "in the filing; add it to the set or drop this block"
                    ).format(id=block.id, needed=needed),
                    *where,
                )
            )
    for other in block.conflicts:
        if other in present:
            out.append(
                Problem(
                    "error",
                    _("block '{id}' conflicts with '{other}'; keep only one of them").format(
                        id=block.id, other=other
                    ),
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
                _("block '{id}' is written for {allowed}, not for {procedure}").format(
                    id=block.id, allowed=allowed, procedure=case.procedure
                ),
                resolved.path,
                resolved.line,
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
                _("pièce '{key}' is listed twice in `pieces:`").format(key=key),
                origin.path_of("pieces"),
                origin.line_of("pieces"),
            )
        )
    if case.acte.piece not in keys:
        hint = did_you_mean(case.acte.piece, keys)
        out.append(
            Problem(
                "error",
                _(
                    "the contested act's pièce '{key}' is not in "
                    "`pieces:`{hint} (R. 412-1 CJA: the act must be produced)"
                ).format(key=case.acte.piece, hint=hint),
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
    from requete.typography import typography_problems

    counts: dict[str, dict[str, int]] = {}
    for paragraph in document.body + document.conclusions:
        if paragraph.block is None:
            continue  # headings of the procedure: the build fixes them, no author to tell
        for run in paragraph.runs:
            for _offset, message in typography_problems(run.text):
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
                ngettext(
                    "block '{id}': {count} French typography fix(es) will "
                    "be applied in the output ({detail})",
                    "block '{id}': {count} French typography fix(es) will "
                    "be applied in the output ({detail})",
                    total,
                ).format(id=block, count=total, detail=detail),
                path,
                line,
                kind="typography",
                count=total,
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
                _(
                    "the contested act ('{key}') must be pièce n° 1 "
                    "(R. 412-1 CJA); put it first in `inventaire:`"
                ).format(key=case.acte.piece),
                origin.path_of("inventaire"),
                origin.line_of("inventaire"),
            )
        )
    for i, key in enumerate(inventaire):
        if key not in keys:
            out.append(
                Problem(
                    "error",
                    _("`inventaire:` names unknown pièce '{key}'{hint}").format(
                        key=key, hint=did_you_mean(key, keys)
                    ),
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
                    _(
                        "{party}: {fields} to complete "
                        "(R. 411-1 CJA); shown as « [à compléter] » in the filing"
                    ).format(party=party.label, fields=", ".join(missing)),
                    *where,
                    kind="to-complete",
                )
            )
        if not PartyView(party).gender_known:
            out.append(
                Problem(
                    "note",
                    _(
                        "{party}: the form {form} does not tell the gender; "
                        "feminine agreement assumed — set `genre: f` or `genre: m`"
                    ).format(party=party.label, form=repr(party.forme)),
                    *where,
                )
            )
    if case.acte.genre is None and act_gender(case.acte.nature) is None:
        out.append(
            Problem(
                "error",
                _(
                    "the act's nature '{nature}' is not one requete knows; "
                    "set `genre: f` or `genre: m` under `acte:` for the agreement"
                ).format(nature=case.acte.nature),
                origin.path_of("acte", "nature"),
                origin.line_of("acte", "nature"),
            )
        )
    if case.avocat is None or case.avocat.nom is None:
        out.append(
            Problem(
                "note",
                _("counsel (`avocat:`) to complete; shown as « [à compléter] »"),
                origin.path,
                origin.line,
                kind="to-complete",
            )
        )
    return out


def _citation_line(block: ResolvedBlock, key: str) -> tuple[Path, int]:
    """The file and line of the first citation of ``key`` in a block (its body, then its
    application part); the block's first line when the key is written with Jinja."""
    texts = (
        (block.block.body, block.body_path, block.body_line),
        (block.block.application, block.application_path, block.application_line),
    )
    for text, path, line in texts:
        if not text or path is None or line is None:
            continue
        for token in references(text, ("citation",)):
            if any(cite.key == key for cite in token.cites or []):
                return path, line + token.line + 1
    return block.path, block.line


def validate_document(
    case: Case, document: Document, library: Library, blocks: list[ResolvedBlock]
) -> list[Problem]:
    """Problems only visible once rendered: dates of what is cited and of the pièces used."""
    out: list[Problem] = []
    by_id = {b.id: b for b in blocks}
    for key in document.cited:
        precedent = library.precedents[key]
        block_id = document.cited_by.get(key, [""])[0]
        found = by_id.get(block_id or "")
        path, line = _citation_line(found, key) if found else (case.origin.path, case.origin.line)
        if precedent.confidence == "unverified":
            out.append(
                Problem(
                    "warning",
                    _(
                        "'{key}' is UNVERIFIED in the precedent database; "
                        "verify it before filing or remove the citation"
                    ).format(key=key),
                    path,
                    line,
                )
            )
        if precedent.date and precedent.date > case.date and not precedent.status:
            out.append(
                Problem(
                    "warning",
                    _(
                        "the filing is dated {date} but cites '{key}', "
                        "decided on {decided}; make the passage depend on "
                        "`filing.date`"
                    ).format(date=case.date, key=key, decided=precedent.date),
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
                    _(
                        "pièce n° {number} ('{key}') is dated "
                        "{dated}, after the filing ({date}); it cannot be "
                        "produced"
                    ).format(number=item.number, key=item.key, dated=piece.date, date=case.date),
                    case.origin.path_of("pieces"),
                    case.origin.line_of("pieces"),
                )
            )
        if not item.referenced:
            out.append(
                Problem(
                    "warning",
                    _("pièce n° {number} ('{key}') is never referred to in the text").format(
                        number=item.number, key=item.key
                    ),
                    case.origin.path_of("inventaire"),
                    case.origin.line_of("inventaire"),
                )
            )
    return out
