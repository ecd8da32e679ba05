"""Plain-text descriptions of library entries for ``requete show`` (the same records as
``--format json``, from :mod:`requete.listing`)."""

from __future__ import annotations

from typing import Any

from requete.catalog import MAX_ID
from requete.errors import RequeteError
from requete.i18n import _
from requete.library import Library
from requete.listing import record


def lookup(library: Library, ident: str) -> dict[str, Any] | None:
    """The record of a block, precedent, set or fact, or None when unknown."""
    if len(ident) > MAX_ID:
        raise RequeteError(
            _(
                "name too long ({length:,} characters, at most {limit}); give the id of a "
                "block, precedent, set or fact (see `requete list arguments`)"
            ).format(length=len(ident), limit=MAX_ID)
        )
    return record(library, ident)


def describe(library: Library, ident: str) -> str | None:
    """A readable description of a block, precedent, set or fact, or None when unknown."""
    found = lookup(library, ident)
    return None if found is None else render(found)


def _source(r: dict[str, Any]) -> str:
    layer = _("built-in") if r["layer"] == "built-in" else r["layer"]
    return _("source: {source}:{line} (layer {layer})").format(
        source=r["source"], line=r["line"], layer=layer
    )


def _all_or(values: list[str]) -> str:
    return ", ".join(values) if values else _("none")


def render(r: dict[str, Any]) -> str:
    """The text of one record."""
    kind = r["kind"]
    if kind == "block":
        lines = [
            r["title"],
            _("id: {id}  section: {section}  version: {version}").format(**r),
            _source(r),
            _("procedures: {procedures}").format(procedures=_all_or(r["procedures"])),
            _("params (facts of the matter): {params}").format(params=_all_or(r["params"])),
        ]
        if r["requires"]:
            lines.append(_("requires: {ids}").format(ids=", ".join(r["requires"])))
        if r["conflicts"]:
            lines.append(_("conflicts: {ids}").format(ids=", ".join(r["conflicts"])))
        lines += ["", r["body"]]
        if r["application"]:
            lines += ["", _("APPLICATION (a matter may replace it):"), r["application"]]
        if r["notes"]:
            lines += ["", _("NOTES (counsel only, never rendered):"), r["notes"]]
        return "\n".join(lines)
    if kind == "precedent":
        lines = [
            r["citation"],
            _("id: {id}  type: {type}  confidence: {confidence}").format(**r),
            _source(r),
        ]
        if r["believed"]:
            lines.append(
                _("believed only (not checked): {fields}").format(fields=", ".join(r["believed"]))
            )
        if r["unverified"]:
            lines.append(
                _("UNVERIFIED (never printed): {fields}").format(fields=", ".join(r["unverified"]))
            )
        if r["holding"]:
            lines += ["", r["holding"]]
        for number, point in r["points"].items():
            keys = f" [{', '.join(point['propositions'])}]" if point["propositions"] else ""
            lines.append(
                _("  pt {number}{keys}: {text}").format(
                    number=number, keys=keys, text=point["text"]
                )
            )
        if r["url"]:
            lines += ["", r["url"]]
        return "\n".join(lines)
    if kind == "set":
        lines = [r["title"], _source(r)]
        if r["description"]:
            lines.append(r["description"])
        if r["extends"]:
            lines.append(_("extends: {chain}").format(chain=" -> ".join(r["extends"])))
        for ident in r["blocks"] or []:
            lines.append(f"  - {ident}")
        for op, items in r["operations"].items():
            for item in items:
                lines.append(f"  {op}: {item}")
        return "\n".join(lines)
    lines = [
        f"{r['id']}: {r['type']}",
        _source(r),
        r["description"],
    ]
    for name, field in r["fields"].items():
        optional = _(", optional") if field["optional"] else ""
        lines.append(f"  {name}: {field['type']}{optional} — {field['description']}")
    if r["values"]:
        lines.append(_("values: {values}").format(values=", ".join(r["values"])))
    if r["example"] is not None:
        lines += ["", _("example: {example!r}").format(example=r["example"])]
    lines.append(_("blocks using it: {ids}").format(ids=_all_or(r["users"])))
    return "\n".join(lines)
