"""Pure: the leak check — shared library text that states a matter's facts instead of reading
them, and filings that name parties their matter does not have.

A shared layer's block must not write a literal date, an act or case number, a party or a
provider by name: those are facts of one matter, given under ``facts:`` and read through
helpers. Dates and numbers of the law are allowed when they are those of a precedent the
block cites, or listed in the block's ``literals:``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from requete.errors import Problem
from requete.french import MONTH_PATTERN
from requete.i18n import N_, _
from requete.markup import blanked, cites
from requete.model import Block, Case

if TYPE_CHECKING:
    from requete.document import Document
    from requete.library import Layer, Library
    from requete.overlay import ResolvedBlock

DATE = re.compile(
    rf"\b(?:1er|[12]?\d|3[01])\s+(?:{MONTH_PATTERN})\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
)
NUMBER = re.compile(
    r"n°\s*\d[\d.\-/]*\d|n°\s*\d|\b[CT]-\d+/\d+(?: P)?\b|\b(?:19|20)\d{2}-\d{1,5}\b"
)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
SPACES = re.compile(r"[\s\u00a0\u202f]+")
# The warning for each kind of literal a shared block states.
_LEAKS = {
    "date": N_(
        "block '{block}' (shared library) states the date « {literal} »: a matter's fact; read "
        "it from `facts:` or a helper (acte, requerants, delai), or list it in `literals:` if "
        "it belongs to the law"
    ),
    "number": N_(
        "block '{block}' (shared library) states the number « {literal} »: a matter's fact; "
        "read it from `facts:` or a helper (acte, requerants, delai), or list it in "
        "`literals:` if it belongs to the law"
    ),
    "name": N_(
        "block '{block}' (shared library) states the name « {literal} »: a matter's fact; read "
        "it from `facts:` or a helper (acte, requerants, delai), or list it in `literals:` if "
        "it belongs to the law"
    ),
}


def leak_problems(
    layers: list[Layer],
    library: Library,
    blocks: list[ResolvedBlock] | None = None,
    case: Case | None = None,
) -> list[Problem]:
    """Warnings for shared text that names a matter's facts (every block of the library when
    no blocks are given; with a case, also the names of its parties and facts)."""
    if not any(layer.shared for layer in layers):
        return []
    shared = sorted(
        ((layer.root.resolve(), layer.shared) for layer in layers),
        key=lambda item: len(item[0].parts),
        reverse=True,
    )
    names = _matter_names(case, library) if case is not None else []
    out: list[Problem] = []
    if blocks is None:
        for block in library.blocks.values():
            texts = [(block.title, block.origin.path, block.origin.line_of("title") - 1)]
            texts.append((block.body, block.origin.path, block.origin.line_of("body")))
            if block.application:
                texts.append(
                    (block.application, block.origin.path, block.origin.line_of("application"))
                )
            out += _block_leaks(block, texts, shared, library, names)
        return out
    for resolved in blocks:
        block = resolved.block
        texts = [(block.title, resolved.path, block.origin.line_of("title") - 1)]
        texts.append((block.body, resolved.body_path or resolved.path, resolved.body_line or 1))
        if block.application:
            texts.append(
                (
                    block.application,
                    resolved.application_path or resolved.path,
                    resolved.application_line or 1,
                )
            )
        out += _block_leaks(block, texts, shared, library, names)
    return out


def _block_leaks(
    block: Block,
    texts: list[tuple[str, Path, int]],
    shared: list[tuple[Path, bool]],
    library: Library,
    names: list[str],
) -> list[Problem]:
    allowed = _law_literals(block, library, [t[0] for t in texts])
    out = []
    for source, path, line in texts:
        if not _inside(path, shared):
            continue
        for offset, text in enumerate(prose_of(source).splitlines(), start=1):
            for what, literal in _literals(text, names):
                if _norm(literal) in allowed:
                    continue
                out.append(
                    Problem(
                        "warning",
                        _(_LEAKS[what]).format(block=block.id, literal=literal),
                        path,
                        line + offset,
                    )
                )
    return out


def _literals(text: str, names: list[str]) -> Iterable[tuple[str, str]]:
    for match in DATE.finditer(text):
        yield "date", match.group(0)
    for match in NUMBER.finditer(text):
        yield "number", match.group(0)
    flat = _norm(text)
    for name in names:
        if re.search(rf"(?<!\w){re.escape(_norm(name))}(?!\w)", flat):
            yield "name", name


def prose_of(source: str) -> str:
    """The text without Jinja, citations, pièce references and « [à compléter] » markers
    (newlines kept, so that line numbers hold)."""

    def blank(match: re.Match[str]) -> str:
        return " " + "\n" * match.group(0).count("\n")  # keep the line numbers

    source = JINJA.sub(blank, source)
    # counsel's markers name what to look up: they are not the library stating facts
    return blanked(source, ("citation", "todo", "piece"))


def _law_literals(block: Block, library: Library, sources: list[str]) -> set[str]:
    """Dates and numbers of the precedents the block cites, and its own ``literals``."""
    from requete.french import date_fr

    allowed = {_norm(v) for v in block.literals}
    for source in sources:
        for cite in cites(source):
            precedent = library.precedents.get(cite.key)
            if precedent is None:
                continue
            if precedent.date:
                allowed.add(_norm(date_fr(precedent.date)))
                allowed.add(precedent.date.isoformat())
                if precedent.number:
                    for number in re.split(r"\s*(?:,|et)\s*", precedent.number):
                        allowed.add(_norm(number))
                        allowed.add(_norm(f"n° {number}"))
    return allowed


def _matter_names(case: Case, library: Library) -> list[str]:
    from requete.facts import names_in

    names = [p.label for p in case.requerants]
    for name, value in case.facts.items():
        decl = library.facts.get(name)
        if decl is not None:
            names += names_in(decl, value)
    if case.acte.numero:
        names.append(case.acte.numero)
    return sorted({n for n in names if len(n.strip()) >= 3}, key=len, reverse=True)


def foreign_party_problems(
    document: Document, others: list[tuple[str, Path]], case: Case | None
) -> list[Problem]:
    """Warnings for a filing whose text names an applicant of another matter."""
    if not others or case is None:
        return []
    mine = {_norm(p.label) for p in case.requerants}
    out: list[Problem] = []
    seen: set[str] = set()
    for paragraph in document.body + document.conclusions:
        # case names in citations are italic (« Société Clever Cloud et autres »): not parties
        flat = _norm(" ".join(r.text for r in paragraph.runs if not r.italic))
        for name, where in others:
            key = _norm(name)
            if key in mine or key in seen or len(key) < 3:
                continue
            if re.search(rf"(?<!\w){re.escape(key)}(?!\w)", flat):
                seen.add(key)
                place = f"¶ {paragraph.number}" if paragraph.number else _("a heading")
                out.append(
                    Problem(
                        "warning",
                        _(
                            "the filing names « {name} » ({place}, block '{block}'), an "
                            "applicant of {matter} who is not an applicant of this filing; "
                            "write the passage with `requerants` helpers or drop it"
                        ).format(name=name, place=place, block=paragraph.block, matter=where.name),
                        case.origin.path_of("requerants"),
                        case.origin.line_of("requerants"),
                    )
                )
    return out


def _inside(path: Path, roots: list[tuple[Path, bool]]) -> bool:
    """True when the file belongs to a shared layer (the deepest layer root holding it)."""
    resolved = path.resolve()
    for root, shared in roots:
        if resolved.is_relative_to(root):
            return shared
    return False


def _norm(text: str) -> str:
    return SPACES.sub(" ", text).replace("’", "'").strip().lower()
