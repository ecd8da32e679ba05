"""Pure: what counsel must still check in each block, as the comments of the Word file — the
block's ``notes`` and the caveats of the authorities it cites (believed, unverified, a
pinpoint the library has not recorded)."""

from __future__ import annotations

from requete.citations import locator_points
from requete.document import Comment, Document
from requete.library import Library
from requete.markup import cites
from requete.model import Block, Precedent
from requete.overlay import ResolvedBlock

CONFIDENCE = {
    "confirmed-secondary": "établie par une source secondaire seulement : collationner avec "
    "la source officielle",
    "believed": "seulement crue, non vérifiée sur une source officielle : vérifier avant dépôt",
    "unverified": "NON VÉRIFIÉE : ne pas déposer sans l'avoir vérifiée",
}


def counsel_comments(
    blocks: list[ResolvedBlock], library: Library, document: Document
) -> list[Comment]:
    """One comment per block of the filing that has something for counsel, in filing order."""
    present = {p.block for p in document.body + document.conclusions}
    out = []
    for resolved in blocks:
        if resolved.id not in present:
            continue
        paragraphs = _notes(resolved.block) + _caveats(resolved.block, library)
        if paragraphs:
            out.append(Comment(resolved.id, tuple(paragraphs)))
    return out


def _notes(block: Block) -> list[str]:
    if not block.notes or not block.notes.strip():
        return []
    head = f"Note du bloc « {block.id} » (version {block.version}) :"
    chunks = [" ".join(c.split()) for c in block.notes.strip().split("\n\n")]
    return [head, *(c for c in chunks if c)]


def _caveats(block: Block, library: Library) -> list[str]:
    texts = [block.title, block.body, block.application or ""]
    out: list[str] = []
    seen: set[str] = set()
    for text in texts:
        for cite in cites(text):
            precedent = library.precedents.get(cite.key)
            if precedent is None:
                continue
            out += _precedent_caveats(precedent, seen)
            out += [
                f"{_name(precedent)}, pt {point} : ce point n'est pas relevé dans la base "
                "de jurisprudence ; le vérifier dans la décision."
                for point in locator_points(cite.locator or "")
                if precedent.points and point not in precedent.points
            ]
    return out


def _precedent_caveats(precedent: Precedent, seen: set[str]) -> list[str]:
    if precedent.id in seen:
        return []
    seen.add(precedent.id)
    out = []
    name = _name(precedent)
    if precedent.confidence in CONFIDENCE:
        out.append(f"{name} : autorité {CONFIDENCE[precedent.confidence]}.")
    if precedent.believed:
        fields = ", ".join(precedent.believed)
        out.append(f"{name} : éléments seulement crus ({fields}) ; les vérifier.")
    if precedent.unverified:
        fields = ", ".join(precedent.unverified)
        out.append(f"{name} : éléments non vérifiés ({fields}), donc non imprimés ; les compléter.")
    return out


def _name(precedent: Precedent) -> str:
    return precedent.short or precedent.citation or precedent.name or precedent.id
