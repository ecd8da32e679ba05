"""What ``list``, ``show`` and ``explain`` say about the library, as data: the CLI prints it as
a table or as JSON (``--format json``, schemas in docs/schema/cli-*.schema.json); paths are
shown relative to the working directory, or to their library layer (« built-in:
arguments/faits-emc2.yaml ») when they lie outside it."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from requete.citations import full_citation
from requete.i18n import N_, _
from requete.library import Layer, Library
from requete.model import Block, Origin

KINDS = ("arguments", "precedents", "templates", "sets", "facts", "procedures")
SCHEMA_VERSION = 1


def shown_path(path: Path | str | None, layers: list[Layer] | tuple[Layer, ...] = ()) -> str:
    """``path`` below the working directory as a relative path; a file of the installed
    library as ``built-in: arguments/x.yaml``; a file near the working directory (sharing two
    folders with it) as ``../x/y.yaml``; else as given (``path:line`` stays a link in editors
    and terminals)."""
    if path is None:
        return ""
    try:
        resolved = Path(path).resolve()
        here = Path.cwd().resolve()
    except (OSError, RuntimeError):
        return str(path)
    for layer in layers:  # the installed library reads best by its layer, from anywhere
        if layer.name == "built-in" and _packaged(layer.root):
            root = layer.root.resolve()
            if resolved.is_relative_to(root):
                rel = resolved.relative_to(root)
                return _("{layer}: {path}").format(layer=_("built-in"), path=rel)
    if resolved.is_relative_to(here):
        return str(resolved.relative_to(here)) or "."
    deepest: tuple[int, Layer] | None = None
    for layer in layers:
        try:
            root = layer.root.resolve()
        except (OSError, RuntimeError):
            continue
        if resolved.is_relative_to(root) and (deepest is None or len(root.parts) > deepest[0]):
            deepest = (len(root.parts), layer)
    if deepest is not None and deepest[1].name == "built-in":
        rel = resolved.relative_to(deepest[1].root.resolve())
        return _("{layer}: {path}").format(layer=_("built-in"), path=rel)
    relative = os.path.relpath(resolved, here)
    shared = Path(os.path.commonpath([resolved, here]))
    # nearby: the two share at least two folders (/home/alice, /work/main), not just /tmp
    if len(shared.parts) > 2 and relative.split(os.sep).count("..") <= 3:
        return relative
    return str(path)


def _origin(origin: Origin, layers: list[Layer] | tuple[Layer, ...]) -> dict[str, Any]:
    """Where an entry is written: its layer, its file as shown to the user, its line."""
    return {"layer": origin.layer, "source": shown_path(origin.path, layers), "line": origin.line}


def _packaged(root: Path) -> bool:
    """True for the library installed with the package (``requete/library``), False for a
    checkout, whose library is the repository itself."""
    return root.name == "library" and root.parent.name == "requete"


def procedures_of(library: Library, block: Block) -> list[str]:
    """The procedures whose filings may hold ``block``."""
    return [
        p.id
        for p in sorted(library.procedures.values(), key=lambda p: p.id)
        if p.takes(block.procedures)
    ]


def rows(library: Library, what: str) -> list[dict[str, Any]]:
    """One record per entry of a kind of the library, sorted by id."""
    layers = library.layers
    if what == "arguments":
        every = len(library.procedures)
        out = []
        for b in sorted(library.blocks.values(), key=lambda b: b.id):
            procedures = procedures_of(library, b)
            out.append(
                {
                    "id": b.id,
                    "title": b.title,
                    "section": b.section,
                    "version": b.version,
                    "procedures": procedures,
                    "all_procedures": len(procedures) == every,
                    "params": list(b.params),
                    **_origin(b.origin, layers),
                }
            )
        return out
    if what == "precedents":
        return [
            {
                "id": p.id,
                "type": p.type,
                "label": p.court or p.short or p.citation or "",
                "date": str(p.date) if p.date else None,
                "confidence": p.confidence,
                **_origin(p.origin, layers),
            }
            for p in sorted(library.precedents.values(), key=lambda p: p.id)
        ]
    if what == "templates":
        out = [
            {
                "id": name,
                "layer": library.template_layers[name],
                "source": shown_path(path, layers),
                "extends": None,
            }
            for name, path in sorted(library.templates.items())
        ]
        out += [
            {
                "id": name,
                "layer": library.template_layers[name],
                "source": shown_path(ext.path, layers),
                "extends": ext.extends,
            }
            for name, ext in sorted(library.template_extensions.items())
        ]
        return out
    if what == "sets":
        return [
            {
                "id": s.id,
                "title": s.name,
                "extends": s.extends,
                "blocks": list(s.blocks) if s.blocks is not None else None,
                "operations": _operations(s),
                **_origin(s.origin, layers),
            }
            for s in sorted(library.sets.values(), key=lambda s: s.id)
        ]
    if what == "facts":
        return [
            {
                "id": f.id,
                "type": f.type,
                "fields": list(f.fields) if f.type == "record" else [],
                "description": f.description.strip(),
                **_origin(f.origin, layers),
            }
            for f in sorted(library.facts.values(), key=lambda f: f.id)
        ]
    if what == "procedures":
        return [
            {
                "id": p.id,
                "title": p.name,
                "deadline": p.deadline.rule,
                **_origin(p.origin, layers),
            }
            for p in sorted(library.procedures.values(), key=lambda p: p.id)
        ]
    raise ValueError(what)


_OPERATIONS = ("add", "remove", "replace", "override", "move")


def _operations(s: Any) -> dict[str, int]:
    return {k: len(getattr(s, k)) for k in _OPERATIONS if getattr(s, k)}


# Column headings of the tables (the JSON keys stay English: they are an interface).
HEADINGS = {
    "id": N_("id"),
    "title": N_("title"),
    "section": N_("section"),
    "version": N_("v"),
    "procedures": N_("procedures"),
    "params": N_("params"),
    "layer": N_("layer"),
    "source": N_("file"),
    "type": N_("type"),
    "label": N_("court / text"),
    "date": N_("date"),
    "confidence": N_("confidence"),
    "extends": N_("extends"),
    "blocks": N_("blocks / operations"),
    "fields": N_("fields"),
    "description": N_("description"),
    "deadline": N_("deadline"),
}

# The columns of each table, in order, with whether a column wraps (ids never do).
COLUMNS = {
    "arguments": ("id", "title", "procedures", "params", "section", "version", "layer"),
    "precedents": ("id", "label", "date", "confidence", "type", "layer"),
    "templates": ("id", "source", "extends", "layer"),
    "sets": ("id", "title", "blocks", "extends", "layer"),
    "facts": ("id", "type", "description", "layer"),
    "procedures": ("id", "title", "deadline", "layer"),
}
WRAPPING = {"title", "label", "procedures", "params", "description", "source", "deadline"}
# Which columns a narrow terminal drops first.
DROP_ORDER = ("layer", "version", "section", "type", "extends", "params", "confidence", "date")


def cell(row: dict[str, Any], column: str) -> str:
    """A record's value as a table shows it."""
    value = row.get(column)
    if column == "blocks" and "operations" in row:
        if row["blocks"] is not None:
            return _("{count} blocks").format(count=len(row["blocks"]))
        ops = row["operations"]
        return ", ".join(f"{n} {k}" for k, n in ops.items()) or _("no operation")
    if column == "type" and row.get("fields"):
        return f"{value} ({', '.join(row['fields'])})"
    if column == "layer" and value == "built-in":
        return _("built-in")
    if column == "procedures" and row.get("all_procedures"):
        return _("all")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def block_record(library: Library, block: Block) -> dict[str, Any]:
    """Everything ``show`` says of a block."""
    return {
        "kind": "block",
        "id": block.id,
        "title": block.title,
        "section": block.section,
        "version": block.version,
        "procedures": procedures_of(library, block),
        "params": list(block.params),
        "requires": list(block.requires),
        "conflicts": list(block.conflicts),
        **_origin(block.origin, library.layers),
        "body": block.body.rstrip(),
        "application": block.application.rstrip() if block.application else None,
        "notes": block.notes.rstrip() if block.notes else None,
    }


