"""Plain-text descriptions of library entries for ``requete show``."""

from __future__ import annotations

from requete.catalog import MAX_ID
from requete.citations import full_citation
from requete.errors import RequeteError
from requete.library import Library


def describe(library: Library, ident: str) -> str | None:
    """A readable description of a block, precedent, set or fact, or None when unknown."""
    if len(ident) > MAX_ID:
        raise RequeteError(
            f"name too long ({len(ident):,} characters, at most {MAX_ID}); give the id of a "
            "block, precedent, set or fact (see `requete list arguments`)"
        )
    if ident in library.blocks:
        b = library.blocks[ident]
        lines = [
            f"{b.title}",
            f"id: {b.id}  section: {b.section}  version: {b.version}",
            f"source: {b.origin.path}:{b.origin.line} (layer {b.origin.layer})",
        ]
        for label, values in (
            ("requires", b.requires),
            ("conflicts", b.conflicts),
            ("params", b.params),
        ):
            if values:
                lines.append(f"{label}: {', '.join(values)}")
        lines += ["", b.body.rstrip()]
        if b.application:
            lines += ["", "APPLICATION (a matter may replace it):", b.application.rstrip()]
        if b.notes:
            lines += ["", "NOTES (counsel only, never rendered):", b.notes.rstrip()]
        return "\n".join(lines)
    if ident in library.precedents:
        p = library.precedents[ident]
        lines = [
            "".join(s.text for s in full_citation(p)),
            f"id: {p.id}  type: {p.type}  confidence: {p.confidence}",
            f"source: {p.origin.path}:{p.origin.line} (layer {p.origin.layer})",
        ]
        if p.believed:
            lines.append(f"believed only (not checked): {', '.join(p.believed)}")
        if p.unverified:
            lines.append(f"UNVERIFIED (never printed): {', '.join(p.unverified)}")
        if p.holding:
            lines += ["", p.holding.rstrip()]
        for number, point in p.points.items():
            keys = f" [{', '.join(point.propositions)}]" if point.propositions else ""
            lines.append(f"  pt {number}{keys}: {point.text}")
        if p.url:
            lines += ["", p.url]
        return "\n".join(lines)
    if ident in library.sets:
        s = library.sets[ident]
        lines = [f"{s.name}", f"id: {s.id}  source: {s.origin.path} (layer {s.origin.layer})"]
        if s.description:
            lines.append(s.description.rstrip())
        chain, current = [], s
        while current.extends and current.extends in library.sets and current.id not in chain:
            chain.append(current.id)
            current = library.sets[current.extends]
        if s.extends:
            lines.append("extends: " + " -> ".join([*chain[1:], current.id]) if chain else "")
        for ident_ in s.blocks or []:
            lines.append(f"  - {ident_}")
        for op in ("remove", "replace", "override", "add", "move"):
            for item in getattr(s, op):
                lines.append(f"  {op}: {item if isinstance(item, str) else item.block}")
        return "\n".join(lines)
    if ident in library.facts:
        f = library.facts[ident]
        lines = [
            f"{f.id}: {f.type}  (layer {f.origin.layer}, {f.origin.path})",
            f.description.rstrip(),
        ]
        for name, field in f.fields.items():
            optional = ", optional" if field.optional else ""
            lines.append(f"  {name}: {field.type}{optional} — {field.description or ''}")
        if f.values:
            lines.append("values: " + ", ".join(f.values))
        if f.example is not None:
            lines += ["", f"example: {f.example!r}"]
        return "\n".join(lines)
    return None