def record(library: Library, ident: str) -> dict[str, Any] | None:
    """Everything ``show`` says of a block, precedent, set or fact (None when unknown)."""
    layers = library.layers
    if ident in library.blocks:
        return block_record(library, library.blocks[ident])
    if ident in library.precedents:
        p = library.precedents[ident]
        return {
            "kind": "precedent",
            "id": p.id,
            "citation": "".join(s.text for s in full_citation(p)),
            "type": p.type,
            "confidence": p.confidence,
            "believed": list(p.believed),
            "unverified": list(p.unverified),
            "holding": p.holding.rstrip() if p.holding else None,
            "points": {
                str(number): {"text": point.text, "propositions": list(point.propositions)}
                for number, point in p.points.items()
            },
            "url": p.url,
            **_origin(p.origin, layers),
        }
    if ident in library.sets:
        s = library.sets[ident]
        chain, current = [], s
        while current.extends and current.extends in library.sets and current.id not in chain:
            chain.append(current.id)
            current = library.sets[current.extends]
        return {
            "kind": "set",
            "id": s.id,
            "title": s.name,
            "description": s.description.rstrip() if s.description else None,
            "extends": [*chain[1:], current.id] if chain else [],
            "blocks": list(s.blocks) if s.blocks is not None else None,
            "operations": {
                op: [item if isinstance(item, str) else item.block for item in getattr(s, op)]
                for op in _OPERATIONS
                if getattr(s, op)
            },
            **_origin(s.origin, layers),
        }
    if ident in library.facts:
        f = library.facts[ident]
        return {
            "kind": "fact",
            "id": f.id,
            "type": f.type,
            "description": f.description.rstrip(),
            "fields": {
                name: {
                    "type": field.type,
                    "optional": field.optional,
                    "description": field.description or "",
                }
                for name, field in f.fields.items()
            },
            "values": list(f.values or []),
            "example": f.example,
            "users": sorted(b.id for b in library.blocks.values() if f.id in b.params),
            **_origin(f.origin, layers),
        }
    return None


# The operations a resolved block records stay in English in the build manifest (its bytes
# must not depend on who builds); they are translated where they are shown.
_OPERATIONS_SHOWN = [
    (re.compile(r"^added \((?P<who>.+), (?P<where>[^,]+)\)$"), N_("added ({who}, {where})")),
    (
        re.compile(r"^replaces (?P<id>\S+) \((?P<who>.+), (?P<where>[^,]+)\)$"),
        N_("replaces {id} ({who}, {where})"),
    ),
    (
        re.compile(r"^override (?P<fields>.+) \((?P<who>.+), (?P<where>[^,]+)\)$"),
        N_("override {fields} ({who}, {where})"),
    ),
    (re.compile(r"^moved \((?P<who>.+), (?P<where>[^,]+)\)$"), N_("moved ({who}, {where})")),
    (re.compile(r"^section (?P<old>\S+) -> (?P<new>\S+)$"), N_("section {old} -> {new}")),
    (
        re.compile(
            r"^application of the matter \((?P<where>.+)\) not used: an override gives its own$"
        ),
        N_("application of the matter ({where}) not used: an override gives its own"),
    ),
    (re.compile(r"^application \((?P<where>.+)\)$"), N_("application ({where})")),
    (re.compile(r"^set (?P<id>\S+)$"), N_("set {id}")),
]


def _who(text: str) -> str:
    if text == "case":
        return _("case")
    if text.startswith("set "):
        return _("set {id}").format(id=text.removeprefix("set "))
    return text


def shown_operation(text: str) -> str:
    """An operation of the manifest in the current language (as written when unknown)."""
    for pattern, message in _OPERATIONS_SHOWN:
        match = pattern.match(text)
        if match:
            values = {k: _who(v) if k == "who" else v for k, v in match.groupdict().items()}
            return _(message).format(**values)
    return text
